"""Block device mappings as EC2 wants them (block_device.go ``BuildEC2BlockDeviceMapping``).

``no_device`` masks the device; a ``virtual_name`` starting with ``ephemeral`` maps an instance store; anything else
is an EBS volume whose ``iops`` is sent only for io1/io2/gp3 and ``throughput`` only for gp3.
``delete_on_termination`` is always sent (default false, as in Packer). ``no_ephemeral`` masks xvdca-xvdcz.
"""

from __future__ import annotations

import string
from collections.abc import Iterable

from packer_py.builders.amazon_ebs.config import BlockDevice


def ec2_mapping(device: BlockDevice) -> dict[str, object]:
    mapping: dict[str, object] = {"DeviceName": device.device_name}
    if device.no_device:
        mapping["NoDevice"] = ""
        return mapping
    if device.virtual_name:
        if device.virtual_name.startswith("ephemeral"):
            mapping["VirtualName"] = device.virtual_name
        return mapping
    ebs: dict[str, object] = {"DeleteOnTermination": device.delete_on_termination}
    if device.volume_type:
        ebs["VolumeType"] = device.volume_type
    if device.volume_size > 0:
        ebs["VolumeSize"] = device.volume_size
    if device.volume_type in ("io1", "io2", "gp3"):
        ebs["Iops"] = device.iops
    if device.volume_type == "gp3":
        ebs["Throughput"] = device.throughput
    if device.snapshot_id:
        ebs["SnapshotId"] = device.snapshot_id
    if device.encrypted is not None:
        ebs["Encrypted"] = device.encrypted
    if device.kms_key_id:
        ebs["KmsKeyId"] = device.kms_key_id
    mapping["Ebs"] = ebs
    return mapping


def ec2_mappings(devices: Iterable[BlockDevice]) -> list[dict[str, object]]:
    return [ec2_mapping(d) for d in devices]


def no_ephemeral_mappings() -> list[dict[str, object]]:
    """``no_ephemeral``: empty mappings for xvdca-xvdcz, where Windows images map instance stores."""
    return [{"DeviceName": f"xvdc{letter}", "NoDevice": ""} for letter in string.ascii_lowercase]
