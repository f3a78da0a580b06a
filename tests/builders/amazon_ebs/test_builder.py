"""The whole builder against moto and the harness sshd: the journal, a failure after the AMI exists, -on-error=abort,
cancelling while SSH is awaited, -debug pauses, and lazy imports. (Packer's own runs of the same kind of builds are
compared line by line in test_packer_parity.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from packer_py.build.journal import Journal
from packer_py.build.steps import step_name
from packer_py.builders.amazon_ebs import Builder
from packer_py.builders.amazon_ebs.builder import steps
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.errors import BuildError, PackerPyError
from tests.builders.amazon_ebs.support import REGION, RecordingUi, decode, make_context, moto_config

PACKER_1_6_6_STEPS = [
    "StepPreValidate",
    "StepSourceAMIInfo",
    "StepNetworkInfo",
    "StepKeyPair",
    "StepSecurityGroup",
    "StepIamInstanceProfile",
    "StepCleanupVolumes",
    "StepRunSourceInstance",
    "StepGetPassword",
    "StepCreateSSMTunnel",
    "StepConnect",
    "StepSetGeneratedData",
    "StepProvision",
    "StepCleanupTempKeys",
    "StepStopEBSBackedInstance",
    "StepModifyEBSBackedInstance",
    "StepDeregisterAMI",
    "stepCreateAMI",
    "StepAMIRegionCopy",
    "StepModifyAMIAttributes",
    "StepCreateTags",
]
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": ["*"]}]}


def test_the_step_list_is_packers() -> None:
    assert [step_name(s) for s in steps(EbsConfig())] == PACKER_1_6_6_STEPS
    spot = [step_name(s) for s in steps(EbsConfig(spot_price="auto"))]
    assert spot[7] == "StepRunSpotInstance" and len(spot) == len(PACKER_1_6_6_STEPS)


def config(moto: Any, ssh: Any, **keys: object) -> dict[str, object]:
    ssh_keys: dict[str, object] = {
        "ssh_host": ssh.host,
        "ssh_port": ssh.port,
        "ssh_username": getattr(ssh, "user", "ec2-user"),
        "ssh_timeout": "10s",
    }
    return decode(moto_config(moto, moto.default_ami(REGION).image_id, **{**ssh_keys, **keys}))


def echo(comm: Any, data: dict[str, object]) -> None:
    result = comm.run("echo provisioned", on_stdout=lambda _line: None, on_stderr=lambda _line: None)
    if result.exit_status != 0:
        raise BuildError("echo failed")


def test_the_journal_lists_live_resources_and_is_gone_after_a_clean_build(moto: Any, sshd: Any, tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    seen: list[list[dict[str, Any]]] = []

    def provision(comm: Any, data: dict[str, object]) -> None:
        seen.append(json.loads(path.read_text()))
        echo(comm, data)

    ctx = make_context(RecordingUi(), provision, journal=Journal(path))
    artifact = Builder(config(moto, sshd, temporary_iam_instance_profile_policy_document=POLICY)).run(ctx)
    assert artifact is not None
    kinds = sorted(entry["kind"] for entry in seen[0])
    assert kinds == ["iam_instance_profile", "iam_role", "iam_role_policy", "instance", "key_pair", "security_group"]
    assert {entry["region"] for entry in seen[0] if entry["kind"].startswith("iam")} == {""}
    assert not path.exists()
    leftovers = moto.leftovers()
    assert sorted(r.kind for r in leftovers) == ["image", "snapshot"]
    assert artifact.id() == f"{REGION}:{leftovers.of_kind('image')[0].id}"
    assert artifact.state("generated_data")["SourceAMI"] == moto.default_ami(REGION).image_id


def test_a_failure_after_the_ami_exists_deregisters_it(moto: Any, sshd: Any) -> None:
    ui = RecordingUi()
    builder = Builder(config(moto, sshd, tags={"Broken": "{{ .SourceAMI | nofunc }}"}))
    with pytest.raises(PackerPyError, match="^Error processing tag: Broken:"):
        builder.run(make_context(ui, echo))
    says = ui.says()
    assert "Deregistering the AMI and deleting associated snapshots because of cancellation, or error..." in says
    assert "Provisioning step had errors: Running the cleanup provisioner, if present..." in says
    assert not moto.leftovers()


def test_on_error_abort_leaves_everything_and_the_journal_says_what(moto: Any, sshd: Any, tmp_path: Path) -> None:
    def fail(comm: Any, data: dict[str, object]) -> None:
        raise BuildError("provisioning failed")

    journal = Journal(tmp_path / "journal.json")
    with pytest.raises(BuildError, match="provisioning failed"):
        Builder(config(moto, sshd)).run(make_context(RecordingUi(), fail, journal=journal, on_error="abort"))
    recorded = {(r.kind, r.id) for r in Journal.read(tmp_path / "journal.json")}
    left = {(r.kind, r.name if r.kind == "key_pair" else r.id) for r in moto.leftovers() if r.kind != "volume"}
    assert {kind for kind, _ in recorded} == {"instance", "key_pair", "security_group"}
    assert recorded == left


class CancelWhenWaitingForSsh(RecordingUi):
    """Ctrl-C a moment after ``Waiting for SSH to become available...``."""

    cancel: threading.Event = threading.Event()

    def say(self, text: str) -> None:
        super().say(text)
        if text == "Waiting for SSH to become available...":
            threading.Timer(0.3, self.cancel.set).start()


def test_a_cancel_while_waiting_for_ssh_cleans_up_quickly(moto: Any, silent_port: Any) -> None:
    ui = CancelWhenWaitingForSsh()
    ui.cancel = threading.Event()
    builder = Builder(config(moto, silent_port, ssh_timeout="5m"))
    started = time.monotonic()
    artifact = builder.run(make_context(ui, echo, cancel_event=ui.cancel))
    assert artifact is None and time.monotonic() - started < 10
    assert "Terminating the source AWS instance..." in ui.says()
    assert not moto.leftovers()


def test_debug_pauses_after_each_step_and_before_each_cleanup(moto: Any, sshd: Any) -> None:
    prompts: list[str] = []
    ctx = make_context(RecordingUi(), echo)
    ctx.options.debug = True
    ctx.pause = prompts.append  # type: ignore[attr-defined]
    Builder(config(moto, sshd)).run(ctx)
    assert prompts[0] == "Pausing after run of step 'StepPreValidate'. Press enter to continue."
    assert "Pausing after run of step 'stepCreateAMI'. Press enter to continue." in prompts
    assert prompts[-1] == "Pausing before cleanup of step 'StepPreValidate'. Press enter to continue."
    assert len(prompts) == 2 * len(PACKER_1_6_6_STEPS)


def test_importing_the_builder_loads_no_aws_or_ssh_library() -> None:
    code = (
        "import sys, packer_py.builders.amazon_ebs as b; "
        "print(sorted(m for m in ('boto3', 'botocore', 'paramiko') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
