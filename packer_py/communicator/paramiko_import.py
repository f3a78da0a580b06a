"""Importing paramiko for a build: once, without what a build never uses, and early when that is free.

``import paramiko`` costs about 90 ms, a third of it for ``invoke`` (with ``unittest.mock`` and a vendored YAML),
which ``paramiko.config`` imports only to run ``Match exec`` lines of an OpenSSH client config. packer-py never reads
an OpenSSH config, and paramiko copes with invoke being absent (it raises only when such a line is evaluated), so
invoke is hidden for the duration of the import.

``warm_up_in_background()`` does the import in a daemon thread: the amazon-ebs builder starts it when it begins, so
that the import runs while the build waits for AWS to answer, not after the instance is up.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_import_lock = threading.Lock()
"""Held while paramiko is first imported, so a second caller waits for a complete module (and invoke is hidden and
restored once)."""
_lock = threading.Lock()
_started = False


def load_paramiko() -> ModuleType:
    """``paramiko``, imported without ``invoke`` unless something else already imported it."""
    with _import_lock:
        hide = "invoke" not in sys.modules and "paramiko" not in sys.modules
        if hide:
            sys.modules["invoke"] = None  # type: ignore[assignment]  # makes `import invoke` raise ImportError
        try:
            import paramiko
        finally:
            if hide and sys.modules.get("invoke", False) is None:
                del sys.modules["invoke"]
    return paramiko


def warm_up() -> None:
    """Import what the first SSH connection needs (paramiko, our transport class, cryptography's key loaders)."""
    load_paramiko()
    from packer_py.communicator import connection, keys  # noqa: F401

    connection.transport_class()


def warm_up_in_background() -> None:
    """``warm_up`` in a daemon thread, once per process; any failure is left for the real connection to report."""
    global _started
    with _lock:
        if _started or "paramiko" in sys.modules:
            return
        _started = True

    def run() -> None:
        try:
            warm_up()
        except Exception:  # the connection that needs paramiko will raise it again, with context
            pass

    threading.Thread(target=run, name="paramiko-warm-up", daemon=True).start()
