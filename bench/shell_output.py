#!/usr/bin/env python3
"""Benchmark: 200,000 lines printed by a remote loop through the shell provisioner (null builder, local sshd).

    python -m bench.shell_output [--lines N] [--runs R]

Starts the test harness's real OpenSSH sshd on a loopback port, then runs the same template with packer-py
(``python -m packer_py build``) and with Packer 1.6.6 (``packer build``, or ``$PACKER``), interleaved, R times each,
output to a pipe that is drained and counted. Prints the median wall times and the ratio packer-py / Packer.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def template(sshd: object, lines: int) -> dict[str, object]:
    return {
        "builders": [
            {
                "type": "null",
                "ssh_host": sshd.host,  # type: ignore[attr-defined]
                "ssh_port": sshd.port,  # type: ignore[attr-defined]
                "ssh_username": sshd.user,  # type: ignore[attr-defined]
                "ssh_private_key_file": str(sshd.client_key_path),  # type: ignore[attr-defined]
            }
        ],
        "provisioners": [{"type": "shell", "inline": [f"seq 1 {lines} | sed 's/^/line number /'"]}],
    }


def timed(argv: list[str], cwd: Path, env: dict[str, str], lines: int) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    count = sum(chunk.count(b"line number ") for chunk in iter(lambda: proc.stdout.read(1 << 16), b""))  # type: ignore[union-attr]
    rc = proc.wait()
    took = time.perf_counter() - started
    if rc != 0 or count != lines:
        raise SystemExit(f"{argv[0]}: rc {rc}, {count} of {lines} lines")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.harness.sshd import Sshd

    packer = os.environ.get("PACKER", "packer")
    with tempfile.TemporaryDirectory(prefix="bench-shell-output-") as tmp:
        work = Path(tmp)
        sshd = Sshd.start(work / "sshd")
        try:
            (work / "t.json").write_text(json.dumps(template(sshd, args.lines)))
            env = {**os.environ, "CHECKPOINT_DISABLE": "1", "PYTHONPATH": str(REPO), "TMPDIR": tmp}
            env.pop("PACKER_LOG", None)
            ours: list[float] = []
            theirs: list[float] = []
            for _ in range(args.runs):
                ours.append(timed([sys.executable, "-m", "packer_py", "build", "t.json"], work, env, args.lines))
                theirs.append(timed([packer, "build", "t.json"], work, env, args.lines))
        finally:
            sshd.stop()
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"{args.lines} lines through the shell provisioner (median of {args.runs})")
    print(f"packer-py: {a:.2f} s   runs {', '.join(f'{t:.2f}' for t in ours)}")
    print(f"packer:    {b:.2f} s   runs {', '.join(f'{t:.2f}' for t in theirs)}")
    print(f"ratio packer-py/packer: {a / b:.2f}")


if __name__ == "__main__":
    main()
