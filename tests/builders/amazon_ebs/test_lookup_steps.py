"""The steps that only look things up: StepPreValidate, StepSourceAMIInfo, StepNetworkInfo (real moto)."""

from __future__ import annotations

from typing import Any

import pytest

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.config import AmiFilter, SubnetFilter
from packer_py.builders.amazon_ebs.network import StepNetworkInfo
from packer_py.builders.amazon_ebs.pre_validate import StepPreValidate
from packer_py.builders.amazon_ebs.source_ami import StepSourceAMIInfo, most_recent
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, make_state, moto_config


@pytest.fixture
def source(moto: Any) -> Any:
    return moto.default_ami(REGION)


def pre_validate(**overrides: Any) -> StepPreValidate:
    fields: dict[str, Any] = {
        "ami_name": "fresh name",
        "force_deregister": False,
        "skip_save_build_region": False,
        "skip_region_validation": False,
        "ami_regions": (),
        "vpc_id": "",
        "subnet_id": "",
        "has_subnet_filter": False,
    }
    fields.update(overrides)
    return StepPreValidate(**fields)


# -- StepPreValidate -------------------------------------------------------------------------------------------------
def test_prevalidate_checks_regions_and_the_name(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    assert pre_validate().run(state) is Action.CONTINUE
    assert state.ui.says() == ["Prevalidating any provided VPC information", "Prevalidating AMI Name: fresh name"]
    assert moto.api_calls() == [("ec2", "DescribeRegions"), ("ec2", "DescribeImages")]


def test_a_taken_name_stops_the_build(moto: Any, source: Any) -> None:
    taken = moto.register_ami("taken name", region=REGION)
    state = make_state(moto, moto_config(moto, source.image_id))
    with pytest.raises(BuildError) as info:
        pre_validate(ami_name="taken name").run(state)
    message = f"Error: AMI Name: 'taken name' is used by an existing AMI: {taken.image_id}"
    assert str(info.value) == message and state.ui.errors() == [message]


def test_unknown_regions_are_named_with_the_valid_ones(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    with pytest.raises(BuildError) as info:
        pre_validate(ami_regions=("us-east-1", "mars-north-1")).run(state)
    text = str(info.value)
    assert text.startswith("error validating regions: Invalid region(s): [mars-north-1], available regions: [")
    assert " us-west-2 " in text and state.ui.errors() == []  # Packer does not print this one


def test_skip_region_validation_makes_no_describe_regions(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    pre_validate(skip_region_validation=True, ami_regions=("mars-north-1",)).run(state)
    assert ("ec2", "DescribeRegions") not in moto.api_calls()


@pytest.mark.parametrize(
    ("flag", "line"),
    [
        ("force_deregister", "Force Deregister flag found, skipping prevalidating AMI Name"),
        ("skip_save_build_region", "skip_build_region was set; not prevalidating AMI name"),
    ],
)
def test_forced_or_skipped_names_are_not_checked(moto: Any, source: Any, flag: str, line: str) -> None:
    moto.register_ami("taken name", region=REGION)
    state = make_state(moto, moto_config(moto, source.image_id))
    assert pre_validate(ami_name="taken name", **{flag: True}).run(state) is Action.CONTINUE
    assert state.ui.says() == [line]
    assert moto.api_calls() == [("ec2", "DescribeRegions")]


def test_a_non_default_vpc_needs_a_subnet(moto: Any, source: Any) -> None:
    vpc = moto.client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    moto.own(vpc)
    state = make_state(moto, moto_config(moto, source.image_id))
    with pytest.raises(BuildError) as info:
        pre_validate(vpc_id=vpc).run(state)
    assert str(info.value) == f"Error: subnet_id or subnet_filter must be provided for non-default VPCs ({vpc})"
    assert pre_validate(vpc_id=vpc, subnet_id="subnet-1").run(state) is Action.CONTINUE


def test_an_unknown_vpc_is_reported(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    with pytest.raises(BuildError, match="^Error retrieving VPC information for vpc_id vpc-0000000f: "):
        pre_validate(vpc_id="vpc-0000000f").run(state)


# -- StepSourceAMIInfo -----------------------------------------------------------------------------------------------
def source_step(**overrides: Any) -> StepSourceAMIInfo:
    fields: dict[str, Any] = {
        "source_ami": "",
        "ami_filter": AmiFilter(),
        "enable_sriov": False,
        "enable_ena": None,
        "ami_virtualization_type": "",
    }
    fields.update(overrides)
    return StepSourceAMIInfo(**fields)


def test_source_ami_by_id_becomes_build_info(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    source_step(source_ami=source.image_id).run(state)
    assert state.source_image is not None and state.source_image["ImageId"] == source.image_id
    assert state.ui.lines == [("message", f"Found Image ID: {source.image_id}")]


def test_filter_with_owner_and_most_recent_picks_the_newest(moto: Any, source: Any) -> None:
    older = moto.register_ami("team-base-1", region=REGION)
    newer = moto.register_ami("team-base-2", region=REGION)
    ec2 = moto.client("ec2")
    dates = {i["ImageId"]: i["CreationDate"] for i in ec2.describe_images(Owners=["self"])["Images"]}
    state = make_state(moto, moto_config(moto, source.image_id))
    step = source_step(ami_filter=AmiFilter({"name": "team-base-*"}, ("self",), True))
    step.run(state)
    assert state.source_image is not None
    expected = newer.image_id if dates[newer.image_id] >= dates[older.image_id] else older.image_id
    assert state.source_image["ImageId"] == expected


def test_most_recent_sorts_by_creation_date() -> None:
    images = [
        {"ImageId": "a", "CreationDate": "2020-01-02T00:00:00.000Z"},
        {"ImageId": "b", "CreationDate": "2021-01-01T00:00:00.000Z"},
        {"ImageId": "c", "CreationDate": "2019-12-31T00:00:00.000Z"},
    ]
    assert most_recent(images)["ImageId"] == "b"


def test_several_matches_without_most_recent_is_an_error(moto: Any, source: Any) -> None:
    moto.register_ami("twin-1", region=REGION)
    moto.register_ami("twin-2", region=REGION)
    state = make_state(moto, moto_config(moto, source.image_id))
    with pytest.raises(BuildError, match="^Your query returned more than one result. Please try a more specific"):
        source_step(ami_filter=AmiFilter({"name": "twin-*"}, ("self",))).run(state)


def test_no_match_prints_the_query_as_aws_sdk_go_does(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    with pytest.raises(BuildError) as info:
        source_step(ami_filter=AmiFilter({"name": "nothing-*"}, ("self",))).run(state)
    assert str(info.value) == (
        "No AMI was found matching filters: {\n"
        '  Filters: [{\n      Name: "name",\n      Values: ["nothing-*"]\n    }],\n'
        '  Owners: ["self"]\n}'
    )


def test_an_unknown_source_ami_is_an_aws_error(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    with pytest.raises(BuildError, match=r"^Error querying AMI: InvalidAMIID.NotFound: "):
        source_step(source_ami="ami-00000000000000000").run(state)


def test_enhanced_networking_needs_hvm(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    source_step(source_ami=source.image_id, enable_ena=True).run(state)  # moto's AMIs are HVM
    with pytest.raises(BuildError, match="^Cannot enable enhanced networking, AMIVirtType 'paravirtual' is not HVM"):
        source_step(source_ami=source.image_id, enable_sriov=True, ami_virtualization_type="paravirtual").run(state)


# -- StepNetworkInfo -------------------------------------------------------------------------------------------------
def network(**overrides: Any) -> StepNetworkInfo:
    fields: dict[str, Any] = {
        "vpc_id": "",
        "vpc_filter": {},
        "subnet_id": "",
        "subnet_filter": SubnetFilter(),
        "availability_zone": "",
    }
    fields.update(overrides)
    return StepNetworkInfo(**fields)


def test_nothing_given_means_nothing_looked_up(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    network().run(state)
    assert (state.vpc_id, state.subnet_id, state.availability_zone) == ("", "", "")
    assert moto.api_calls() == []


def test_a_subnet_gives_its_vpc_and_zone(moto: Any, source: Any) -> None:
    subnet = moto.client("ec2").describe_subnets()["Subnets"][0]
    state = make_state(moto, moto_config(moto, source.image_id))
    network(subnet_id=subnet["SubnetId"]).run(state)
    assert (state.vpc_id, state.availability_zone) == (subnet["VpcId"], subnet["AvailabilityZone"])


def test_filters_find_one_vpc_and_one_subnet(moto: Any, source: Any) -> None:
    ec2 = moto.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    state = make_state(moto, moto_config(moto, source.image_id))
    step = network(
        vpc_filter={"isDefault": "true"},
        subnet_filter=SubnetFilter({"availability-zone": "us-east-1c"}),
    )
    step.run(state)
    subnet = ec2.describe_subnets(SubnetIds=[state.subnet_id])["Subnets"][0]
    assert state.vpc_id == vpc and subnet["AvailabilityZone"] == "us-east-1c"
    assert state.ui.lines == [("message", f"Found VPC ID: {vpc}"), ("message", f"Found Subnet ID: {state.subnet_id}")]


def test_an_ambiguous_subnet_filter_needs_random_or_most_free(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    count = len(
        moto.client("ec2").describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    )
    with pytest.raises(BuildError) as info:
        network(subnet_filter=SubnetFilter({"default-for-az": "true"})).run(state)
    assert str(info.value) == (
        f"Your filter matched {count} Subnets. Please try a more specific search, or set random or most_free to true."
    )
    network(subnet_filter=SubnetFilter({"default-for-az": "true"}, random=True)).run(state)
    assert state.subnet_id.startswith("subnet-")


def test_a_vpc_filter_must_match_exactly_one(moto: Any, source: Any) -> None:
    state = make_state(moto, moto_config(moto, source.image_id))
    with pytest.raises(BuildError) as info:
        network(vpc_filter={"tag:Name": "nope"}).run(state)
    assert str(info.value) == (
        "Exactly one VPC should match the filter, but 0 VPC's was found matching filters: {\n"
        '  Filters: [{\n      Name: "tag:Name",\n      Values: ["nope"]\n    }]\n}'
    )
