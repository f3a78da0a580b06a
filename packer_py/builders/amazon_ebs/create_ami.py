"""stepCreateAMI (builder/amazon/ebs/step_create_ami.go): the image itself.

CreateImage from the stopped instance (with ``ami_block_device_mappings``), retried for up to 15 minutes while EC2
says the instance is not yet in a state to be imaged. With ``encrypt_boot`` or ``skip_save_build_region`` the image
is an **intermediary** under a random 7-character name, which StepAMIRegionCopy copies (encrypted, or to the other
regions) and then deletes.

The AMI id is recorded (state ``amis``, and the journal) as soon as CreateImage returns, then the step waits for
``available`` and reads the image's snapshots. Cleanup, only after an error or a cancel, deregisters the image and
deletes its snapshots (``Deregistering the AMI and deleting associated snapshots because of cancellation, or
error...``) — but only an image that became available: one whose wait failed is left (Packer 1.6.6 leaks it; the
journal still lists it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packer_py.build.journal import Resource
from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.block_devices import ec2_mappings
from packer_py.builders.amazon_ebs.boundary import matches
from packer_py.builders.amazon_ebs.config import BlockDevice
from packer_py.builders.amazon_ebs.images import snapshot_ids, wait_available
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import retry
from packer_py.errors import AwsError

CREATE_IMAGE_DEADLINE = 15 * 60.0


@dataclass
class StepCreateAMI:
    ami_name: str
    encrypt_boot: bool | None
    skip_save_build_region: bool
    ami_mappings: tuple[BlockDevice, ...]
    _image: dict[str, Any] | None = None
    _created: Resource | None = None

    def run(self, state: EbsState) -> Action:
        ui, ec2 = state.ui, state.ec2()
        instance_id = str((state.instance or {}).get("InstanceId", ""))
        name = self.ami_name
        state.intermediary_image = False
        if self.encrypt_boot is True or self.skip_save_build_region:
            state.intermediary_image = True
            name = state.alphanum(7)
        ui.say(f"Creating AMI {name} from instance {instance_id}")
        params: dict[str, object] = {"InstanceId": instance_id, "Name": name}
        mappings = ec2_mappings(self.ami_mappings)
        if mappings:
            params["BlockDeviceMappings"] = mappings
        try:
            created = retry(
                state.wait,
                lambda: ec2.call("create_image", **params),
                tries=0,
                deadline=CREATE_IMAGE_DEADLINE,
                should_retry=lambda exc: matches(exc, "InvalidParameterValue", "Instance is not in state"),
            )
        except AwsError as exc:
            raise state.fail(f"Error creating AMI: {exc}") from None
        image_id = str(created["ImageId"])
        self._created = state.record("ami", image_id, detail=name)
        ui.message(f"AMI: {image_id}")
        state.amis = {state.region: image_id}

        ui.say("Waiting for AMI to become ready...")
        try:
            wait_available(state.wait, ec2, image_id, state.polling)
        except AwsError as wait_error:
            message = f"Error waiting for AMI: {wait_error}"
            try:
                images = ec2.call("describe_images", ImageIds=[image_id]).get("Images", [])
            except AwsError as exc:
                message = f"Unknown error waiting for AMI; {wait_error}. DescribeImages returned an error: {exc}"
                images = []
            if images and images[0].get("StateReason"):
                reason = images[0]["StateReason"]
                message = (
                    f"Error waiting for AMI: {wait_error}. DescribeImages returned the state reason: "
                    f'{{\n  Code: "{reason.get("Code", "")}",\n  Message: "{reason.get("Message", "")}"\n}}'
                )
            raise state.fail(message) from None
        try:
            images = ec2.call("describe_images", ImageIds=[image_id]).get("Images", [])
        except AwsError as exc:
            raise state.fail(f"Error searching for AMI: {exc}") from None
        self._image = images[0]
        state.snapshots = {state.region: snapshot_ids(self._image)}
        for snapshot in state.snapshots[state.region]:
            state.record("snapshot", snapshot, detail=image_id)
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        if self._image is None or not (state.cancelled or state.halted):
            return
        ui, ec2 = state.ui, state.ec2()
        ui.say("Deregistering the AMI and deleting associated snapshots because of cancellation, or error...")
        image_id = self._image["ImageId"]
        try:
            images = ec2.call("describe_images", ImageIds=[image_id]).get("Images", [])
        except AwsError as exc:
            ui.error(f"Error describing AMI: {exc}")
            return
        for image in images:
            try:
                ec2.call("deregister_image", ImageId=image["ImageId"])
            except AwsError as exc:
                ui.error(f"Error deregistering existing AMI: {exc}")
                return
            ui.say(f"Deregistered AMI id: {image['ImageId']}")
            for snapshot in snapshot_ids(image):
                try:
                    ec2.call("delete_snapshot", SnapshotId=snapshot)
                except AwsError as exc:
                    ui.error(f"Error deleting existing snapshot: {exc}")
                    return
                ui.say(f"Deleted snapshot: {snapshot}")
                state.forget(Resource("snapshot", snapshot, state.region, image_id))
        if self._created is not None:
            state.forget(self._created)
        self._image = None


# Packer's type is the ebs package's unexported ``stepCreateAMI``; ``-debug`` and ``-on-error=ask`` print that name.
StepCreateAMI.__name__ = StepCreateAMI.__qualname__ = "stepCreateAMI"
