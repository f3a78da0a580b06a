"""Fixtures shared by every test directory: ``cli`` (packer-py in a fresh process) and the end-to-end harness
(``tests/harness/fixtures.py``: a real moto server and a real OpenSSH sshd)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.fixtures import ec2_sshd, moto, moto_server, silent_port, sshd, sshd_password

__all__ = ["cli", "ec2_sshd", "moto", "moto_server", "run_cli", "silent_port", "sshd", "sshd_password"]

REPO = Path(__file__).resolve().parent.parent

# Outputs are compared with Packer's, byte for byte: packer-py's located lines after a JSON template's errors are
# asked for by the tests that check them (tests/test_locations.py), not added to every Packer golden.
os.environ.setdefault("PACKER_PY_LOCATIONS", "0")


def run_cli(
    args: list[str], cwd: Path | str | None = None, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run packer-py as a user would (a fresh process), capturing stdout+stderr together like the goldens."""
    full_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/root"),
        "TZ": "UTC",
        "PYTHONPATH": str(REPO),
        "LANG": "C.UTF-8",
        "PACKER_PY_LOCATIONS": os.environ["PACKER_PY_LOCATIONS"],
    }
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "packer_py", *args],
        cwd=cwd,
        env=full_env,
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    return run_cli
