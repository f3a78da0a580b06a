"""StepPreValidate (builder/amazon/common/step_pre_validate.go): checks before anything is created.

Region validation (DescribeRegions; skipped with ``skip_region_validation``), then, unless ``force_deregister`` or
``skip_save_build_region``, the VPC check and the AMI-name check: a name already used by **any** visible AMI (no
owner filter, as in Packer) stops the build.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.prettify import go_list
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import AwsError


def list_regions(state: EbsState) -> list[str]:
    """``listEC2Regions``: the regions this account may use."""
    return [r["RegionName"] for r in state.ec2().call("describe_regions").get("Regions", [])]


def validate_regions(state: EbsState, regions: list[str]) -> None:
    """``AccessConfig.ValidateRegion``: every named region must be one of the account's regions."""
    valid = list_regions(state)
    invalid = [r for r in regions if r and r not in valid]
    if invalid:
        raise AwsError(f"Invalid region(s): {go_list(invalid)}, available regions: {go_list(valid)}")


@dataclass
class StepPreValidate:
    ami_name: str
    force_deregister: bool
    skip_save_build_region: bool
    skip_region_validation: bool
    ami_regions: tuple[str, ...]
    vpc_id: str
    subnet_id: str
    has_subnet_filter: bool

    def run(self, state: EbsState) -> Action:
        ui = state.ui
        if not self.skip_region_validation:
            try:
                validate_regions(state, [*self.ami_regions, state.config.region])
            except AwsError as exc:
                raise state.fail(f"error validating regions: {exc}", show=False) from None
        if self.force_deregister:
            ui.say("Force Deregister flag found, skipping prevalidating AMI Name")
            return Action.CONTINUE
        if self.skip_save_build_region:
            ui.say("skip_build_region was set; not prevalidating AMI name")
            return Action.CONTINUE
        ui.say("Prevalidating any provided VPC information")
        self._check_vpc(state)
        ui.say(f"Prevalidating AMI Name: {self.ami_name}")
        try:
            images = (
                state.ec2()
                .call("describe_images", Filters=[{"Name": "name", "Values": [self.ami_name]}])
                .get("Images", [])
            )
        except AwsError as exc:
            raise state.fail(f"Error querying AMI: {exc}") from None
        if images:
            raise state.fail(
                f"Error: AMI Name: '{images[0].get('Name', '')}' is used by an existing AMI: {images[0]['ImageId']}"
            )
        return Action.CONTINUE

    def _check_vpc(self, state: EbsState) -> None:
        """Without a subnet, a non-default VPC cannot be used (AWS would pick no subnet)."""
        if not self.vpc_id or self.subnet_id or self.has_subnet_filter:
            return
        try:
            vpcs = state.ec2().call("describe_vpcs", VpcIds=[self.vpc_id]).get("Vpcs", [])
        except AwsError as exc:  # Packer: InvalidVpcID.NotFound or any other error, same message
            raise state.fail(f"Error retrieving VPC information for vpc_id {self.vpc_id}: {exc}") from None
        if len(vpcs) == 1 and not vpcs[0].get("IsDefault", False):
            raise state.fail(f"Error: subnet_id or subnet_filter must be provided for non-default VPCs ({self.vpc_id})")

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""
