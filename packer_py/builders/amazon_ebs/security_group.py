"""StepSecurityGroup (step_security_group.go): the security groups the instance runs in.

``security_group_ids`` are checked with DescribeSecurityGroups and used as they are; ``security_group_filter``
(narrowed to the build's VPC) picks existing groups. Neither is ever deleted. Otherwise a temporary group
``packer_<time-ordered uuid>`` (``Temporary group for Packer``) is created in the VPC, waited for, and opened on the
SSH port to ``temporary_security_group_source_cidrs``.

Cleanup deletes only the group this step created. AWS refuses while the instance still holds it
(``DependencyViolation``), so the delete is retried with backoff for as long as Packer's 5 tries x 5 s would last;
a group that is already gone counts as deleted. A failure prints the group to delete by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.build.journal import Resource
from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.boundary import matches
from packer_py.builders.amazon_ebs.prettify import ec2_filters, go_list
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import SECURITY_GROUP_EXISTS, Backoff, Verdict, retry, wait_until
from packer_py.errors import AwsError, PackerPyError

DELETE_BUDGET = 25.0
"""Seconds Packer spends on deleting the group (5 tries, 5 s apart)."""


@dataclass
class StepSecurityGroup:
    security_group_ids: tuple[str, ...]
    security_group_filter: dict[str, str]
    temporary_security_group_source_cidrs: tuple[str, ...]
    ssh_port: int
    skip_ssh_rule_creation: bool = False
    _created: Resource | None = None

    def run(self, state: EbsState) -> Action:
        ui, ec2 = state.ui, state.ec2()
        if self.security_group_ids:
            try:
                ec2.call("describe_security_groups", GroupIds=list(self.security_group_ids))
            except AwsError as exc:
                raise state.fail(f"Couldn't find specified security group: {exc}", show=False) from None
            state.security_group_ids = list(self.security_group_ids)
            return Action.CONTINUE
        if self.security_group_filter:
            wanted = dict(self.security_group_filter)
            if state.vpc_id:
                wanted["vpc-id"] = state.vpc_id
            try:
                groups = ec2.call("describe_security_groups", Filters=ec2_filters(wanted)).get("SecurityGroups", [])
            except AwsError as exc:
                raise state.fail(f"Couldn't find security groups for filter: {exc}", show=False) from None
            ids = [g["GroupId"] for g in groups]
            ui.message(f"Found Security Group(s): {', '.join(ids)}")
            state.security_group_ids = ids
            return Action.CONTINUE

        name = f"packer_{state.new_uuid()}"
        ui.say(f"Creating temporary security group for this instance: {name}")
        params: dict[str, object] = {"GroupName": name, "Description": "Temporary group for Packer"}
        if state.vpc_id:
            params["VpcId"] = state.vpc_id
        tag_specs = state.tag_specifications("security-group")
        if tag_specs:
            params["TagSpecifications"] = tag_specs
        try:
            group_id = str(ec2.call("create_security_group", **params)["GroupId"])
        except AwsError as exc:
            raise state.fail(str(exc)) from None
        self._created = state.record("security_group", group_id, detail=name)

        def exists() -> Verdict:
            try:
                found = ec2.call("describe_security_groups", GroupIds=[group_id]).get("SecurityGroups", [])
            except AwsError as exc:
                if matches(exc, "InvalidGroup.NotFound") or matches(exc, "InvalidSecurityGroupID.NotFound"):
                    return "retry"
                raise
            return "success" if found else "retry"

        try:
            wait_until(state.wait, SECURITY_GROUP_EXISTS, exists)
        except AwsError as exc:
            raise state.fail(f"Timed out waiting for security group {group_id}: {exc}", show=False) from None
        state.security_group_ids = [group_id]
        if self.skip_ssh_rule_creation:
            return Action.CONTINUE
        cidrs = list(self.temporary_security_group_source_cidrs)
        ui.say(f"Authorizing access to port {self.ssh_port} from {go_list(cidrs)} in the temporary security groups...")
        try:
            ec2.call(
                "authorize_security_group_ingress",
                GroupId=group_id,
                IpPermissions=[
                    {
                        "FromPort": self.ssh_port,
                        "ToPort": self.ssh_port,
                        "IpRanges": [{"CidrIp": cidr} for cidr in cidrs],
                        "IpProtocol": "tcp",
                    }
                ],
            )
        except AwsError as exc:
            raise state.fail(f"Error authorizing temporary security group: {exc}") from None
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        if self._created is None:
            return
        group_id = self._created.id
        ui, ec2 = state.ui, state.ec2()
        ui.say("Deleting temporary security group...")

        def delete() -> None:
            try:
                ec2.call("delete_security_group", GroupId=group_id)
            except AwsError as exc:
                if matches(exc, "InvalidGroup.NotFound"):
                    return
                raise

        try:
            retry(
                state.wait,
                delete,
                tries=0,
                deadline=DELETE_BUDGET,
                should_retry=lambda exc: matches(exc, "DependencyViolation"),
                backoff=Backoff(0.2, 5.0),
                cancellable=False,
            )
        except PackerPyError as exc:
            ui.error(
                "Error cleaning up security group. Please delete the group manually: "
                f"err: {exc}; security group ID: {group_id}"
            )
            return
        state.forget(self._created)
        self._created = None
