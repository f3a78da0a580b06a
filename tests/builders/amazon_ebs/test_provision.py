"""StepSetGeneratedData, StepProvision and StepCleanupTempKeys: hook data, failures, the cleanup provisioner, cancel."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from packer_py.build.steps import Cancelled
from packer_py.builders.amazon_ebs.provision import (
    StepCleanupTempKeys,
    StepProvision,
    StepSetGeneratedData,
    hook_data,
)
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, make_state, moto_config

IMAGE = {
    "ImageId": "ami-0123",
    "Name": "base-image",
    "CreationDate": "2020-01-01T00:00:00.000Z",
    "OwnerId": "137112412989",
    "ImageOwnerAlias": "amazon",
    "Tags": [{"Key": "os", "Value": "al2"}],
}


@pytest.fixture
def state(moto: Any) -> EbsState:
    made = make_state(moto, moto_config(moto, "ami-0123", ssh_username="builder"))
    made.source_image = dict(IMAGE)
    made.instance = {"InstanceId": "i-0abc"}
    made.ssh_host, made.ssh_port = "10.0.0.5", 22
    made.ssh_private_key = "KEY"
    return made


@dataclass
class FakeComm:
    commands: list[str] = field(default_factory=list)

    def run(self, command: str, **_: Any) -> Any:
        self.commands.append(command)
        return None


def test_generated_data_is_the_build_info(state: EbsState) -> None:
    StepSetGeneratedData().run(state)
    assert state.generated_data == {
        "SourceAMIName": "base-image",
        "BuildRegion": REGION,
        "SourceAMI": "ami-0123",
        "SourceAMICreationDate": "2020-01-01T00:00:00.000Z",
        "SourceAMIOwner": "137112412989",
        "SourceAMIOwnerName": "amazon",
    }


def test_hook_data_is_packers(state: EbsState) -> None:
    StepSetGeneratedData().run(state)
    data = hook_data(state, state.config)
    assert {k: data[k] for k in ("ID", "Host", "Port", "User", "ConnType", "SSHPrivateKey", "SSHAgentAuth")} == {
        "ID": "i-0abc",
        "Host": "10.0.0.5",
        "Port": 22,
        "User": "builder",
        "ConnType": "ssh",
        "SSHPrivateKey": "KEY",
        "SSHAgentAuth": False,
    }
    assert data["PackerHTTPAddr"] == "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER"
    assert data["SourceAMIName"] == "base-image"


def test_provision_gets_the_communicator_and_the_data(state: EbsState) -> None:
    seen: list[tuple[Any, dict[str, object]]] = []
    state.communicator = FakeComm()
    state.provision = lambda comm, data: seen.append((comm, data))
    StepProvision(state.config).run(state)
    [(comm, data)] = seen
    assert comm is state.communicator and data["ID"] == "i-0abc"


def test_a_provisioning_failure_is_the_builds_error_and_runs_the_cleanup_provisioner(state: EbsState) -> None:
    cleanup_calls: list[dict[str, object]] = []

    def fail(comm: Any, data: dict[str, object]) -> None:
        raise BuildError("Script exited with non-zero exit status: 3.Allowed exit codes are: [0]")

    state.provision = fail
    state.cleanup_provision = lambda comm, data: cleanup_calls.append(data)
    step = StepProvision(state.config)
    with pytest.raises(BuildError) as info:
        step.run(state)
    state.error = info.value
    step.cleanup(state)
    assert state.ui.says() == ["Provisioning step had errors: Running the cleanup provisioner, if present..."]
    assert len(cleanup_calls) == 1


def test_a_failing_cleanup_provisioner_wraps_the_error(state: EbsState) -> None:
    def fail(comm: Any, data: dict[str, object]) -> None:
        raise BuildError("cleanup broke")

    state.cleanup_provision = fail
    state.error = BuildError("original")
    StepProvision(state.config).cleanup(state)
    assert str(state.error) == "Cleanup failed: cleanup broke. Original Provisioning error: original"


def test_no_error_no_cleanup_provisioner(state: EbsState) -> None:
    state.cleanup_provision = lambda comm, data: (_ for _ in ()).throw(AssertionError("must not run"))
    StepProvision(state.config).cleanup(state)
    assert state.ui.lines == []


def test_a_cancel_ends_provisioning_at_once(state: EbsState) -> None:
    release = threading.Event()
    state.provision = lambda comm, data: release.wait(30)
    threading.Timer(0.2, state.cancel_event.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        StepProvision(state.config).run(state)
    assert time.monotonic() - started < 2
    release.set()


def test_temporary_keys_are_removed_from_authorized_keys_when_asked(state: EbsState) -> None:
    comm = FakeComm()
    state.communicator = comm
    StepCleanupTempKeys(True, "ssh", "packer_abc").run(state)
    assert state.ui.says() == ["Trying to remove ephemeral keys from authorized_keys files"]
    assert comm.commands == [
        "sed -i.bak '/ packer_abc$/d' ~/.ssh/authorized_keys; rm ~/.ssh/authorized_keys.bak",
        "sudo sed -i.bak '/ packer_abc$/d' /root/.ssh/authorized_keys; sudo rm /root/.ssh/authorized_keys.bak",
    ]
    for args in ((False, "ssh", "packer_abc"), (True, "none", "packer_abc"), (True, "ssh", "")):
        quiet = FakeComm()
        state.communicator = quiet
        StepCleanupTempKeys(*args).run(state)
        assert quiet.commands == []
