"""StepStopEBSBackedInstance, StepModifyEBSBackedInstance and StepCleanupVolumes against moto."""

from __future__ import annotations

from typing import Any

import pytest

from packer_py.builders.amazon_ebs.config import BlockDevice
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.stop import StepModifyEBSBackedInstance, StepStopEBSBackedInstance
from packer_py.builders.amazon_ebs.volumes import StepCleanupVolumes
from packer_py.builders.amazon_ebs.waiting import PollingOverrides
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, make_state, moto_config


@pytest.fixture
def state(moto: Any) -> EbsState:
    source = moto.default_ami(REGION).image_id
    made = make_state(moto, moto_config(moto, source))
    launched = moto.client("ec2").run_instances(ImageId=source, MinCount=1, MaxCount=1)["Instances"][0]
    made.instance = launched
    return made


def instance_state(moto: Any, state: EbsState) -> str:
    instance_id = state.instance["InstanceId"]  # type: ignore[index]
    found = moto.client("ec2").describe_instances(InstanceIds=[instance_id])
    return str(found["Reservations"][0]["Instances"][0]["State"]["Name"])


def test_stop_and_wait(moto: Any, state: EbsState) -> None:
    StepStopEBSBackedInstance(skip=False, disable_stop_instance=False).run(state)
    assert instance_state(moto, state) == "stopped"
    assert state.ui.text() == [
        "==> amazon-ebs: Stopping the source instance...",
        "    amazon-ebs: Stopping instance",
        "==> amazon-ebs: Waiting for the instance to stop...",
    ]
    assert moto.api_calls() == [("ec2", "StopInstances"), ("ec2", "DescribeInstances")]


def test_with_stop_disabled_the_wait_is_bounded(moto: Any, state: EbsState) -> None:
    state.polling = PollingOverrides(delay=None, max_attempts=3)
    with pytest.raises(BuildError) as info:
        StepStopEBSBackedInstance(skip=False, disable_stop_instance=True).run(state)
    assert str(info.value) == "Error waiting for instance to stop: ResourceNotReady: exceeded wait attempts"
    assert state.ui.says()[0] == "Automatic instance stop disabled. Please stop instance manually."
    assert moto.api_calls() == [("ec2", "DescribeInstances")] * 3


def test_spot_instances_are_not_stopped(moto: Any, state: EbsState) -> None:
    StepStopEBSBackedInstance(skip=True, disable_stop_instance=False).run(state)
    assert moto.api_calls() == [] and instance_state(moto, state) == "running"


def test_enhanced_networking_attributes(moto: Any, state: EbsState) -> None:
    StepModifyEBSBackedInstance(sriov_support=True, ena_support=False).run(state)
    instance_id = state.instance["InstanceId"]  # type: ignore[index]
    sriov = moto.client("ec2").describe_instance_attribute(InstanceId=instance_id, Attribute="sriovNetSupport")
    assert sriov["SriovNetSupport"]["Value"] == "simple"
    assert state.ui.says() == ["Enabling Enhanced Networking (SR-IOV)...", "Disabling Enhanced Networking (ENA)..."]
    assert moto.api_calls() == [("ec2", "ModifyInstanceAttribute")] * 2


def test_unset_ena_is_left_alone(moto: Any, state: EbsState) -> None:
    StepModifyEBSBackedInstance(sriov_support=False, ena_support=None).run(state)
    assert moto.api_calls() == []


# -- StepCleanupVolumes ----------------------------------------------------------------------------------------------
def test_no_instance_no_volumes(moto: Any, state: EbsState) -> None:
    state.instance = None
    StepCleanupVolumes(()).cleanup(state)
    assert state.ui.says() == ["No volumes to clean up, skipping"] and moto.api_calls() == []


def test_leftover_volumes_are_destroyed_unless_the_user_mapped_them(moto: Any, state: EbsState) -> None:
    ec2 = moto.client("ec2")
    kept = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    leftover = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    moto.own(kept)
    state.instance = {
        "InstanceId": "i-1",
        "BlockDeviceMappings": [
            {"DeviceName": "/dev/sdb", "Ebs": {"VolumeId": kept}},
            {"DeviceName": "/dev/sdc", "Ebs": {"VolumeId": leftover}},
        ],
    }
    StepCleanupVolumes((BlockDevice(device_name="/dev/sdb"),)).cleanup(state)
    remaining = {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}
    assert kept in remaining and leftover not in remaining
    assert state.ui.says() == ["Cleaning up any extra volumes...", f"Destroying volume ({leftover})..."]


def test_volumes_gone_with_the_instance_need_nothing(moto: Any, state: EbsState) -> None:
    ec2 = moto.client("ec2")
    ec2.terminate_instances(InstanceIds=[state.instance["InstanceId"]])  # type: ignore[index]
    StepCleanupVolumes(()).cleanup(state)
    assert state.ui.says() == ["Cleaning up any extra volumes...", "No volumes to clean up, skipping"]
