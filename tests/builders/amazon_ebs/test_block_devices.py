"""Block device mappings as Packer's ``BuildEC2BlockDeviceMapping`` writes them, and what CreateImage receives."""

from __future__ import annotations

from typing import Any

from packer_py.builders.amazon_ebs.block_devices import ec2_mapping, no_ephemeral_mappings
from packer_py.builders.amazon_ebs.config import BlockDevice
from packer_py.builders.amazon_ebs.create_ami import StepCreateAMI
from tests.builders.amazon_ebs.support import REGION, make_state, moto_config


def test_no_device_and_ephemeral_mappings() -> None:
    assert ec2_mapping(BlockDevice(device_name="/dev/sdb", no_device=True)) == {
        "DeviceName": "/dev/sdb",
        "NoDevice": "",
    }
    assert ec2_mapping(BlockDevice(device_name="/dev/sdc", virtual_name="ephemeral0")) == {
        "DeviceName": "/dev/sdc",
        "VirtualName": "ephemeral0",
    }
    # a virtual name that is not an instance store maps nothing (Packer drops it)
    assert ec2_mapping(BlockDevice(device_name="/dev/sdd", virtual_name="other")) == {"DeviceName": "/dev/sdd"}


def test_ebs_fields_are_sent_only_where_they_apply() -> None:
    assert ec2_mapping(BlockDevice(device_name="/dev/xvda", volume_size=20, volume_type="gp2", iops=300)) == {
        "DeviceName": "/dev/xvda",
        "Ebs": {"DeleteOnTermination": False, "VolumeType": "gp2", "VolumeSize": 20},
    }
    gp3 = BlockDevice(
        device_name="/dev/xvdb",
        volume_type="gp3",
        iops=3000,
        throughput=125,
        delete_on_termination=True,
        encrypted=True,
        kms_key_id="alias/k",
        snapshot_id="snap-1",
    )
    assert ec2_mapping(gp3)["Ebs"] == {
        "DeleteOnTermination": True,
        "VolumeType": "gp3",
        "Iops": 3000,
        "Throughput": 125,
        "SnapshotId": "snap-1",
        "Encrypted": True,
        "KmsKeyId": "alias/k",
    }
    assert ec2_mapping(BlockDevice(device_name="/dev/xvdc", volume_type="io2", iops=1000))["Ebs"]["Iops"] == 1000


def test_no_ephemeral_masks_xvdca_to_xvdcz() -> None:
    masks = no_ephemeral_mappings()
    assert len(masks) == 26 and masks[0] == {"DeviceName": "xvdca", "NoDevice": ""}
    assert masks[-1]["DeviceName"] == "xvdcz"


class Recorder:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.region = inner.region
        self.images: list[dict[str, object]] = []

    def call(self, operation: str, **params: object) -> dict[str, Any]:
        if operation == "create_image":
            self.images.append(params)
        result: dict[str, Any] = self.inner.call(operation, **params)
        return result


def test_ami_block_device_mappings_go_to_create_image(moto: Any) -> None:
    source = moto.default_ami(REGION).image_id
    state = make_state(moto, moto_config(moto, source))
    state.instance = moto.client("ec2").run_instances(ImageId=source, MinCount=1, MaxCount=1)["Instances"][0]
    recorder = Recorder(state.ec2())
    state.access._clients[("ec2", REGION)] = recorder  # type: ignore[assignment]
    mappings = (BlockDevice(device_name="/dev/sdf", volume_size=5, volume_type="gp2", delete_on_termination=True),)
    StepCreateAMI("with data disk", None, False, mappings).run(state)
    assert recorder.images[0]["BlockDeviceMappings"] == [
        {"DeviceName": "/dev/sdf", "Ebs": {"DeleteOnTermination": True, "VolumeType": "gp2", "VolumeSize": 5}}
    ]
