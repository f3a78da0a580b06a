"""paramiko is imported once, without invoke, and can be imported in the background while a build waits on AWS."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


def test_paramiko_without_invoke() -> None:
    out = _run(
        "import sys\n"
        "from packer_py.communicator.paramiko_import import load_paramiko\n"
        "p = load_paramiko()\n"
        "print(p.Transport is not None, 'invoke' in sys.modules, sys.modules.get('invoke', 'absent'))\n"
        "import invoke  # still importable afterwards by anyone who wants it\n"
    )
    assert out == "True False absent"


def test_background_warm_up_and_a_concurrent_connection_share_one_import() -> None:
    out = _run(
        "from packer_py.communicator import paramiko_import\n"
        "paramiko_import.warm_up_in_background()\n"
        "from packer_py.communicator.connection import transport_class\n"
        "cls = transport_class()\n"
        "print(cls.__name__, issubclass(cls, paramiko_import.load_paramiko().Transport))\n"
    )
    assert out == "PackerTransport True"
