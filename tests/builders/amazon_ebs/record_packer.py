"""Record Packer 1.6.6's amazon-ebs builds against the harness's moto server and sshd; write the goldens and
``docs/amazon-ebs-steps.md``.

    python -m tests.builders.amazon_ebs.record_packer            # every case in cases.py
    python -m tests.builders.amazon_ebs.record_packer httpd      # some cases

For each case the real ``packer build -color=false`` runs a template whose builder is the case's and whose
provisioners are shell ``inline`` commands, against a fresh moto (``custom_endpoint_ec2``) and the harness sshd
(``ssh_host``/``ssh_port``). Written to ``goldens/<case>.json``: Packer's builder UI lines and summary lines
(normalised: ids, UUIDs, ports, durations, temporary paths), the ordered EC2/IAM/STS actions moto received, what was
left in moto, and the exit code. The cancellation case sends SIGINT once provisioning has started.

Then the ``httpd`` case is built again by packer-py's builder (same template, same moto and sshd), and both
action lists are written side by side to ``docs/amazon-ebs-steps.md``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from tests.builders.amazon_ebs.cases import CASES, Case, builder_lines, normalise
from tests.harness.moto_server import MotoServer
from tests.harness.ports import SilentPort
from tests.harness.sshd import Sshd

HERE = Path(__file__).resolve().parent
GOLDENS = HERE / "goldens"
REPO = HERE.parents[2]
DOC = REPO / "docs" / "amazon-ebs-steps.md"
PACKER = os.environ.get("PACKER_BIN", "packer")

_TMP_PATH = re.compile(r"/tmp/[^\s:'\"]+")


def template(
    case: Case, moto: MotoServer, ssh: Any, source_ami: str, extra: dict[str, object] | None = None
) -> dict[str, object]:
    return {
        "builders": [{**case.builder(moto, ssh, source_ami), **(extra or {})}],
        "provisioners": [{"type": "shell", "inline": list(case.inline)}],
    }


def packer_env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TZ": "UTC",
        "CHECKPOINT_DISABLE": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def run_packer(case: Case, path: Path, home: Path) -> tuple[int, str]:
    process = subprocess.Popen(
        [PACKER, "build", "-color=false", path.name],
        cwd=path.parent,
        env=packer_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so that SIGINT reaches it as a Ctrl-C would
    )
    assert process.stdout is not None
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if case.cancel_while_provisioning and "Provisioning with shell script" in line:
                time.sleep(1.0)  # let the script start on the sshd
                os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole group (Packer and its plugin child)

    reader = threading.Thread(target=read)
    reader.start()
    code = process.wait(timeout=300)
    reader.join()
    return code, "".join(lines)


def prepare(case: Case, moto: MotoServer, sshd: Sshd) -> tuple[str, dict[str, object]]:
    """A fresh moto with what the case needs; returns the source AMI and the builder keys of the setup."""
    moto.reset()
    source = moto.default_ami(case.region)
    if case.taken_ami_name:
        moto.register_ami(case.taken_ami_name, region=case.region)
    extra = case.setup(moto, sshd, case.region) if case.setup else {}
    return source.image_id, extra


def record_case(case: Case, moto: MotoServer, sshd: Sshd, work: Path) -> dict[str, object]:
    source_ami, extra = prepare(case, moto, sshd)
    with SilentPort() as silent:
        ssh: Any = silent if case.ssh == "silent" else sshd
        path = work / f"{case.name}.json"
        path.write_text(json.dumps(template(case, moto, ssh, source_ami, extra), indent=2))
        code, output = run_packer(case, path, work)
    calls = [[c.service, c.action, c.region] for c in moto.api_log()]
    leftovers = [str(r) for r in moto.leftovers()]
    summary = [
        _TMP_PATH.sub("/tmp/PATH", normalise(line))
        for line in output.splitlines()
        if not line.startswith(("==> amazon-ebs: ", "    amazon-ebs: ")) and line.strip()
    ]
    return {
        "command": f"{PACKER} build -color=false {case.name}.json",
        "packer_version": subprocess.run([PACKER, "version"], capture_output=True, text=True).stdout.strip(),
        "exit_code": code,
        "builder_lines": [_TMP_PATH.sub("/tmp/PATH", line) for line in builder_lines(output)],
        "summary_lines": summary,
        "api_calls": calls,
        "leftovers": [normalise(item) for item in leftovers],
    }


def run_packer_py(case: Case, moto: MotoServer, sshd: Sshd) -> list[list[str]]:
    """The same build with packer-py's builder; its provision hook runs the inline commands over SSH."""
    from packer_py.api import load_template
    from packer_py.builders.amazon_ebs import Builder
    from tests.builders.amazon_ebs.support import RecordingUi, make_context

    source_ami, extra = prepare(case, moto, sshd)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.json"
        path.write_text(json.dumps(template(case, moto, sshd, source_ami, extra)))
        loaded = load_template(str(path))
        result = loaded.validate()
        assert result.ok, result.render()
        config = result.builds[0].builder_config

    def provision(comm: Any, data: dict[str, str]) -> None:
        for command in case.inline:
            comm.run(command, on_stdout=lambda _line: None, on_stderr=lambda _line: None)

    Builder(config).run(make_context(RecordingUi(), provision, environ=packer_env(Path("."))))
    return [[c.service, c.action, c.region] for c in moto.api_log()]


def write_doc(packer_calls: list[list[str]], ours: list[list[str]]) -> None:
    rows = []
    width = max(len(packer_calls), len(ours))
    for index in range(width):
        theirs = packer_calls[index] if index < len(packer_calls) else None
        mine = ours[index] if index < len(ours) else None
        left = f"{theirs[0]} `{theirs[1]}`" if theirs else ""
        right = f"{mine[0]} `{mine[1]}`" if mine else ""
        same = "" if (theirs or [])[:2] == (mine or [])[:2] else " ≠"
        rows.append(f"| {index + 1} | {left} | {right}{same} |")
    verdict = (
        "The two lists are identical."
        if [c[:2] for c in packer_calls] == [c[:2] for c in ours]
        else "Rows marked ≠ differ (see the notes below the table)."
    )
    DOC.write_text(
        "# amazon-ebs: the AWS calls of one build, Packer 1.6.6 and packer-py\n\n"
        "Recorded by `python -m tests.builders.amazon_ebs.record_packer` (do not edit by hand): the `httpd` case of\n"
        "`tests/builders/amazon_ebs/cases.py` (a temporary IAM instance profile, run tags, AMI tags with\n"
        "`{{ .SourceAMIName }}`, snapshot tags, an AMI description, two shell `inline` provisioners) built once by\n"
        "the real `packer build` and once by packer-py's builder, against the same moto server (reached through\n"
        "`custom_endpoint_ec2`) and the same OpenSSH sshd (`ssh_host`/`ssh_port`). The actions are those moto\n"
        "recorded, in order, with the service that signed each request (IAM calls go to the same endpoint, as\n"
        "Packer 1.6.6 sets `custom_endpoint_ec2` on its shared session). `test_packer_parity.py` checks the same\n"
        "lists (and the builder's UI lines) on every test run.\n\n"
        f"{verdict}\n\n"
        "| # | Packer 1.6.6 | packer-py |\n|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "Step by step (Packer's step, then its calls): StepPreValidate `DescribeRegions` (region validation) and\n"
        "`DescribeImages` (AMI name free); StepSourceAMIInfo `DescribeImages`; StepKeyPair `CreateKeyPair`;\n"
        "StepSecurityGroup `CreateSecurityGroup`, `DescribeSecurityGroups` (wait), `AuthorizeSecurityGroupIngress`;\n"
        "StepIamInstanceProfile `CreateInstanceProfile`, `GetInstanceProfile` (wait), `CreateRole`, `GetRole`\n"
        "(wait), `PutRolePolicy`, `AddRoleToInstanceProfile`; StepRunSourceInstance `RunInstances`,\n"
        "`DescribeInstances` (wait running) and `DescribeInstances`; StepStopEBSBackedInstance `StopInstances`,\n"
        "`DescribeInstances` (wait stopped); stepCreateAMI `CreateImage`, `DescribeImages` (wait available),\n"
        "`DescribeImages` (snapshots); StepModifyAMIAttributes `ModifyImageAttribute` (description);\n"
        "StepCreateTags `DescribeImages`, `CreateTags` (AMI and snapshot), `CreateTags` (snapshot tags); then the\n"
        "cleanups in reverse: `TerminateInstances` + `DescribeInstances` (wait terminated), `DescribeVolumes`\n"
        "(StepCleanupVolumes), the IAM deletions, `DeleteSecurityGroup`, `DeleteKeyPair`.\n"
    )


def main(names: list[str]) -> int:
    GOLDENS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="record-packer-") as tmp:
        work = Path(tmp)
        moto = MotoServer.start(work / "moto")
        sshd = Sshd.start(work / "sshd", moto_endpoint=moto.endpoint)
        try:
            recorded: dict[str, dict[str, object]] = {}
            for name in names or list(CASES):
                case = CASES[name]
                print(f"recording {name} ...", file=sys.stderr)
                recorded[name] = record_case(case, moto, sshd, work)
                (GOLDENS / f"{name}.json").write_text(json.dumps(recorded[name], indent=2) + "\n")
            if "httpd" in recorded:
                ours = run_packer_py(CASES["httpd"], moto, sshd)
                write_doc(recorded["httpd"]["api_calls"], ours)  # type: ignore[arg-type]
        finally:
            sshd.stop()
            moto.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
