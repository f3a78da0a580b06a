"""StepCleanupVolumes (step_cleanup_volumes.go): delete volumes the source instance left behind.

It runs before the instance step, so its cleanup runs after the instance's: once the instance is terminated, every
volume of the launched instance that is still ``available`` and was not listed in ``launch_block_device_mappings``
(whose ``delete_on_termination`` the user chose) is deleted — typically volumes of the source AMI marked
``delete on termination: false``. Run does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.config import BlockDevice
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import AwsError


@dataclass
class StepCleanupVolumes:
    launch_mappings: tuple[BlockDevice, ...]

    def run(self, state: EbsState) -> Action:
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        ui = state.ui
        instance = state.instance
        if instance is None:
            ui.say("No volumes to clean up, skipping")
            return
        ui.say("Cleaning up any extra volumes...")
        devices: dict[str, str] = {}
        for mapping in instance.get("BlockDeviceMappings", []) or []:
            ebs = mapping.get("Ebs")
            if ebs and ebs.get("VolumeId"):
                devices[ebs["VolumeId"]] = mapping.get("DeviceName", "")
        if not devices:
            ui.say("No volumes to clean up, skipping")
            return
        ec2 = state.ec2()
        try:
            volumes = ec2.call("describe_volumes", Filters=[{"Name": "volume-id", "Values": list(devices)}]).get(
                "Volumes", []
            )
        except AwsError as exc:
            ui.error(f"Error describing volumes: {exc}")
            return
        for volume in volumes:
            if volume.get("State") != "available":
                devices.pop(volume.get("VolumeId", ""), None)
        if not volumes:
            ui.say("No volumes to clean up, skipping")
            return
        listed = {m.device_name for m in self.launch_mappings}
        for volume_id, device in list(devices.items()):
            if device in listed:
                del devices[volume_id]
        for volume_id in devices:
            ui.say(f"Destroying volume ({volume_id})...")
            try:
                ec2.call("delete_volume", VolumeId=volume_id)
            except AwsError as exc:
                ui.say(f"Error deleting volume: {exc}")
