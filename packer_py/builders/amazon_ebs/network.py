"""StepNetworkInfo (step_network_info.go): resolve the VPC, subnet and availability zone to launch into.

``vpc_filter`` must match exactly one VPC; ``subnet_filter`` (narrowed to available subnets of that VPC and AZ) may
match several only with ``most_free`` or ``random``. A subnet fills in a missing AZ and VPC. Packer adds the
``state=available`` filter to the VPC filter only after building the request, so the VPC query goes without it;
packer-py sends the same request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.config import SubnetFilter
from packer_py.builders.amazon_ebs.prettify import ec2_filters, prettify
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import AwsError


@dataclass
class StepNetworkInfo:
    vpc_id: str
    vpc_filter: dict[str, str]
    subnet_id: str
    subnet_filter: SubnetFilter
    availability_zone: str

    def run(self, state: EbsState) -> Action:
        vpc_id, subnet_id, az = self.vpc_id, self.subnet_id, self.availability_zone
        ec2 = state.ec2()
        if not vpc_id and self.vpc_filter:
            filters = ec2_filters(self.vpc_filter)
            try:
                vpcs = ec2.call("describe_vpcs", Filters=filters).get("Vpcs", [])
            except AwsError as exc:
                raise state.fail(f"Error querying VPCs: {exc}") from None
            if len(vpcs) != 1:
                raise state.fail(
                    f"Exactly one VPC should match the filter, but {len(vpcs)} VPC's was found matching filters: "
                    f"{prettify({'Filters': filters})}"
                )
            vpc_id = vpcs[0]["VpcId"]
            state.ui.message(f"Found VPC ID: {vpc_id}")
        if not subnet_id and not self.subnet_filter.empty:
            wanted = dict(self.subnet_filter.filters)
            wanted["state"] = "available"
            if vpc_id:
                wanted["vpc-id"] = vpc_id
            if az:
                wanted["availabilityZone"] = az
            filters = ec2_filters(wanted)
            try:
                subnets: list[dict[str, Any]] = ec2.call("describe_subnets", Filters=filters).get("Subnets", [])
            except AwsError as exc:
                raise state.fail(f"Error querying Subnets: {exc}") from None
            if not subnets:
                raise state.fail(f"No Subnets was found matching filters: {prettify({'Filters': filters})}")
            if len(subnets) > 1 and not self.subnet_filter.random and not self.subnet_filter.most_free:
                raise state.fail(
                    f"Your filter matched {len(subnets)} Subnets. Please try a more specific search, or set random "
                    "or most_free to true."
                )
            if self.subnet_filter.most_free:
                subnet = sorted(subnets, key=lambda s: int(s.get("AvailableIpAddressCount", 0)))[-1]
            elif self.subnet_filter.random:
                subnet = subnets[state.rng.randrange(len(subnets))]
            else:
                subnet = subnets[0]
            subnet_id = subnet["SubnetId"]
            state.ui.message(f"Found Subnet ID: {subnet_id}")
        if subnet_id and (not az or not vpc_id):
            try:
                found = ec2.call("describe_subnets", SubnetIds=[subnet_id]).get("Subnets", [])
            except AwsError as exc:
                raise state.fail(f"Describing the subnet: {subnet_id} returned error: {exc}.") from None
            if found:
                az = az or found[0].get("AvailabilityZone", "")
                vpc_id = vpc_id or found[0].get("VpcId", "")
        state.vpc_id, state.subnet_id, state.availability_zone = vpc_id, subnet_id, az
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""
