"""StepDeregisterAMI (step_deregister_ami.go): ``force_deregister`` (or ``-force``) makes room for the new AMI.

In every ``ami_regions`` region and the build region, the account's own AMIs named ``ami_name`` are deregistered
(``Deregistered AMI NAME, id: ami-x``) and, with ``force_delete_snapshot``, their snapshots deleted
(``Deleted snapshot: snap-x``). Nothing to undo afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.images import snapshot_ids
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import AwsError


@dataclass
class StepDeregisterAMI:
    force_deregister: bool
    force_delete_snapshot: bool
    ami_name: str
    regions: tuple[str, ...]

    def run(self, state: EbsState) -> Action:
        if not self.force_deregister:
            return Action.CONTINUE
        ui = state.ui
        for region in [*self.regions, state.region]:
            ec2 = state.ec2(region)
            try:
                images = ec2.call(
                    "describe_images", Owners=["self"], Filters=[{"Name": "name", "Values": [self.ami_name]}]
                ).get("Images", [])
            except AwsError as exc:
                raise state.fail(f"Error describing AMI: {exc}") from None
            for image in images:
                try:
                    ec2.call("deregister_image", ImageId=image["ImageId"])
                except AwsError as exc:
                    raise state.fail(f"Error deregistering existing AMI: {exc}") from None
                ui.say(f"Deregistered AMI {self.ami_name}, id: {image['ImageId']}")
                if not self.force_delete_snapshot:
                    continue
                for snapshot in snapshot_ids(image):
                    try:
                        ec2.call("delete_snapshot", SnapshotId=snapshot)
                    except AwsError as exc:
                        raise state.fail(f"Error deleting existing snapshot: {exc}") from None
                    ui.say(f"Deleted snapshot: {snapshot}")
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Deregistered images are not brought back."""
