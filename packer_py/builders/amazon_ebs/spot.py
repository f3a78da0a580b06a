"""StepRunSpotInstance (step_run_spot_instance.go): launch a spot source instance through an EC2 fleet.

Packer 1.6.6 creates a launch template ``packer-fleet-launch-template-<7 random characters>`` (market type spot,
``spot_price`` as the max price unless ``auto``, ``block_duration_minutes``) and an ``instant`` fleet of one
instance over it (``spot_instance_types`` as overrides), retried while IAM propagates a fresh profile. It does not
wait for ``running``: it describes the instance (retried) and then tags it (and the spot request with
``spot_tags``, the volumes with ``run_volume_tags``) with CreateTags. Cleanup terminates the instance, waits, and
deletes the launch template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packer_py.build.journal import Resource
from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.block_devices import ec2_mappings, no_ephemeral_mappings
from packer_py.builders.amazon_ebs.build_info import render_tags, report_tags
from packer_py.builders.amazon_ebs.config import BlockDevice
from packer_py.builders.amazon_ebs.instance import (
    checked_source_image,
    load_user_data,
    show_addresses,
    tag_source_instance,
    tag_source_volumes,
    terminate_instance,
)
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import Backoff, retry
from packer_py.errors import AwsError, BuildError, InterpolationError


class _FleetError(AwsError):
    """CreateFleet answered without an instance."""

    def __init__(self, message: str, output: dict[str, Any]) -> None:
        super().__init__(message)
        self.output = output


@dataclass
class StepRunSpotInstance:
    instance_type: str
    spot_instance_types: tuple[str, ...]
    spot_price: str
    spot_tags: dict[str, str]
    block_duration_minutes: int
    launch_mappings: tuple[BlockDevice, ...]
    associate_public_ip_address: bool
    ebs_optimized: bool
    shutdown_behavior: str
    user_data: str
    user_data_file: str
    run_tags: dict[str, str]
    run_volume_tags: dict[str, str]
    no_ephemeral: bool
    debug: bool = False
    expected_root_device: str = "ebs"
    _instance: Resource | None = None
    _template: Resource | None = None

    def _template_data(self, state: EbsState, user_data: str, market: dict[str, object]) -> dict[str, object]:
        mappings = ec2_mappings(self.launch_mappings)
        if self.no_ephemeral:
            mappings += no_ephemeral_mappings()
        data: dict[str, Any] = {
            "DisableApiTermination": False,
            "EbsOptimized": self.ebs_optimized,
            "ImageId": state.source_image["ImageId"] if state.source_image else "",
            "InstanceMarketOptions": market,
            "Placement": {"AvailabilityZone": state.availability_zone},
            "UserData": user_data,
        }
        if mappings:
            data["BlockDeviceMappings"] = mappings
        if state.iam_instance_profile:
            data["IamInstanceProfile"] = {"Name": state.iam_instance_profile}
        if state.subnet_id:
            interface: dict[str, object] = {
                "Groups": list(state.security_group_ids),
                "DeleteOnTermination": True,
                "DeviceIndex": 0,
                "SubnetId": state.subnet_id,
            }
            if self.associate_public_ip_address:
                interface["AssociatePublicIpAddress"] = True
            data["NetworkInterfaces"] = [interface]
        else:
            data["SecurityGroupIds"] = list(state.security_group_ids)
        if self.instance_type:
            data["InstanceType"] = self.instance_type
        if state.ssh_key_pair_name:
            data["KeyName"] = state.ssh_key_pair_name
        return data

    def run(self, state: EbsState) -> Action:
        ui, ec2 = state.ui, state.ec2()
        ui.say("Launching a spot AWS instance...")
        checked_source_image(state, self.expected_root_device)
        ui.say("Interpolating tags for spot instance...")
        tags = dict(self.run_tags)
        tags.setdefault("Name", "Packer Builder")
        try:
            instance_tags = render_tags(state, tags)
        except InterpolationError as exc:
            raise state.fail(f"Error generating tags for source instance: {exc}") from None
        report_tags(state, instance_tags)
        spot_options: dict[str, object] = {}
        if self.spot_price != "auto":
            spot_options["MaxPrice"] = self.spot_price
        if self.block_duration_minutes:
            spot_options["BlockDurationMinutes"] = self.block_duration_minutes
        market: dict[str, object] = {"MarketType": "spot", "SpotOptions": spot_options}
        try:
            spot_tags = render_tags(state, self.spot_tags)
        except InterpolationError as exc:
            raise state.fail(f"Error generating tags for spot request: {exc}") from None

        ui.message("Loading User Data File...")
        template_name = f"packer-fleet-launch-template-{state.alphanum(7)}"
        try:
            user_data = load_user_data(self.user_data, self.user_data_file)
        except BuildError as exc:
            raise state.fail(str(exc), show=False) from None
        ui.message("Creating Spot Fleet launch template...")
        params: dict[str, Any] = {
            "LaunchTemplateData": self._template_data(state, user_data, market),
            "LaunchTemplateName": template_name,
            "VersionDescription": "template generated by packer for launching spot instances",
        }
        template_tags = spot_tags + state.run_tags()
        if template_tags:
            params["TagSpecifications"] = [{"ResourceType": "launch-template", "Tags": template_tags}]
        try:
            created = ec2.call("create_launch_template", **params)
        except AwsError as exc:
            raise state.fail(f"Error creating launch template for spot instance: {exc}") from None
        template_id = str(created.get("LaunchTemplate", {}).get("LaunchTemplateId", template_name))
        self._template = state.record("launch_template", template_name, detail=template_id)

        fleet = {
            "LaunchTemplateConfigs": [
                {
                    "LaunchTemplateSpecification": {"LaunchTemplateName": template_name, "Version": "1"},
                    "Overrides": [{"InstanceType": t} for t in self.spot_instance_types],
                }
            ],
            "ReplaceUnhealthyInstances": False,
            "TargetCapacitySpecification": {"TotalTargetCapacity": 1, "DefaultTargetCapacityType": "spot"},
            "Type": "instant",
        }

        def create_fleet() -> dict[str, Any]:
            output = ec2.call("create_fleet", **fleet)
            if output.get("Instances"):
                return output
            errors = output.get("Errors") or []
            raise _FleetError(f"errors: {errors}", output)

        try:
            output = retry(
                state.wait,
                create_fleet,
                should_retry=lambda exc: "Invalid IAM Instance Profile name" in str(exc),
                backoff=Backoff(0.5, 30.0),
            )
        except AwsError as exc:
            message = str(exc)
            last = exc.last if hasattr(exc, "last") else exc
            if isinstance(last, _FleetError):
                fleet_id = last.output.get("FleetId", "")
                errors = last.output.get("Errors") or []
                message = f"Error waiting for fleet request ({fleet_id}): {message}"
                if errors:
                    message = f"Error waiting for fleet request ({fleet_id}) to become ready:" + "".join(
                        str(e.get("ErrorMessage", "")) for e in errors
                    )
            raise state.fail(message) from None
        instance_id = str(output["Instances"][0]["InstanceIds"][0])
        self._instance = state.record("instance", instance_id)
        ui.message(f"Instance ID: {instance_id}")

        def describe() -> dict[str, Any]:
            found = ec2.call("describe_instances", InstanceIds=[instance_id])
            reservations = found.get("Reservations", [])
            if reservations and reservations[0].get("Instances"):
                if self.launch_mappings and not reservations[0]["Instances"][0].get("BlockDeviceMappings"):
                    raise BuildError("Instance has no block devices")
            return found

        try:
            found = retry(state.wait, describe)
        except (AwsError, BuildError):
            found = {}
        reservations = found.get("Reservations", [])
        if not reservations or not reservations[0].get("Instances"):
            raise state.fail("Error finding source instance.")
        instance: dict[str, Any] = reservations[0]["Instances"][0]
        if spot_tags:
            report_tags(state, spot_tags)
            # an instance without a spot request id (moto's fleets) is tagged as Packer does it: with no resource
            request = [str(instance["SpotInstanceRequestId"])] if instance.get("SpotInstanceRequestId") else []
            try:
                retry(
                    state.wait,
                    lambda: ec2.call("create_tags", Tags=spot_tags, Resources=request),
                    should_retry=lambda _exc: False,
                )
            except AwsError as exc:
                raise state.fail(f"Error tagging spot request: {exc}") from None
        tag_source_instance(state, instance_id, instance_tags)
        if self.run_volume_tags:
            tag_source_volumes(state, instance, lambda: render_tags(state, self.run_volume_tags))
        if self.debug:
            show_addresses(state, instance)
        state.instance = instance
        state.instance_id = str(instance["InstanceId"])
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        if self._instance is not None:
            if not terminate_instance(state, self._instance):
                return  # Packer returns here: the launch template stays too
            self._instance = None
        if self._template is not None:
            try:
                state.ec2().call("delete_launch_template", LaunchTemplateName=self._template.id)
            except AwsError as exc:
                state.ui.error(str(exc))
                return
            state.forget(self._template)
            self._template = None
