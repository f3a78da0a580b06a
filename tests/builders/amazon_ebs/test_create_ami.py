"""stepCreateAMI and StepDeregisterAMI against moto: the image, its cleanup after an error, and force_deregister."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Any

import pytest

from packer_py.builders.amazon_ebs.access import AwsClient
from packer_py.builders.amazon_ebs.create_ami import StepCreateAMI
from packer_py.builders.amazon_ebs.deregister import StepDeregisterAMI
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, make_state, moto_config


@pytest.fixture
def state(moto: Any) -> EbsState:
    """A build that has stopped its instance."""
    source = moto.default_ami(REGION).image_id
    made = make_state(moto, moto_config(moto, source))
    ec2 = moto.client("ec2")
    launched = ec2.run_instances(ImageId=source, MinCount=1, MaxCount=1)["Instances"][0]
    ec2.stop_instances(InstanceIds=[launched["InstanceId"]])
    made.instance = launched
    return made


def create(**overrides: Any) -> StepCreateAMI:
    fields: dict[str, Any] = {
        "ami_name": "built image",
        "encrypt_boot": None,
        "skip_save_build_region": False,
        "ami_mappings": (),
    }
    fields.update(overrides)
    return StepCreateAMI(**fields)


def images(moto: Any, region: str = REGION) -> dict[str, dict[str, Any]]:
    return {i["ImageId"]: i for i in moto.client("ec2", region).describe_images(Owners=["self"])["Images"]}


def snapshots(moto: Any, region: str = REGION) -> set[str]:
    account = moto.account_id
    found = moto.client("ec2", region).describe_snapshots(OwnerIds=[account])["Snapshots"]
    return {s["SnapshotId"] for s in found}


def test_the_image_is_made_waited_for_and_its_snapshots_known(moto: Any, state: EbsState) -> None:
    step = create()
    step.run(state)
    [(region, ami)] = state.amis.items()
    assert region == REGION and images(moto)[ami]["Name"] == "built image"
    assert state.snapshots[REGION] and set(state.snapshots[REGION]) <= snapshots(moto)
    instance_id = state.instance["InstanceId"]  # type: ignore[index]
    assert state.ui.text() == [
        f"==> amazon-ebs: Creating AMI built image from instance {instance_id}",
        f"    amazon-ebs: AMI: {ami}",
        "==> amazon-ebs: Waiting for AMI to become ready...",
    ]
    assert sorted(r.kind for r in state.journal.outstanding()) == ["ami", "snapshot"]
    step.cleanup(state)  # no error: the image stays
    assert ami in images(moto)


def test_after_a_later_error_the_image_and_snapshots_are_removed(moto: Any, state: EbsState) -> None:
    step = create()
    step.run(state)
    ami = state.amis[REGION]
    [snapshot] = state.snapshots[REGION]
    state.halted = True
    step.cleanup(state)
    step.cleanup(state)
    assert ami not in images(moto) and snapshot not in snapshots(moto)
    assert state.ui.says()[-3:] == [
        "Deregistering the AMI and deleting associated snapshots because of cancellation, or error...",
        f"Deregistered AMI id: {ami}",
        f"Deleted snapshot: {snapshot}",
    ]
    assert state.journal.outstanding() == []


def test_encrypt_boot_makes_an_intermediary_under_a_random_name(moto: Any, state: EbsState) -> None:
    state.rng = random.Random(5)
    same = random.Random(5)
    expected = "".join(same.choice(string.ascii_letters + string.digits) for _ in range(7))
    create(encrypt_boot=True).run(state)
    assert state.intermediary_image
    assert images(moto)[state.amis[REGION]]["Name"] == expected


@dataclass
class FailingImages:
    """moto's images become available at once; this one fails, as an AMI whose snapshot could not be taken."""

    inner: AwsClient

    @property
    def region(self) -> str:
        return self.inner.region

    def call(self, operation: str, **params: object) -> dict[str, Any]:
        result = self.inner.call(operation, **params)
        if operation == "describe_images":
            for image in result["Images"]:
                image["State"] = "failed"
                image["StateReason"] = {"Code": "Client.UnsupportedOperation", "Message": "snapshot failed"}
        return result


def test_an_image_that_fails_is_reported_and_left_as_packer_leaves_it(moto: Any, state: EbsState) -> None:
    state.access._clients[("ec2", REGION)] = FailingImages(state.ec2())  # type: ignore[assignment]
    step = create()
    with pytest.raises(BuildError) as info:
        step.run(state)
    assert str(info.value) == (
        "Error waiting for AMI: Failed with ResourceNotReady error, which can have a variety of causes. For help "
        "troubleshooting, check our docs: https://www.packer.io/docs/builders/amazon.html#resourcenotready-error\n"
        "original error: ResourceNotReady: failed waiting for successful resource state. DescribeImages returned the "
        'state reason: {\n  Code: "Client.UnsupportedOperation",\n  Message: "snapshot failed"\n}'
    )
    state.halted = True
    step.cleanup(state)
    assert state.amis[REGION] in images(moto)  # Packer 1.6.6 leaks it ...
    assert [r.kind for r in state.journal.outstanding()] == ["ami"]  # ... and the journal says so


# -- StepDeregisterAMI -----------------------------------------------------------------------------------------------
def test_force_deregister_removes_same_named_images_everywhere(moto: Any, state: EbsState) -> None:
    here = moto.register_ami("built image", region=REGION)
    there = moto.register_ami("built image", region="us-west-2")
    other = moto.register_ami("another image", region=REGION)
    step = StepDeregisterAMI(True, True, "built image", ("us-west-2",))
    step.run(state)
    assert here.image_id not in images(moto) and there.image_id not in images(moto, "us-west-2")
    assert other.image_id in images(moto)
    assert set(here.snapshot_ids).isdisjoint(snapshots(moto))
    assert state.ui.says() == [
        f"Deregistered AMI built image, id: {there.image_id}",
        *[f"Deleted snapshot: {s}" for s in there.snapshot_ids],
        f"Deregistered AMI built image, id: {here.image_id}",
        *[f"Deleted snapshot: {s}" for s in here.snapshot_ids],
    ]


def test_snapshots_stay_without_force_delete_snapshot(moto: Any, state: EbsState) -> None:
    here = moto.register_ami("built image", region=REGION)
    StepDeregisterAMI(True, False, "built image", ()).run(state)
    assert here.image_id not in images(moto) and set(here.snapshot_ids) <= snapshots(moto)


def test_without_force_nothing_is_looked_up(moto: Any, state: EbsState) -> None:
    StepDeregisterAMI(False, True, "built image", ()).run(state)
    assert moto.api_calls() == []
