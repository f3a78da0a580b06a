"""Upload throughput of packer-py's SSH communicator against the OpenSSH ``scp`` client (not a unit test).

    python bench/ssh_upload.py [--size-mib 256] [--runs 3]

Starts a private test sshd on a loopback port (tests/harness), writes a file of random bytes, and uploads it with
``scp`` and with ``SSHCommunicator.put`` (scp method, then sftp method), each time over a fresh connection, so
connection setup is counted on both sides. Prints the best time of each and the throughput ratio
(scp time / communicator time: 1.0 means as fast as scp, the target is >= 0.8).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from packer_py.communicator import SSHCommunicator, SSHConfig
from tests.harness.sshd import Sshd


def _write_random(path: Path, size: int) -> None:
    block = 1 << 20
    with open(path, "wb") as handle:
        handle.writelines(os.urandom(block) for _ in range(size // block))
        handle.write(os.urandom(size % block))


def _best(runs: int, action: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="packer-py-bench-") as tmp:
        work = Path(tmp)
        source = work / "payload.bin"
        _write_random(source, args.size_mib << 20)
        server = Sshd.start(work / "sshd")
        remote = work / "received.bin"
        try:
            scp_cmd = [
                "scp",
                "-q",
                "-i",
                str(server.client_key_path),
                "-P",
                str(server.port),
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "BatchMode=yes",
                str(source),
                f"{server.user}@{server.host}:{remote}",
            ]

            def with_scp() -> None:
                subprocess.run(scp_cmd, check=True)

            def with_communicator(method: str) -> None:
                config = SSHConfig(
                    ssh_host=server.host,
                    ssh_port=server.port,
                    ssh_username=server.user,
                    ssh_private_key=server.client_key_text,
                    ssh_file_transfer_method=method,
                )
                with SSHCommunicator(config) as comm:
                    comm.put(source, str(remote))

            scp_time = _best(args.runs, with_scp)
            ours = {method: _best(args.runs, lambda m=method: with_communicator(m)) for method in ("scp", "sftp")}
            if remote.stat().st_size != source.stat().st_size:
                raise SystemExit("upload size mismatch")
        finally:
            server.stop()

    mib = args.size_mib
    print(f"payload: {mib} MiB, best of {args.runs}, fresh connection each time")
    print(f"scp client:                    {scp_time:6.2f} s  ({mib / scp_time:7.1f} MiB/s)")
    for method, seconds in ours.items():
        print(
            f"packer-py put ({method:4} method):  {seconds:6.2f} s  ({mib / seconds:7.1f} MiB/s)"
            f"  ratio {scp_time / seconds:4.2f}x of scp"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
