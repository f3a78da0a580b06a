"""StepModifyAMIAttributes, StepCreateTags and the Artifact against moto, over AMIs in two regions."""

from __future__ import annotations

from typing import Any

import pytest

from packer_py.builders.amazon_ebs.ami_attributes import StepModifyAMIAttributes
from packer_py.builders.amazon_ebs.artifact import BUILDER_ID, Artifact
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.tags import StepCreateTags
from packer_py.errors import AwsError
from tests.builders.amazon_ebs.support import REGION, make_state, moto_config

OTHER = "us-west-2"


@pytest.fixture
def state(moto: Any) -> EbsState:
    """A build with an AMI (and snapshot) in the build region and a copy in another region."""
    source = moto.default_ami(REGION)
    made = make_state(moto, moto_config(moto, source.image_id))
    made.source_image = moto.client("ec2").describe_images(ImageIds=[source.image_id])["Images"][0]
    for region in (REGION, OTHER):
        ec2 = moto.client("ec2", region)
        ami = ec2.register_image(
            Name="built",
            RootDeviceName="/dev/xvda",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
        )["ImageId"]
        made.amis[region] = ami
        image = ec2.describe_images(ImageIds=[ami])["Images"][0]
        made.snapshots[region] = [m["Ebs"]["SnapshotId"] for m in image["BlockDeviceMappings"] if "Ebs" in m]
    return made


def attributes(**overrides: Any) -> StepModifyAMIAttributes:
    fields: dict[str, Any] = {
        "description": "",
        "users": (),
        "groups": (),
        "org_arns": (),
        "ou_arns": (),
        "product_codes": (),
        "snapshot_users": (),
        "snapshot_groups": (),
    }
    fields.update(overrides)
    return StepModifyAMIAttributes(**fields)


def launch_permissions(moto: Any, region: str, ami: str) -> list[dict[str, str]]:
    found = moto.client("ec2", region).describe_image_attribute(ImageId=ami, Attribute="launchPermission")
    permissions: list[dict[str, str]] = found["LaunchPermissions"]
    return permissions


def test_nothing_to_modify_makes_no_calls(moto: Any, state: EbsState) -> None:
    attributes().run(state)
    assert moto.api_calls() == [] and state.ui.lines == []


def test_sharing_in_every_region(moto: Any, state: EbsState) -> None:
    attributes(
        description="built from {{ .SourceAMI }}",
        users=("123456789012",),
        groups=("all",),
        snapshot_users=("123456789012",),
    ).run(state)
    for region in (REGION, OTHER):
        permissions = launch_permissions(moto, region, state.amis[region])
        assert {"UserId": "123456789012"} in permissions and {"Group": "all"} in permissions
        [snapshot] = state.snapshots[region]
        found = moto.client("ec2", region).describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )
        assert {"UserId": "123456789012"} in found["CreateVolumePermissions"]
    assert state.ui.text()[:4] == [
        f"==> amazon-ebs: Modifying attributes on AMI ({state.amis[REGION]})...",
        "    amazon-ebs: Modifying: description",
        "    amazon-ebs: Modifying: groups",
        "    amazon-ebs: Modifying: users",
    ]
    modifications = [a for _s, a in moto.api_calls()]
    assert modifications.count("ModifyImageAttribute") == 6 and modifications.count("ModifySnapshotAttribute") == 2


def test_organisation_sharing_of_the_newest_packer(moto: Any, state: EbsState) -> None:
    arn = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
    attributes(org_arns=(arn,)).run(state)
    assert {"OrganizationArn": arn} in launch_permissions(moto, REGION, state.amis[REGION])


def resource_tags(moto: Any, region: str, resource: str) -> dict[str, str]:
    found = moto.client("ec2", region).describe_tags(Filters=[{"Name": "resource-id", "Values": [resource]}])
    return {t["Key"]: t["Value"] for t in found["Tags"]}


def test_tags_on_amis_and_snapshots_in_every_region(moto: Any, state: EbsState) -> None:
    StepCreateTags(
        tags={"Base": "{{ .SourceAMIName }}", "Region": "{{ .BuildRegion }}", "Kind": "ami"},
        snapshot_tags={"Kind": "snapshot"},
    ).run(state)
    name = state.source_image["Name"]  # type: ignore[index]
    for region in (REGION, OTHER):
        assert resource_tags(moto, region, state.amis[region]) == {"Base": name, "Region": REGION, "Kind": "ami"}
        [snapshot] = state.snapshots[region]
        assert resource_tags(moto, region, snapshot) == {"Base": name, "Region": REGION, "Kind": "snapshot"}
    ami, [snapshot] = state.amis[REGION], state.snapshots[REGION]
    assert state.ui.text()[:8] == [
        f"==> amazon-ebs: Adding tags to AMI ({ami})...",
        f"==> amazon-ebs: Tagging snapshot: {snapshot}",
        "==> amazon-ebs: Creating AMI tags",
        f'    amazon-ebs: Adding tag: "Base": "{name}"',
        f'    amazon-ebs: Adding tag: "Region": "{REGION}"',
        '    amazon-ebs: Adding tag: "Kind": "ami"',
        "==> amazon-ebs: Creating snapshot tags",
        '    amazon-ebs: Adding tag: "Kind": "snapshot"',
    ]


def test_a_bad_tag_template_names_the_tag(moto: Any, state: EbsState) -> None:
    from packer_py.errors import BuildError

    with pytest.raises(BuildError, match=r"^Error processing tag: Bad:\{\{ \.Nope \| nofunc \}\} - "):
        StepCreateTags(tags={"Bad": "{{ .Nope | nofunc }}"}, snapshot_tags={}).run(state)


# -- the artifact ----------------------------------------------------------------------------------------------------
def test_artifact_text_and_id_are_sorted_by_region(state: EbsState) -> None:
    artifact = Artifact(amis={"us-west-2": "ami-2", "eu-west-1": "ami-1"}, state_data={"generated_data": {"a": 1}})
    assert artifact.id() == "eu-west-1:ami-1,us-west-2:ami-2"
    assert str(artifact) == "AMIs were created:\neu-west-1: ami-1\nus-west-2: ami-2\n"
    assert artifact.builder_id == BUILDER_ID == "mitchellh.amazonebs"
    assert artifact.files() == [] and artifact.state("generated_data") == {"a": 1}
    assert artifact.state("atlas.artifact.metadata") == {"region.us-west-2": "ami-2", "region.eu-west-1": "ami-1"}
    assert artifact.state("other") is None


def test_destroy_removes_amis_and_snapshots_in_every_region(moto: Any, state: EbsState) -> None:
    artifact = Artifact(amis=dict(state.amis), ec2=state.access.ec2, waits=state.wait)
    artifact.destroy()
    for region in (REGION, OTHER):
        ec2 = moto.client("ec2", region)
        assert state.amis[region] not in {i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]}
        owned = ec2.describe_snapshots(OwnerIds=[moto.account_id])["Snapshots"]
        assert set(state.snapshots[region]).isdisjoint(s["SnapshotId"] for s in owned)
    with pytest.raises(AwsError, match="^2 error\\(s\\) occurred:"):
        artifact.destroy()  # both AMIs are gone now
