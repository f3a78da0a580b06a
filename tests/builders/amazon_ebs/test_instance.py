"""StepRunSourceInstance against moto: what the launch asks for, user data, tags, waits and termination."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from packer_py.builders.amazon_ebs.access import AwsClient
from packer_py.builders.amazon_ebs.boundary import AwsApiError
from packer_py.builders.amazon_ebs.config import BlockDevice, MetadataOptions
from packer_py.builders.amazon_ebs.instance import StepRunSourceInstance, is_base64, load_user_data
from packer_py.builders.amazon_ebs.state import RUN_ID_TAG, EbsState
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, RUN_UUID, make_state, moto_config


def step(**overrides: Any) -> StepRunSourceInstance:
    fields: dict[str, Any] = {
        "instance_type": "t2.micro",
        "launch_mappings": (),
        "associate_public_ip_address": False,
        "ebs_optimized": False,
        "enable_t2_unlimited": False,
        "shutdown_behavior": "stop",
        "tenancy": "",
        "user_data": "",
        "user_data_file": "",
        "run_tags": {},
        "run_volume_tags": {},
        "no_ephemeral": False,
        "metadata": None,
    }
    fields.update(overrides)
    return StepRunSourceInstance(**fields)


def ready_state(moto: Any, region: str = REGION) -> EbsState:
    source = moto.default_ami(region)
    state = make_state(moto, moto_config(moto, source.image_id, region=region))
    state.source_image = moto.client("ec2", region).describe_images(ImageIds=[source.image_id])["Images"][0]
    return state


def described(moto: Any, instance_id: str, region: str = REGION) -> dict[str, Any]:
    found = moto.client("ec2", region).describe_instances(InstanceIds=[instance_id])
    instance: dict[str, Any] = found["Reservations"][0]["Instances"][0]
    return instance


def tags(item: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in item.get("Tags", [])}


# -- user data -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "encoded"),
    [("", True), ("aGVsbG8=", True), ("aGVs\nbG8=\r\n", True), ("aGVsbG8", False), ("#!/bin/sh\necho hi", False)],
)
def test_base64_is_gos_std_encoding(text: str, encoded: bool) -> None:
    assert is_base64(text) is encoded


def test_user_data_is_encoded_unless_it_already_is(tmp_path: Path) -> None:
    assert load_user_data("#!/bin/sh\necho hi", "") == base64.b64encode(b"#!/bin/sh\necho hi").decode()
    assert load_user_data("aGVsbG8=", "") == "aGVsbG8="
    path = tmp_path / "user-data"
    path.write_text("#cloud-config\n")
    assert load_user_data("", str(path)) == base64.b64encode(b"#cloud-config\n").decode()
    with pytest.raises(BuildError, match="^Problem reading user data file: open "):
        load_user_data("", str(tmp_path / "missing"))


@pytest.mark.parametrize(("given", "stored"), [("#!/bin/sh\necho hi", b"#!/bin/sh\necho hi"), ("aGVsbG8=", b"hello")])
def test_the_instance_gets_the_user_data_packer_would_send(moto: Any, given: str, stored: bytes) -> None:
    state = ready_state(moto)
    step(user_data=given).run(state)
    value = moto.client("ec2").describe_instance_attribute(InstanceId=state.instance_id, Attribute="userData")
    assert base64.b64decode(value["UserData"]["Value"]) == stored


# -- the launch ------------------------------------------------------------------------------------------------------
def test_launch_with_key_groups_profile_tags_and_wait(moto: Any) -> None:
    state = ready_state(moto)
    ec2 = moto.client("ec2")
    group = ec2.create_security_group(GroupName="g", Description="d")["GroupId"]
    moto.own(group)
    state.security_group_ids = [group]
    state.ssh_key_pair_name = "kp"
    ec2.create_key_pair(KeyName="kp")
    instance_step = step(
        run_tags={"Owner": "{{ .SourceAMIName }}", "Name": "builder"},
        run_volume_tags={"Vol": "{{ .BuildRegion }}"},
        shutdown_behavior="terminate",
        metadata=MetadataOptions(http_tokens="required", http_put_response_hop_limit=2),
    )
    instance_step.run(state)
    instance = described(moto, str(state.instance_id))
    assert instance["State"]["Name"] == "running" and instance["KeyName"] == "kp"
    assert [g["GroupId"] for g in instance["SecurityGroups"]] == [group]
    assert tags(instance) == {
        "Owner": state.source_image["Name"],  # type: ignore[index]
        "Name": "builder",
        RUN_ID_TAG: RUN_UUID,
    }
    volume_id = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert tags(ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]) == {"Vol": REGION}
    behaviour = ec2.describe_instance_attribute(
        InstanceId=state.instance_id, Attribute="instanceInitiatedShutdownBehavior"
    )
    assert behaviour["InstanceInitiatedShutdownBehavior"]["Value"] == "terminate"
    assert instance["MetadataOptions"]["HttpTokens"] == "required"
    assert instance["MetadataOptions"]["HttpPutResponseHopLimit"] == 2
    assert state.ui.text() == [
        "==> amazon-ebs: Launching a source AWS instance...",
        "==> amazon-ebs: Adding tags to source instance",
        f'    amazon-ebs: Adding tag: "Owner": "{state.source_image["Name"]}"',  # type: ignore[index]
        '    amazon-ebs: Adding tag: "Name": "builder"',
        f'    amazon-ebs: Adding tag: "Vol": "{REGION}"',
        f"    amazon-ebs: Instance ID: {state.instance_id}",
        f"==> amazon-ebs: Waiting for instance ({state.instance_id}) to become ready...",
    ]
    assert [(r.kind, r.id) for r in state.journal.outstanding()] == [("instance", state.instance_id)]

    instance_step.cleanup(state)
    instance_step.cleanup(state)
    assert described(moto, str(state.instance_id))["State"]["Name"] == "terminated"
    assert state.ui.says().count("Terminating the source AWS instance...") == 1
    assert state.journal.outstanding() == []


def test_a_public_address_in_a_subnet_uses_a_network_interface(moto: Any) -> None:
    state = ready_state(moto)
    subnet = moto.client("ec2").describe_subnets()["Subnets"][0]
    state.subnet_id, state.vpc_id = subnet["SubnetId"], subnet["VpcId"]
    state.availability_zone = subnet["AvailabilityZone"]
    step(associate_public_ip_address=True).run(state)
    instance = described(moto, str(state.instance_id))
    assert instance["SubnetId"] == subnet["SubnetId"]
    assert instance["NetworkInterfaces"][0]["SubnetId"] == subnet["SubnetId"]
    assert instance["Placement"]["AvailabilityZone"] == subnet["AvailabilityZone"]


def test_launch_mappings_are_sent(moto: Any) -> None:
    state = ready_state(moto)
    step(launch_mappings=(BlockDevice(device_name="/dev/sdf", volume_size=3, volume_type="gp2"),)).run(state)
    devices = [m["DeviceName"] for m in described(moto, str(state.instance_id))["BlockDeviceMappings"]]
    assert "/dev/sdf" in devices


def test_an_instance_store_source_is_refused(moto: Any) -> None:
    state = ready_state(moto)
    state.source_image = {**(state.source_image or {}), "RootDeviceType": "instance-store"}
    with pytest.raises(BuildError) as info:
        step().run(state)
    assert (
        str(info.value)
        == "The provided source AMI has an invalid root device type.\nExpected 'ebs', got 'instance-store'."
    )
    assert moto.api_calls() == []


def test_china_and_govcloud_are_tagged_after_the_launch(moto: Any) -> None:
    state = ready_state(moto, "cn-north-1")
    step(run_volume_tags={"V": "1"}).run(state)
    instance = described(moto, str(state.instance_id), "cn-north-1")
    assert tags(instance) == {"Name": "Packer Builder", RUN_ID_TAG: RUN_UUID}
    calls = [action for _service, action in moto.api_calls()]
    assert calls[0] == "RunInstances" and calls.count("CreateTags") == 2
    assert "Adding tags to source EBS Volumes" in state.ui.says()
    step().cleanup(state)


@dataclass
class Scripted:
    """A moto client with some answers replaced, to play AWS behaviour moto does not have."""

    inner: AwsClient
    run_failures: int = 0
    instance_state: str = ""
    calls: list[str] = field(default_factory=list)

    @property
    def region(self) -> str:
        return self.inner.region

    def call(self, operation: str, **params: object) -> dict[str, Any]:
        self.calls.append(operation)
        if operation == "run_instances" and self.calls.count(operation) <= self.run_failures:
            raise AwsApiError(
                "InvalidParameterValue", "Value (packer-x) for parameter iamInstanceProfile.name is invalid"
            )
        result = self.inner.call(operation, **params)
        if operation == "describe_instances" and self.instance_state:
            for reservation in result["Reservations"]:
                for instance in reservation["Instances"]:
                    instance["State"] = {"Name": self.instance_state, "Code": 48}
                    instance["StateTransitionReason"] = "Server.InternalError"
                    instance["StateReason"] = {"Code": "Server.InternalError", "Message": "Internal error on launch"}
        return result


def test_launch_is_retried_while_iam_propagates_the_profile(moto: Any) -> None:
    state = ready_state(moto)
    scripted = Scripted(state.ec2(), run_failures=2)
    state.access._clients[("ec2", REGION)] = scripted  # type: ignore[assignment]
    step().run(state)
    assert scripted.calls.count("run_instances") == 3 and state.instance_id


def test_an_instance_that_dies_while_starting_is_explained_and_terminated(moto: Any) -> None:
    state = ready_state(moto)
    scripted = Scripted(state.ec2(), instance_state="terminated")
    state.access._clients[("ec2", REGION)] = scripted  # type: ignore[assignment]
    instance_step = step()
    with pytest.raises(BuildError) as info:
        instance_step.run(state)
    instance_id = state.journal.outstanding()[0].id
    assert str(info.value) == (
        f"Error waiting for instance ({instance_id}) to become ready: "
        "ResourceNotReady: failed waiting for successful resource state"
    )
    assert state.ui.errors() == [
        str(info.value),
        "Instance state change details: Server.InternalError: Internal error on launch",
    ]
    state.access._clients[("ec2", REGION)] = scripted.inner  # type: ignore[assignment]
    instance_step.cleanup(state)
    assert described(moto, instance_id)["State"]["Name"] == "terminated"
    assert state.journal.outstanding() == []
