#!/usr/bin/env python3
"""Benchmark: the seed template ``templates/httpd.json`` built by packer-py and by Packer 1.6.6, against one moto
server and one OpenSSH sshd (not a unit test).

    python bench/build.py [--runs 7] [--builders 4] [--packer /usr/bin/packer] [--json FILE]

Starts the test harness's moto server and its "instance" sshd (``ec2-user`` logs in with the key pair the build
creates through EC2; ``sudo``/``yum``/``systemctl``/``aws`` are stand-ins: see ``tests/harness/sshd.py``). The seed
template is copied with only what reaching them needs: ``custom_endpoint_ec2``, ``ssh_host``, ``ssh_port`` and a
source AMI moto ships (Packer needs no other change: ``DescribeRegions`` is answered by moto too). Credentials are
given as the template's own variables (``-var aws_access_key=testing``).

Between runs, what the run left in moto is checked and removed: its AMIs and their snapshots are deregistered and
deleted (so ``{{timestamp}}`` names never collide and every run starts from the same account), anything else is a
leak and stops the benchmark. moto itself is not reset: like a real AWS region, it stays warm (a reset makes the next
request in a region rebuild moto's default VPC and AMI catalogue, ~0.1 s of moto's time inside whichever run comes
next). One warm-up round is not counted. Then each round runs each command once, in an order that alternates from
round to round:

* ``packer build`` (``--packer``; ``CHECKPOINT_DISABLE=1``, as a CI machine sets it),
* ``packer-py build`` through the installed console script (``sysconfig.get_path('scripts')``, the real entry point
  and interpreter, never a pyenv shim), importing this checkout (``PYTHONPATH``),
* ``packer-py build`` of a version of the template with ``--builders`` copies of the builder (distinct names and
  AMI names), and the same with Packer for reference.

Every run must exit 0 and leave its AMI(s) in moto. Prints per-command medians and the issue's two ratios:
packer-py / Packer (target <= 0.5) and packer-py N builders / 1 builder (target <= 1.5), and, per command, the CPU
time the servers spent on the run (moto's process; sshd with its per-connection processes and the
``AuthorizedKeysCommand``): the build's AWS calls and commands are sequential, so that time is a floor under any
client's wall time.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.harness.moto_server import MotoServer  # noqa: E402
from tests.harness.sshd import Sshd  # noqa: E402

REGION = "eu-west-1"
"""The seed template's region."""


def seed_template(moto: MotoServer, sshd: Sshd, source_ami: str) -> dict[str, Any]:
    """``templates/httpd.json`` changed only by endpoint, SSH address and source AMI."""
    template: dict[str, Any] = json.loads((REPO / "templates" / "httpd.json").read_text())
    builder = template["builders"][0]
    builder.update(custom_endpoint_ec2=moto.endpoint, ssh_host=sshd.host, ssh_port=sshd.port, source_ami=source_ami)
    return template


def multi_builder(template: dict[str, Any], count: int) -> dict[str, Any]:
    """``count`` copies of the builder, named ``httpd-1``... with AMI names that cannot collide."""
    out = copy.deepcopy(template)
    base = out["builders"][0]
    out["builders"] = [
        {**base, "name": f"httpd-{i}", "ami_name": f"httpd-{i} {{{{timestamp}}}}"} for i in range(1, count + 1)
    ]
    return out


def console_script() -> Path:
    """The installed ``packer-py`` entry point (the interpreter's scripts directory, not a shim on PATH)."""
    path = Path(sysconfig.get_path("scripts")) / "packer-py"
    if not path.exists():
        raise SystemExit(f"{path} not found: pip install -e . first")
    return path


def environment(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "CHECKPOINT_DISABLE": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def check_import_path(script: Path, env: dict[str, str]) -> None:
    """The console script's interpreter must import this checkout's packer_py."""
    python = script.read_text().splitlines()[0].removeprefix("#!").strip()
    found = subprocess.run(
        [python, "-c", "import packer_py; print(packer_py.__file__)"], env=env, capture_output=True, text=True
    ).stdout.strip()
    if not found.startswith(str(REPO)):
        raise SystemExit(f"{script} imports packer_py from {found}, not from {REPO}")


def cpu_seconds(pid: int, *, children: bool) -> float:
    """utime + stime of a process (and of its reaped children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu(moto: MotoServer, sshd: Sshd) -> float:
    return cpu_seconds(moto.process.pid, children=False) + cpu_seconds(sshd.process.pid, children=True)


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, proc


def clean_up(moto: MotoServer) -> list[str]:
    """Remove the AMIs and snapshots a run left (returning the AMI names); anything else left is a leak."""
    left = moto.leftovers(regions=[REGION])
    leaks = [r for r in left if r.kind not in ("image", "snapshot")]
    if leaks:
        raise SystemExit(f"a build leaked: {leaks}")
    ec2 = moto.client("ec2", REGION)
    for resource in left.of_kind("image"):
        ec2.deregister_image(ImageId=resource.id)
    for resource in left.of_kind("snapshot"):
        ec2.delete_snapshot(SnapshotId=resource.id)
    moto.reset_recording()
    return sorted(r.name for r in left.of_kind("image"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first")
    parser.add_argument("--builders", type=int, default=4)
    parser.add_argument("--packer", default=os.environ.get("PACKER", "/usr/bin/packer"))
    parser.add_argument("--json", help="also write the raw timings here")
    args = parser.parse_args()

    script = console_script()
    with tempfile.TemporaryDirectory(prefix="packer-py-bench-build-") as tmp:
        work = Path(tmp)
        env = environment(work)
        check_import_path(script, env)
        moto = MotoServer.start(work / "moto")
        sshd = Sshd.start(work / "sshd", moto_endpoint=moto.endpoint, instance_user="ec2-user")
        try:
            source = moto.default_ami(REGION)
            one = seed_template(moto, sshd, source.image_id)
            many = multi_builder(one, args.builders)
            (work / "httpd.json").write_text(json.dumps(one, indent=2))
            (work / "httpd-many.json").write_text(json.dumps(many, indent=2))
            creds = ["-var", "aws_access_key=testing", "-var", "aws_secret_key=testing"]
            commands = {
                "packer": ([args.packer, "build", "-color=false", *creds, "httpd.json"], 1),
                "packer-py": ([str(script), "build", "-color=false", *creds, "httpd.json"], 1),
                f"packer-py x{args.builders}": (
                    [str(script), "build", "-color=false", *creds, "httpd-many.json"],
                    args.builders,
                ),
                f"packer x{args.builders}": (
                    [args.packer, "build", "-color=false", *creds, "httpd-many.json"],
                    args.builders,
                ),
            }
            times: dict[str, list[float]] = {name: [] for name in commands}
            servers: dict[str, list[float]] = {name: [] for name in commands}
            names = list(commands)
            clean_up(moto)
            for round_ in range(-args.warmup, args.runs):
                order = names if round_ % 2 == 0 else list(reversed(names))
                for name in order:
                    argv, expected = commands[name]
                    before = server_cpu(moto, sshd)
                    took, proc = timed(argv, work, env)
                    time.sleep(0.05)  # the last connection's sshd process is reaped
                    spent = server_cpu(moto, sshd) - before
                    built = clean_up(moto)
                    if proc.returncode != 0 or len(built) != expected:
                        print(proc.stdout + proc.stderr, file=sys.stderr)
                        raise SystemExit(f"{name}: exit {proc.returncode}, AMIs {built}")
                    if round_ >= 0:
                        times[name].append(took)
                        servers[name].append(spent)
                    print(f"round {round_ + 1} {name:14} {took:6.3f} s", file=sys.stderr)
        finally:
            sshd.stop()
            moto.stop()

    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"seed template, {args.runs} interleaved rounds (+{args.warmup} warm-up), median wall time:")
    for name, value in medians.items():
        spread = f"min {min(times[name]):.3f}, max {max(times[name]):.3f}"
        floor = statistics.median(servers[name])
        print(f"  {name:16} {value:6.3f} s  ({spread}); servers' CPU {floor:5.3f} s")
    ratio = medians["packer-py"] / medians["packer"]
    scale = medians[f"packer-py x{args.builders}"] / medians["packer-py"]
    packer_scale = medians[f"packer x{args.builders}"] / medians["packer"]
    print(f"packer-py / Packer:                    {ratio:5.2f}  (target <= 0.5)")
    print(f"packer-py {args.builders} builders / 1 builder:      {scale:5.2f}  (target <= 1.5)")
    print(f"Packer {args.builders} builders / 1 builder (reference): {packer_scale:5.2f}")
    if args.json:
        data = {"times": times, "medians": medians, "server_cpu": servers}
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
