"""Record Packer 1.6.6 building ``null.pkr.hcl`` (an HCL2 config: null source, a shell provisioner using
``build.ID``/``build.User``/``source.name`` and the environment, a shell-local one mixing a Go template with
``build.ConnType``) against the harness sshd; writes ``null.out`` and ``null.rc``.

    python -m tests.build.hcl.record

``test_hcl_build.py`` builds the same config with packer-py and compares (temporary paths and durations normalised).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.harness.sshd import Sshd

HERE = Path(__file__).resolve().parent
PACKER = os.environ.get("PACKER_BIN", "packer")
_RULES = [
    (re.compile(r"/tmp/packer-shell[0-9A-Za-z_]+"), "/tmp/packer-shell*"),
    (re.compile(r"after (\d+ (hours?|minutes?|seconds?|milliseconds?|microseconds?|nanoseconds?) ?)+"), "after D"),
]


def normalise(text: str) -> str:
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text


def build(command: list[str], sshd: Sshd, extra_env: dict[str, str] | None = None) -> tuple[str, int]:
    variables = {"host": sshd.host, "port": str(sshd.port), "user": sshd.user, "key": str(sshd.client_key_path)}
    argv = [*command, "build", "-color=false"]
    for k, v in variables.items():
        argv += ["-var", f"{k}={v}"]
    with tempfile.TemporaryDirectory() as home:
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "CHECKPOINT_DISABLE": "1", "TMPDIR": "/tmp", **(extra_env or {})}
        proc = subprocess.run([*argv, "null.pkr.hcl"], cwd=HERE, env=env, capture_output=True, text=True, timeout=120)
    return normalise(proc.stdout + proc.stderr), proc.returncode


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        sshd = Sshd.start(Path(tmp) / "sshd")
        try:
            out, rc = build([PACKER], sshd)
        finally:
            sshd.stop()
    (HERE / "null.out").write_text(out)
    (HERE / "null.rc").write_text(f"{rc}\n")
    print(f"rc {rc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
