"""StepSecurityGroup against moto: the temporary group, user-given and filter-found groups left alone, and deletion
retried while AWS reports a dependency (moto never does: a thin proxy plays AWS's DependencyViolation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from packer_py.builders.amazon_ebs.access import AwsClient
from packer_py.builders.amazon_ebs.boundary import AwsApiError
from packer_py.builders.amazon_ebs.security_group import DELETE_BUDGET, StepSecurityGroup
from packer_py.builders.amazon_ebs.state import RUN_ID_TAG, EbsState
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, RUN_UUID, FakeClock, make_state, moto_config


def step(**overrides: Any) -> StepSecurityGroup:
    fields: dict[str, Any] = {
        "security_group_ids": (),
        "security_group_filter": {},
        "temporary_security_group_source_cidrs": ("0.0.0.0/0",),
        "ssh_port": 22,
    }
    fields.update(overrides)
    return StepSecurityGroup(**fields)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(moto: Any, clock: FakeClock) -> EbsState:
    return make_state(moto, moto_config(moto, moto.default_ami(REGION).image_id), clock=clock)


def group(moto: Any, group_id: str) -> dict[str, Any] | None:
    found = moto.client("ec2").describe_security_groups(Filters=[{"Name": "group-id", "Values": [group_id]}])
    groups: list[dict[str, Any]] = found["SecurityGroups"]
    return groups[0] if groups else None


def test_temporary_group_is_opened_on_the_ssh_port_and_deleted(moto: Any, state: EbsState) -> None:
    sg = step(ssh_port=2222, temporary_security_group_source_cidrs=("10.0.0.0/8", "192.168.1.0/24"))
    sg.run(state)
    [group_id] = state.security_group_ids
    created = group(moto, group_id)
    assert created is not None
    assert created["GroupName"] == "packer_6b07d7f7-1111-2222-3333-000000000001"
    assert created["Description"] == "Temporary group for Packer"
    [rule] = created["IpPermissions"]
    assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 2222, 2222)
    assert [r["CidrIp"] for r in rule["IpRanges"]] == ["10.0.0.0/8", "192.168.1.0/24"]
    assert {"Key": RUN_ID_TAG, "Value": RUN_UUID} in created["Tags"]
    assert state.ui.says() == [
        "Creating temporary security group for this instance: packer_6b07d7f7-1111-2222-3333-000000000001",
        "Authorizing access to port 2222 from [10.0.0.0/8 192.168.1.0/24] in the temporary security groups...",
    ]
    assert [(r.kind, r.id) for r in state.journal.outstanding()] == [("security_group", group_id)]

    sg.cleanup(state)
    sg.cleanup(state)
    assert group(moto, group_id) is None and state.journal.outstanding() == []
    assert state.ui.says()[-1] == "Deleting temporary security group..."


def test_given_groups_are_checked_and_never_deleted(moto: Any, state: EbsState) -> None:
    ec2 = moto.client("ec2")
    mine = ec2.create_security_group(GroupName="mine", Description="users")["GroupId"]
    moto.own(mine)
    sg = step(security_group_ids=(mine,))
    sg.run(state)
    sg.cleanup(state)
    assert state.security_group_ids == [mine] and group(moto, mine) is not None
    assert moto.api_calls() == [("ec2", "DescribeSecurityGroups")]


def test_an_unknown_given_group_is_an_error(moto: Any, state: EbsState) -> None:
    with pytest.raises(BuildError, match="^Couldn't find specified security group: InvalidGroup.NotFound"):
        step(security_group_ids=("sg-00000000000000000",)).run(state)


def test_a_filter_picks_groups_of_the_build_vpc(moto: Any, state: EbsState) -> None:
    ec2 = moto.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    default = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["default"]}, {"Name": "vpc-id", "Values": [vpc]}]
    )["SecurityGroups"][0]["GroupId"]
    state.vpc_id = vpc
    sg = step(security_group_filter={"group-name": "default"})
    sg.run(state)
    sg.cleanup(state)
    assert state.security_group_ids == [default]
    assert state.ui.lines == [("message", f"Found Security Group(s): {default}")]
    assert group(moto, default) is not None


@dataclass
class DependentDeletes:
    """Plays AWS while the instance still holds the group: DeleteSecurityGroup fails ``failures`` times."""

    inner: AwsClient
    failures: int
    attempts: list[str] = field(default_factory=list)

    @property
    def region(self) -> str:
        return self.inner.region

    def call(self, operation: str, **params: object) -> dict[str, Any]:
        if operation == "delete_security_group":
            self.attempts.append(operation)
            if len(self.attempts) <= self.failures:
                raise AwsApiError("DependencyViolation", "resource sg-x has a dependent object", status=400)
        return self.inner.call(operation, **params)


def test_deletion_is_retried_while_a_dependency_remains(moto: Any, state: EbsState, clock: FakeClock) -> None:
    sg = step()
    sg.run(state)
    [group_id] = state.security_group_ids
    proxy = DependentDeletes(state.ec2(), failures=3)
    state.access._clients[("ec2", REGION)] = proxy  # type: ignore[assignment]
    sg.cleanup(state)
    assert len(proxy.attempts) == 4 and group(moto, group_id) is None
    assert state.ui.errors() == [] and sum(clock.slept) < DELETE_BUDGET


def test_a_group_that_stays_busy_is_left_with_a_message(moto: Any, state: EbsState, clock: FakeClock) -> None:
    sg = step()
    sg.run(state)
    [group_id] = state.security_group_ids
    proxy = DependentDeletes(state.ec2(), failures=1000)
    state.access._clients[("ec2", REGION)] = proxy  # type: ignore[assignment]
    sg.cleanup(state)
    [error] = state.ui.errors()
    assert error.startswith(
        "Error cleaning up security group. Please delete the group manually: err: DependencyViolation"
    )
    assert error.endswith(f"; security group ID: {group_id}")
    assert DELETE_BUDGET <= sum(clock.slept) < DELETE_BUDGET + 6
    assert [r.id for r in state.journal.outstanding()] == [group_id]
    state.access._clients[("ec2", REGION)] = proxy.inner  # the instance is gone now: a later cleanup succeeds
    sg.cleanup(state)
    assert group(moto, group_id) is None and state.journal.outstanding() == []


def test_a_group_already_gone_counts_as_deleted(moto: Any, state: EbsState) -> None:
    sg = step()
    sg.run(state)
    moto.client("ec2").delete_security_group(GroupId=state.security_group_ids[0])
    sg.cleanup(state)
    assert state.ui.errors() == [] and state.journal.outstanding() == []
