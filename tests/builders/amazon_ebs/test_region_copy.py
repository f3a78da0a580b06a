"""StepAMIRegionCopy against moto: targets, parallel copies, encryption keys, collected errors, the intermediary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from packer_py.builders.amazon_ebs.access import AwsClient
from packer_py.builders.amazon_ebs.region_copy import StepAMIRegionCopy
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, make_state, moto_config


def step(**overrides: Any) -> StepAMIRegionCopy:
    fields: dict[str, Any] = {
        "regions": (),
        "ami_name": "copied image",
        "kms_key_id": "",
        "region_kms_key_ids": {},
        "encrypt_boot": None,
        "skip_save_build_region": False,
    }
    fields.update(overrides)
    return StepAMIRegionCopy(**fields)


@pytest.fixture
def state(moto: Any) -> EbsState:
    """A build whose AMI exists in the build region."""
    made = make_state(moto, moto_config(moto, moto.default_ami(REGION).image_id))
    ami = moto.client("ec2").register_image(Name="copied image", RootDeviceName="/dev/xvda")["ImageId"]
    made.amis = {REGION: ami}
    made.snapshots = {REGION: []}
    return made


def names(moto: Any, region: str) -> dict[str, str]:
    return {i["ImageId"]: i["Name"] for i in moto.client("ec2", region).describe_images(Owners=["self"])["Images"]}


@pytest.mark.parametrize(
    ("regions", "intermediary", "skip", "targets"),
    [
        (("us-west-2", "eu-west-1", "us-west-2"), False, False, ["eu-west-1", "us-west-2"]),
        (("us-east-1", "us-west-2"), False, False, ["us-west-2"]),
        ((), True, False, ["us-east-1"]),
        (("us-west-2",), True, True, ["us-west-2"]),
    ],
)
def test_targets_are_deduplicated_and_the_build_region_only_for_re_encryption(
    regions: tuple[str, ...], intermediary: bool, skip: bool, targets: list[str]
) -> None:
    assert step(regions=regions, skip_save_build_region=skip).deduplicate("us-east-1", intermediary) == targets


def test_copies_to_every_region_in_parallel(moto: Any, state: EbsState) -> None:
    original = state.amis[REGION]
    step(regions=("us-west-2", "eu-west-1")).run(state)
    assert set(state.amis) == {REGION, "us-west-2", "eu-west-1"}
    for region in ("us-west-2", "eu-west-1"):
        assert names(moto, region)[state.amis[region]] == "copied image"
    assert state.ui.text() == [
        f"==> amazon-ebs: Copying/Encrypting AMI ({original}) to other regions...",
        "    amazon-ebs: Copying to: eu-west-1",
        "    amazon-ebs: Copying to: us-west-2",
        "    amazon-ebs: Waiting for all copies to complete...",
    ]
    copies = [r for r in state.journal.outstanding() if r.kind == "ami"]
    assert {(r.region, r.id) for r in copies} == {
        ("us-west-2", state.amis["us-west-2"]),
        ("eu-west-1", state.amis["eu-west-1"]),
    }


def test_nothing_to_copy_is_silent(moto: Any, state: EbsState) -> None:
    step(regions=(REGION,)).run(state)
    assert state.ui.lines == [] and moto.api_calls() == []


@dataclass
class Recorder:
    inner: AwsClient
    copies: list[dict[str, object]] = field(default_factory=list)

    @property
    def region(self) -> str:
        return self.inner.region

    def call(self, operation: str, **params: object) -> dict[str, Any]:
        if operation == "copy_image":
            self.copies.append(params)
        return self.inner.call(operation, **params)


def test_encryption_uses_each_regions_key(moto: Any, state: EbsState) -> None:
    recorders = {r: Recorder(state.ec2(r)) for r in (REGION, "us-west-2")}
    for region, recorder in recorders.items():
        state.access._clients[("ec2", region)] = recorder  # type: ignore[assignment]
    state.intermediary_image = True
    copy = step(
        regions=("us-west-2",),
        encrypt_boot=True,
        kms_key_id="alias/build",
        region_kms_key_ids={"us-west-2": "alias/west"},
    )
    original = state.amis[REGION]
    copy.run(state)
    assert recorders[REGION].copies == [
        {
            "SourceRegion": REGION,
            "SourceImageId": original,
            "Name": "copied image",
            "Encrypted": True,
            "KmsKeyId": "alias/build",
        }
    ]
    assert recorders["us-west-2"].copies[0]["KmsKeyId"] == "alias/west"
    assert recorders["us-west-2"].copies[0]["Encrypted"] is True


def test_failed_copies_are_collected_into_one_error(moto: Any, state: EbsState) -> None:
    state.amis = {REGION: "ami-00000000000000000"}
    with pytest.raises(BuildError) as info:
        step(regions=("us-west-2", "eu-west-1")).run(state)
    text = str(info.value)
    assert text.startswith("2 error(s) occurred:\n\n* Error Copying AMI (ami-00000000000000000) to region (")
    assert text.count("\n* ") == 2 and state.ui.errors() == [text]


def test_the_intermediary_image_is_deleted_at_cleanup(moto: Any, state: EbsState) -> None:
    intermediary = state.amis[REGION]
    state.record("ami", intermediary)
    state.intermediary_image = True
    copy = step(encrypt_boot=True)
    copy.run(state)
    encrypted = state.amis[REGION]
    assert encrypted != intermediary
    copy.cleanup(state)
    copy.cleanup(state)
    left = names(moto, REGION)
    assert intermediary not in left and encrypted in left
    assert state.ui.says()[-1] == "Deregistering the AMI and deleting unencrypted temporary AMIs and snapshots"
    assert intermediary not in {r.id for r in state.journal.outstanding()}
