#!/usr/bin/env python3
"""Record what Packer 1.6.6 prints for the null-builder cases of ``golden_cases.py``: the goldens of
``test_build_golden.py``.

    python -m tests.build.record_build              # every case
    python -m tests.build.record_build timeout      # some cases
    PACKER=/path/to/packer python -m tests.build.record_build

The real OpenSSH sshd of ``tests/harness`` is started on a free loopback port; Packer runs each case in a scratch
directory under ``env -i``-like conditions (see ``golden_run.run_case``). The outputs are normalised (durations,
temp names, timestamps, run ids, the scratch path) and written to ``tests/build/goldens/<case>.<what>``. Nothing
there is edited by hand.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tests.build.golden_cases import CASES
from tests.build.golden_run import Target, run_case

GOLDENS = Path(__file__).resolve().parent / "goldens"


CLI_CASES: dict[str, list[str]] = {
    "help": ["build", "-h"],
    "no-template": ["build"],
    "bad-on-error": ["build", "-on-error=bogus", "t.json"],
    "bad-color": ["build", "-color=nope", "t.json"],
    "bad-parallel": ["build", "-parallel-builds=x", "t.json"],
    "flag-after-template": ["build", "t.json", "-debug"],
}
"""Command-line cases that need no template: ``tests/build/goldens/cli-<name>.out`` and ``.rc``."""


def record_cli(packer: str) -> None:
    import subprocess

    for name, args in CLI_CASES.items():
        proc = subprocess.run([packer, *args], capture_output=True, text=True, env={"CHECKPOINT_DISABLE": "1"})
        (GOLDENS / f"cli-{name}.out").write_text(proc.stdout)
        (GOLDENS / f"cli-{name}.rc").write_text(f"{proc.returncode}\n")


def main(names: list[str]) -> None:
    from tests.harness.sshd import Sshd

    packer = os.environ.get("PACKER", "packer")
    GOLDENS.mkdir(exist_ok=True)
    if not names or "cli" in names:
        record_cli(packer)
    with tempfile.TemporaryDirectory(prefix="record-build-") as tmp:
        sshd = Sshd.start(Path(tmp) / "sshd")
        try:
            target = Target(sshd.host, sshd.port, sshd.user, str(sshd.client_key_path))
            for case in CASES:
                if names and case.name not in names:
                    continue
                outputs = run_case(case, [packer], target, Path(tmp) / "cases")
                for what, text in outputs.items():
                    (GOLDENS / f"{case.name}.{what}").write_text(text)
                print(f"{case.name}: rc {outputs['rc'].strip()}", flush=True)
        finally:
            sshd.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
