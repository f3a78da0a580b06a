"""StepRunSourceInstance (step_run_source_instance.go): launch the on-demand source instance and wait for it.

RunInstances with the source image, ``instance_type``, the key pair, security groups, instance profile, subnet (or,
with ``associate_public_ip_address``, a network interface carrying subnet and groups), AZ, block device mappings,
``shutdown_behavior``, ``ebs_optimized``, ``enable_t2_unlimited``, ``tenancy``, ``metadata_options`` (newest) and the
user data. ``run_tags`` (with ``Name: Packer Builder`` added unless set) and ``run_volume_tags`` go in the launch's
TagSpecifications, except in China and GovCloud regions, where Packer tags afterwards with CreateTags.

RunInstances is retried while IAM has not yet propagated a fresh instance profile (``InvalidParameterValue`` about
``iamInstanceProfile``). The instance id is recorded as soon as AWS returns it, before the wait, so that cleanup
terminates it whatever happens next; cleanup then waits for ``terminated`` (the security group can only go after).

User data is sent as Packer sends it: as is when it already decodes as base64, else base64-encoded. (boto3 encodes
RunInstances user data itself, so the decoded bytes are handed to it.)
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packer_py.build.journal import Resource
from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.block_devices import ec2_mappings, no_ephemeral_mappings
from packer_py.builders.amazon_ebs.boundary import matches
from packer_py.builders.amazon_ebs.build_info import render_tags, report_tags
from packer_py.builders.amazon_ebs.config import BlockDevice, MetadataOptions
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import INSTANCE_RUNNING, INSTANCE_TERMINATED, Verdict, retry, wait_until
from packer_py.errors import AwsError, BuildError, InterpolationError, PackerPyError


def is_base64(text: str) -> bool:
    """Go's ``base64.StdEncoding.DecodeString`` succeeds (it skips CR and LF)."""
    try:
        base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def load_user_data(user_data: str, user_data_file: str) -> str:
    """Packer's user data: the file's contents or ``user_data``, base64-encoded unless it already is."""
    if user_data_file:
        try:
            user_data = Path(user_data_file).read_text()
        except OSError as exc:
            raise BuildError(f"Problem reading user data file: open {user_data_file}: {exc.strerror}") from None
    if not is_base64(user_data):
        user_data = base64.b64encode(user_data.encode()).decode()
    return user_data


def instance_state_probe(
    state: EbsState, instance_id: str, success: str, failures: tuple[str, ...], *, retry_not_found: bool
) -> Verdict:
    """One poll of an aws-sdk-go instance waiter: all instances in ``success`` wins, any in ``failures`` loses."""
    try:
        found = state.ec2().call("describe_instances", InstanceIds=[instance_id])
    except AwsError as exc:
        if retry_not_found and matches(exc, "InvalidInstanceID.NotFound"):
            return "retry"
        raise
    states = [i["State"]["Name"] for r in found.get("Reservations", []) for i in r.get("Instances", [])]
    if states and all(s == success for s in states):
        return "success"
    if any(s in failures for s in states):
        return "failure"
    return "retry"


def wait_running(state: EbsState, instance_id: str) -> None:
    wait_until(
        state.wait,
        INSTANCE_RUNNING,
        lambda: instance_state_probe(
            state, instance_id, "running", ("shutting-down", "terminated", "stopping"), retry_not_found=True
        ),
        overrides=state.polling,
    )


def terminate_instance(state: EbsState, resource: Resource) -> bool:
    """Cleanup of a source instance: terminate, then wait until it is gone (not cancellable, as in Packer)."""
    ui = state.ui
    ui.say("Terminating the source AWS instance...")
    try:
        state.ec2().call("terminate_instances", InstanceIds=[resource.id])
    except AwsError as exc:
        ui.error(f"Error terminating instance, may still be around: {exc}")
        return False
    state.forget(resource)
    try:
        wait_until(
            state.wait,
            INSTANCE_TERMINATED,
            lambda: instance_state_probe(
                state, resource.id, "terminated", ("pending", "stopping"), retry_not_found=False
            ),
            overrides=state.polling,
            cancellable=False,
        )
    except PackerPyError as exc:
        ui.error(str(exc))
    return True


def describe_instance(state: EbsState, instance_id: str) -> dict[str, Any]:
    """DescribeInstances, retried while EC2 has not yet propagated the new id."""
    ec2 = state.ec2()

    def describe() -> dict[str, Any]:
        return ec2.call("describe_instances", InstanceIds=[instance_id])

    try:
        found = retry(state.wait, describe, should_retry=lambda exc: matches(exc, "InvalidInstanceID.NotFound"))
    except AwsError:
        found = {}
    reservations = found.get("Reservations", [])
    if not reservations or not reservations[0].get("Instances"):
        raise state.fail("Error finding source instance.")
    instance: dict[str, Any] = reservations[0]["Instances"][0]
    return instance


def restricted_region(region: str) -> bool:
    """China and GovCloud regions did not support tagging on creation when Packer 1.6.6 was written."""
    return region.startswith("cn-") or region.startswith("us-gov-")


def checked_source_image(state: EbsState, expected_root_device: str) -> dict[str, Any]:
    """The source image found earlier, refused when its root device is not the expected type (both launch steps)."""
    image = state.source_image
    if image is None:
        raise state.fail("source_image type assertion failed", show=False)
    root_type = image.get("RootDeviceType", "")
    if expected_root_device and root_type != expected_root_device:
        raise state.fail(
            "The provided source AMI has an invalid root device type.\n"
            f"Expected '{expected_root_device}', got '{root_type}'.",
            show=False,
        )
    return image


def tag_source_instance(state: EbsState, instance_id: str, tags: list[dict[str, str]]) -> None:
    """CreateTags on a launched instance (with the run's own tags), retried while EC2 does not know the id yet."""
    ec2 = state.ec2()
    try:
        retry(
            state.wait,
            lambda: ec2.call("create_tags", Resources=[instance_id], Tags=tags + state.run_tags()),
            should_retry=lambda exc: matches(exc, "InvalidInstanceID.NotFound"),
        )
    except AwsError as exc:
        raise state.fail(f"Error tagging source instance: {exc}") from None


def tag_source_volumes(
    state: EbsState, instance: dict[str, Any], volume_tags: Callable[[], list[dict[str, str]]]
) -> None:
    """CreateTags on a launched instance's EBS volumes; ``volume_tags`` gives the rendered ``run_volume_tags``."""
    instance_id = instance["InstanceId"]
    volume_ids = [m["Ebs"]["VolumeId"] for m in instance.get("BlockDeviceMappings", []) or [] if m.get("Ebs")]
    if not volume_ids:
        return
    state.ui.say("Adding tags to source EBS Volumes")
    try:
        tags = volume_tags()
    except InterpolationError as exc:
        raise state.fail(f"Error tagging source EBS Volumes on {instance_id}: {exc}") from None
    report_tags(state, tags)
    try:
        state.ec2().call("create_tags", Resources=volume_ids, Tags=tags)
    except AwsError as exc:
        raise state.fail(f"Error tagging source EBS Volumes on {instance_id}: {exc}") from None


_ADDRESSES = (("Public DNS", "PublicDnsName"), ("Public IP", "PublicIpAddress"), ("Private IP", "PrivateIpAddress"))


def show_addresses(state: EbsState, instance: dict[str, Any]) -> None:
    """``-debug``: the instance's public DNS name and public and private addresses, those it has."""
    for label, key in _ADDRESSES:
        if instance.get(key):
            state.ui.message(f"{label}: {instance[key]}")


def metadata_options(options: MetadataOptions) -> dict[str, object]:
    return {
        "HttpEndpoint": options.http_endpoint,
        "HttpTokens": options.http_tokens,
        "HttpPutResponseHopLimit": options.http_put_response_hop_limit,
        "InstanceMetadataTags": options.instance_metadata_tags,
    }


@dataclass(kw_only=True)
class LaunchStep:
    """What the on-demand and the spot launch step share: the ``RunConfig`` fields both read, and what both do with
    them in Packer (user data, the ``Name`` tag, the block device mappings, -debug addresses, the terminating
    cleanup)."""

    instance_type: str
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

    def _user_data(self, state: EbsState) -> str:
        try:
            return load_user_data(self.user_data, self.user_data_file)
        except BuildError as exc:
            raise state.fail(str(exc), show=False) from None

    def _instance_tags(self) -> dict[str, str]:
        """``run_tags``, with Packer's ``Name: Packer Builder`` unless they name the instance."""
        tags = dict(self.run_tags)
        tags.setdefault("Name", "Packer Builder")
        return tags

    def _mappings(self) -> list[dict[str, Any]]:
        mappings = ec2_mappings(self.launch_mappings)
        if self.no_ephemeral:
            mappings += no_ephemeral_mappings()
        return mappings

    def _adopt(self, state: EbsState, instance: dict[str, Any]) -> None:
        """The launched instance becomes the build's (after -debug shows its addresses)."""
        if self.debug:
            show_addresses(state, instance)
        state.instance = instance
        state.instance_id = str(instance["InstanceId"])

    def _terminate(self, state: EbsState) -> bool:
        """Cleanup: terminate the launched instance, if any; False when that failed (it may still be around)."""
        if self._instance is not None:
            if not terminate_instance(state, self._instance):
                return False
            self._instance = None
        return True


@dataclass(kw_only=True)
class StepRunSourceInstance(LaunchStep):
    enable_t2_unlimited: bool
    tenancy: str
    metadata: MetadataOptions | None

    def run(self, state: EbsState) -> Action:
        ui, ec2 = state.ui, state.ec2()
        user_data = self._user_data(state)
        ui.say("Launching a source AWS instance...")
        source_ami = str(checked_source_image(state, self.expected_root_device)["ImageId"])
        ui.say("Adding tags to source instance")
        try:
            instance_tags = render_tags(state, self._instance_tags())
        except InterpolationError as exc:
            raise state.fail(f"Error tagging source instance: {exc}") from None
        try:
            volume_tags = render_tags(state, self.run_volume_tags)
        except InterpolationError as exc:
            raise state.fail(f"Error tagging volumes: {exc}") from None

        params: dict[str, Any] = {
            "ImageId": source_ami,
            "InstanceType": self.instance_type,
            "UserData": base64.b64decode(user_data.replace("\r", "").replace("\n", "")),
            "MaxCount": 1,
            "MinCount": 1,
            "Placement": {"AvailabilityZone": state.availability_zone},
            "EbsOptimized": self.ebs_optimized,
        }
        if state.iam_instance_profile:
            params["IamInstanceProfile"] = {"Name": state.iam_instance_profile}
        mappings = self._mappings()
        if mappings:
            params["BlockDeviceMappings"] = mappings
        if self.enable_t2_unlimited:
            params["CreditSpecification"] = {"CpuCredits": "unlimited"}
        restricted = restricted_region(state.region)
        run_id = state.run_tags()
        tag_specs: list[dict[str, object]] = []
        if instance_tags:
            tag_specs.append({"ResourceType": "instance", "Tags": instance_tags + ([] if restricted else run_id)})
        if volume_tags:
            tag_specs.append({"ResourceType": "volume", "Tags": volume_tags})
        if tag_specs and not restricted:
            params["TagSpecifications"] = tag_specs
            report_tags(state, instance_tags)
            report_tags(state, volume_tags)
        if state.ssh_key_pair_name:
            params["KeyName"] = state.ssh_key_pair_name
        if state.subnet_id and self.associate_public_ip_address:
            params["NetworkInterfaces"] = [
                {
                    "DeviceIndex": 0,
                    "AssociatePublicIpAddress": True,
                    "SubnetId": state.subnet_id,
                    "Groups": list(state.security_group_ids),
                    "DeleteOnTermination": True,
                }
            ]
        else:
            if state.subnet_id:
                params["SubnetId"] = state.subnet_id
            params["SecurityGroupIds"] = list(state.security_group_ids)
        if self.expected_root_device == "ebs":
            params["InstanceInitiatedShutdownBehavior"] = self.shutdown_behavior
        if self.tenancy:
            params["Placement"]["Tenancy"] = self.tenancy
        if self.metadata is not None:
            params["MetadataOptions"] = metadata_options(self.metadata)

        try:
            reservation = retry(
                state.wait,
                lambda: ec2.call("run_instances", **params),
                should_retry=lambda exc: matches(exc, "InvalidParameterValue", "iamInstanceProfile"),
            )
        except AwsError as exc:
            if matches(exc, "VPCIdNotSpecified", "No default VPC for this user") and not state.subnet_id:
                raise state.fail("Error launching source instance: a valid Subnet Id was not specified") from None
            raise state.fail(f"Error launching source instance: {exc}") from None
        instance_id = str(reservation["Instances"][0]["InstanceId"])
        self._instance = state.record("instance", instance_id)

        ui.message(f"Instance ID: {instance_id}")
        ui.say(f"Waiting for instance ({instance_id}) to become ready...")
        try:
            wait_running(state, instance_id)
        except AwsError as exc:
            message = f"Error waiting for instance ({instance_id}) to become ready: {exc}"
            ui.error(message)
            self._explain_state(state, instance_id)
            raise BuildError(message) from None
        instance = describe_instance(state, instance_id)
        self._adopt(state, instance)
        if restricted:
            self._tag_afterwards(state, instance, instance_tags, volume_tags)
        return Action.CONTINUE

    def _explain_state(self, state: EbsState, instance_id: str) -> None:
        """Why the instance left ``pending`` for another state, when AWS says."""
        try:
            found = state.ec2().call("describe_instances", InstanceIds=[instance_id])
        except AwsError:
            return
        for reservation in found.get("Reservations", [])[:1]:
            for instance in reservation.get("Instances", [])[:1]:
                reason = instance.get("StateTransitionReason")
                message = (instance.get("StateReason") or {}).get("Message")
                if reason is not None and message is not None:
                    state.ui.error(f"Instance state change details: {reason}: {message}")

    def _tag_afterwards(
        self,
        state: EbsState,
        instance: dict[str, Any],
        instance_tags: list[dict[str, str]],
        volume_tags: list[dict[str, str]],
    ) -> None:
        report_tags(state, instance_tags)
        tag_source_instance(state, instance["InstanceId"], instance_tags)
        if self.run_volume_tags:
            tag_source_volumes(state, instance, lambda: volume_tags)

    def cleanup(self, state: EbsState) -> None:
        self._terminate(state)
