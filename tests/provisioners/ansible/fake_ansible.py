"""A stand-in for ``ansible-playbook`` and ``ansible-galaxy`` that logs what it was given (argv, the inventory, the
``ANSIBLE_*`` environment, the private key's kind, the files around it) as one JSON line in ``$FAKE_ANSIBLE_LOG``,
prints a few lines on stdout and stderr, and exits with ``$FAKE_ANSIBLE_EXIT_<TOOL>`` (default 0).

Installed by ``install()`` as two wrapper scripts in a ``bin`` directory put first on ``PATH``, so that Packer 1.6.6
and packer-py run it the same way (``record_packer.py``, ``test_packer_parity.py``). ``--version`` answers as
Ansible 2.10 does (the version check of the ansible provisioner's Prepare).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

TOOLS = ("ansible-playbook", "ansible-galaxy")
VERSION = "2.10.17"


def install(bin_dir: Path, log: Path) -> Path:
    """Write the wrappers (which carry the log path, so that a remote run finds it too); returns ``bin_dir``."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for tool in TOOLS:
        wrapper = bin_dir / tool
        wrapper.write_text(
            f'#!/bin/sh\nFAKE_ANSIBLE_LOG="{log}" exec {sys.executable} -I {Path(__file__).resolve()} {tool} "$@"\n'
        )
        wrapper.chmod(0o755)
    return bin_dir


def _inventory(argv: list[str]) -> str | None:
    for flag in ("-i", "--inventory"):
        if flag in argv[:-1]:
            path = argv[argv.index(flag) + 1]
            try:
                return Path(path).read_text(errors="replace")
            except OSError as exc:
                return f"<unreadable: {exc.strerror}>"
    return None


def _key_kind(argv: list[str]) -> str | None:
    for arg in argv:
        if arg.startswith("ansible_ssh_private_key_file="):
            path = arg.split("=", 1)[1]
            try:
                return Path(path).read_text(errors="replace").splitlines()[0]
            except (OSError, IndexError):
                return "<missing>"
    return None


def _listing(root: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            out.append(f"{path.relative_to(root)} {path.stat().st_mode & 0o777:o}")
    return out


def main(tool: str, argv: list[str]) -> int:
    if argv == ["--version"]:
        print(f"{tool} {VERSION}\n  config file = None\n  python version = 3.11")
        return 0
    env = {k: v for k, v in os.environ.items() if k.startswith(("ANSIBLE_", "FAKE_ENV_"))}
    record = {
        "tool": tool,
        "argv": argv,
        "inventory": _inventory(argv),
        "private_key": _key_kind(argv),
        "env": dict(sorted(env.items())),
        "cwd_files": _listing(Path.cwd()) if os.environ.get("FAKE_ANSIBLE_LIST_CWD") else None,
    }
    log = os.environ.get("FAKE_ANSIBLE_LOG")
    if log:
        with open(log, "a") as handle:
            handle.write(json.dumps(record) + "\n")
    print(f"fake {tool}: started", flush=True)
    time.sleep(0.2)
    print(f"fake {tool}: a line on stderr", file=sys.stderr, flush=True)
    time.sleep(0.2)
    print(f"fake {tool}: done  ", flush=True)
    return int(os.environ.get(f"FAKE_ANSIBLE_EXIT_{tool.split('-')[1].upper()}", "0"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
