"""Server processes that do not outlive the test run.

A test run that is killed (a CI timeout, ^C twice) never reaches fixture teardown; without this, its moto server and
sshd would keep running, and a stopped (SIGSTOP) session process would stay stopped. Linux delivers
``PR_SET_PDEATHSIG`` to a child when its parent dies; it survives ``exec`` of the (non-setuid) server binaries.
"""

from __future__ import annotations

import ctypes
import signal
import sys

_PR_SET_PDEATHSIG = 1
# Looked up in the parent: between fork and exec the child should do nothing but the one system call.
_prctl = ctypes.CDLL(None).prctl if sys.platform.startswith("linux") else None


def die_with_parent() -> None:
    """``preexec_fn`` for ``subprocess.Popen``: SIGTERM this process when the test process dies (Linux only)."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
