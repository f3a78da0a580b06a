"""StepModifyAMIAttributes (step_modify_ami_attributes.go): description and sharing, in every region.

``ami_description`` (rendered with the build info), ``ami_groups``, ``ami_users``, ``ami_product_codes`` (and, as in
the newest Packer, ``ami_org_arns`` / ``ami_ou_arns``) become one ModifyImageAttribute call each per AMI
(``Modifying attributes on AMI (ami-x)...`` + ``Modifying: description``); ``snapshot_groups`` /
``snapshot_users`` one ModifySnapshotAttribute call each per snapshot. Regions go in sorted order and options in
the order Packer's source lists them (Go's map order is random). Snapshot permissions are sent in the
``OperationType=add`` form, which AWS documents as equivalent to Packer's ``CreateVolumePermission.Add`` form.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.build_info import render
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import AwsError, InterpolationError


def _modify(state: EbsState, region: str, kind: str, resource_id: str, options: dict[str, dict[str, object]]) -> None:
    """One AMI's (``kind`` "AMI") or one snapshot's Modify*Attribute calls, one an option, worded alike by Packer."""
    state.ui.say(f"Modifying attributes on {kind} ({resource_id})...")
    ec2 = state.ec2(region)
    for name, params in options.items():
        state.ui.message(f"Modifying: {name}")
        try:
            if kind == "AMI":
                ec2.call("modify_image_attribute", ImageId=resource_id, **params)
            else:
                ec2.call("modify_snapshot_attribute", SnapshotId=resource_id, **params)
        except AwsError as exc:
            raise state.fail(f"Error modify {kind} attributes: {exc}") from None


@dataclass
class StepModifyAMIAttributes:
    description: str
    users: tuple[str, ...]
    groups: tuple[str, ...]
    org_arns: tuple[str, ...]
    ou_arns: tuple[str, ...]
    product_codes: tuple[str, ...]
    snapshot_users: tuple[str, ...]
    snapshot_groups: tuple[str, ...]

    def run(self, state: EbsState) -> Action:
        if not (
            self.description
            or self.users
            or self.groups
            or self.org_arns
            or self.ou_arns
            or self.product_codes
            or self.snapshot_users
            or self.snapshot_groups
        ):
            return Action.CONTINUE
        try:
            description = render(state, self.description)
        except InterpolationError as exc:
            # Packer 1.6.6 prints this but forgets to record the error (the build then "succeeds" with a
            # deregistered AMI); packer-py fails the build.
            raise state.fail(f"Error interpolating AMI description: {exc}") from None

        options: dict[str, dict[str, object]] = {}
        if description:
            options["description"] = {"Description": {"Value": description}}
        if self.groups:
            options["groups"] = {
                "UserGroups": list(self.groups),
                "LaunchPermission": {"Add": [{"Group": g} for g in self.groups]},
            }
        if self.users:
            options["users"] = {
                "UserIds": list(self.users),
                "LaunchPermission": {"Add": [{"UserId": u} for u in self.users]},
            }
        if self.org_arns:
            options["org arns"] = {"LaunchPermission": {"Add": [{"OrganizationArn": a} for a in self.org_arns]}}
        if self.ou_arns:
            options["ou arns"] = {"LaunchPermission": {"Add": [{"OrganizationalUnitArn": a} for a in self.ou_arns]}}
        if self.product_codes:
            options["product codes"] = {"ProductCodes": list(self.product_codes)}
        snapshot_options: dict[str, dict[str, object]] = {}
        if self.snapshot_groups:
            snapshot_options["groups"] = {
                "Attribute": "createVolumePermission",
                "OperationType": "add",
                "GroupNames": list(self.snapshot_groups),
            }
        if self.snapshot_users:
            snapshot_options["users"] = {
                "Attribute": "createVolumePermission",
                "OperationType": "add",
                "UserIds": list(self.snapshot_users),
            }

        for region, ami in sorted(state.amis.items()):
            _modify(state, region, "AMI", ami, options)
        for region, snapshots in sorted(state.snapshots.items()):
            for snapshot in snapshots:
                _modify(state, region, "snapshot", snapshot, snapshot_options)
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing to undo: the attributes belong to the artifact."""
