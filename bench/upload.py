#!/usr/bin/env python3
"""Benchmark: a ``file`` provisioner upload of 256 MiB through the null builder, packer-py vs Packer 1.6.6 vs the
OpenSSH ``scp`` client, to the same sshd (not a unit test).

    python bench/upload.py [--size-mib 256] [--runs 5] [--packer /usr/bin/packer] [--json FILE]

Starts the test harness's "instance" sshd on a loopback port (``ec2-user``, whose shell reads no start-up files), writes
a file of random bytes and, in interleaved rounds, copies it to the same remote path with:

* ``scp`` (``-i KEY -P PORT``, host key checks off: one process, one connection, one transfer),
* ``packer build`` of a null-builder template with one ``file`` provisioner (``CHECKPOINT_DISABLE=1``),
* ``packer-py build`` of the same template, through the installed console script (``sysconfig.get_path('scripts')``)
  importing this checkout.

Each run's time is the whole command's wall time (start, connect, transfer, exit), so throughput = size / time
(MiB/s), and every run's copy is checked byte for byte (size and SHA-256). Prints medians and the issue's two
ratios: packer-py / scp (target >= 0.8) and packer-py / Packer (target >= 1.0).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.harness.sshd import Sshd  # noqa: E402


def write_random(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = 1 << 20
    with open(path, "wb") as handle:
        left = size
        while left:
            chunk = os.urandom(min(block, left))
            digest.update(chunk)
            handle.write(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def template(sshd: Sshd, source: Path, remote: Path) -> dict[str, object]:
    return {
        "builders": [
            {
                "type": "null",
                "ssh_host": sshd.host,
                "ssh_port": sshd.port,
                "ssh_username": sshd.user,
                "ssh_private_key_file": str(sshd.client_key_path),
            }
        ],
        "provisioners": [{"type": "file", "source": str(source), "destination": str(remote)}],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--packer", default=os.environ.get("PACKER", "/usr/bin/packer"))
    parser.add_argument("--json", help="also write the raw timings here")
    args = parser.parse_args()

    script = Path(sysconfig.get_path("scripts")) / "packer-py"
    with tempfile.TemporaryDirectory(prefix="packer-py-bench-upload-") as tmp:
        work = Path(tmp)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "PYTHONPATH": str(REPO),
            "CHECKPOINT_DISABLE": "1",
            "LANG": "C.UTF-8",
        }
        source = work / "payload.bin"
        expected = write_random(source, args.size_mib << 20)
        remote = work / "received.bin"
        sshd = Sshd.start(work / "sshd", instance_user="ec2-user")
        try:
            (work / "upload.json").write_text(json.dumps(template(sshd, source, remote), indent=2))
            scp = [
                "scp",
                "-q",
                "-i",
                str(sshd.client_key_path),
                "-P",
                str(sshd.port),
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "BatchMode=yes",
                str(source),
                f"{sshd.user}@{sshd.host}:{remote}",
            ]
            commands = {
                "scp": scp,
                "packer": [args.packer, "build", "-color=false", "upload.json"],
                "packer-py": [str(script), "build", "-color=false", "upload.json"],
            }
            times: dict[str, list[float]] = {name: [] for name in commands}
            for round_ in range(args.runs):
                names = list(commands) if round_ % 2 == 0 else list(reversed(commands))
                for name in names:
                    remote.unlink(missing_ok=True)
                    started = time.perf_counter()
                    proc = subprocess.run(commands[name], cwd=work, env=env, capture_output=True, text=True)
                    took = time.perf_counter() - started
                    if proc.returncode != 0 or sha256(remote) != expected:
                        print(proc.stdout + proc.stderr, file=sys.stderr)
                        raise SystemExit(f"{name}: exit {proc.returncode} or a damaged copy")
                    times[name].append(took)
                    print(f"round {round_ + 1} {name:10} {took:6.3f} s", file=sys.stderr)
        finally:
            sshd.stop()

    mib = args.size_mib
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"file upload of {mib} MiB to a loopback sshd, {args.runs} interleaved rounds, whole-command wall time:")
    for name, seconds in medians.items():
        print(f"  {name:10} {seconds:6.3f} s  {mib / seconds:7.1f} MiB/s")
    print(f"packer-py / scp throughput:    {medians['scp'] / medians['packer-py']:5.2f}  (target >= 0.8)")
    print(f"packer-py / Packer throughput: {medians['packer'] / medians['packer-py']:5.2f}  (target >= 1.0)")
    if args.json:
        Path(args.json).write_text(json.dumps({"times": times, "medians": medians}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
