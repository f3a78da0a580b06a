"""StepCreateTags (step_create_tags.go): ``tags`` on every AMI and its snapshots, ``snapshot_tags`` on the snapshots.

Per region (sorted): ``Adding tags to AMI (ami-x)...``, the image is described to find its snapshots
(``Tagging snapshot: snap-x``), the tags are rendered with the build info (``Creating AMI tags`` /
``Creating snapshot tags`` and an ``Adding tag: "K": "V"`` line each), then CreateTags for the AMI and its snapshots
and CreateTags for the snapshot tags (which override the AMI tags on snapshots). Tagging is retried while the new
resources are not yet visible (``InvalidAMIID.NotFound``, ``InvalidSnapshot.NotFound``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.access import AwsClient
from packer_py.builders.amazon_ebs.boundary import matches
from packer_py.builders.amazon_ebs.build_info import render_tags, report_tags
from packer_py.builders.amazon_ebs.images import snapshot_ids
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import retry
from packer_py.errors import AwsError, InterpolationError, PackerPyError


def _go_string_pointers(ids: list[str]) -> str:
    """Packer prints ``%#v`` of a ``[]*string`` (pointer addresses); packer-py shows the ids instead."""
    return "[]*string{" + ", ".join(f'"{i}"' for i in ids) + "}"


def _not_found(exc: PackerPyError) -> bool:
    return matches(exc, "InvalidAMIID.NotFound") or matches(exc, "InvalidSnapshot.NotFound")


def _tag(
    ec2: AwsClient,
    resources: list[str],
    snapshots: list[str],
    ami_tags: list[dict[str, str]],
    snapshot_tags: list[dict[str, str]],
) -> None:
    if ami_tags:
        ec2.call("create_tags", Resources=resources, Tags=ami_tags)
    if snapshot_tags and snapshots:
        ec2.call("create_tags", Resources=snapshots, Tags=snapshot_tags)


@dataclass
class StepCreateTags:
    tags: dict[str, str]
    snapshot_tags: dict[str, str]

    def run(self, state: EbsState) -> Action:
        if not self.tags and not self.snapshot_tags:
            return Action.CONTINUE
        ui = state.ui
        for region, ami in sorted(state.amis.items()):
            ui.say(f"Adding tags to AMI ({ami})...")
            ec2 = state.ec2(region)
            try:
                images = ec2.call("describe_images", ImageIds=[ami]).get("Images", [])
            except AwsError as exc:
                raise state.fail(f"Error retrieving details for AMI ({ami}): {exc}") from None
            if not images:
                raise state.fail(f"Error retrieving details for AMI ({ami}), no images found")
            snapshots = snapshot_ids(images[0])
            for snapshot in snapshots:
                ui.say(f"Tagging snapshot: {snapshot}")
            resources = [ami, *snapshots]
            ui.say("Creating AMI tags")
            try:
                ami_tags = render_tags(state, self.tags)
            except InterpolationError as exc:
                raise state.fail(str(exc)) from None
            report_tags(state, ami_tags)
            ui.say("Creating snapshot tags")
            try:
                snapshot_tags = render_tags(state, self.snapshot_tags)
            except InterpolationError as exc:
                raise state.fail(str(exc)) from None
            report_tags(state, snapshot_tags)

            try:
                retry(
                    state.wait,
                    partial(_tag, ec2, resources, snapshots, ami_tags, snapshot_tags),
                    should_retry=_not_found,
                )
            except AwsError as exc:
                raise state.fail(f"Error adding tags to Resources ({_go_string_pointers(resources)}): {exc}") from None
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing to undo: the tags belong to the artifact."""
