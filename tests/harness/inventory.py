"""What exists in a moto account that a build could have leaked: the "nothing leaked" assertion.

Packer's cleanup contract (every temporary key pair, security group, IAM role/profile/policy and instance is deleted;
an AMI and its snapshots exist only if the build succeeded) is checked by listing everything the account owns, in the
regions a test touched, and comparing with what the test expects.

moto's own furniture is left out: the default security group of each VPC, the public AMIs moto ships (owned by
Amazon, Canonical, ... accounts) and their snapshots, which moto lists even under ``OwnerIds=["self"]`` (so the
listing filters on ``owner-id`` instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Resource:
    kind: str
    """``instance``, ``security_group``, ``key_pair``, ``image``, ``snapshot``, ``volume``, ``iam_role``,
    ``iam_instance_profile``, ``iam_policy``."""
    region: str
    """``global`` for IAM."""
    id: str
    name: str = ""

    def __str__(self) -> str:
        label = f" ({self.name})" if self.name else ""
        return f"{self.kind} {self.id}{label} in {self.region}"


@dataclass(frozen=True)
class Leftovers:
    """Resources that still exist; empty (false) when nothing leaked."""

    resources: tuple[Resource, ...]

    def __bool__(self) -> bool:
        return bool(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    def of_kind(self, kind: str) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.kind == kind)

    def __str__(self) -> str:
        if not self.resources:
            return "nothing left over"
        return "left over:\n" + "\n".join(f"  {r}" for r in self.resources)


def _tag_name(item: dict[str, Any]) -> str:
    for tag in item.get("Tags") or ():
        if tag.get("Key") == "Name":
            return str(tag.get("Value", ""))
    return ""


def region_resources(ec2: Any, region: str, account_id: str) -> list[Resource]:
    """Everything in one region that a build could have created and must delete (or deliberately keep)."""
    found: list[Resource] = []
    for reservation in ec2.describe_instances()["Reservations"]:
        for instance in reservation["Instances"]:
            state = instance["State"]["Name"]
            if state != "terminated":
                found.append(Resource("instance", region, instance["InstanceId"], f"{state} {_tag_name(instance)}"))
    for group in ec2.describe_security_groups()["SecurityGroups"]:
        if group["GroupName"] != "default":
            found.append(Resource("security_group", region, group["GroupId"], group["GroupName"]))
    for pair in ec2.describe_key_pairs()["KeyPairs"]:
        found.append(Resource("key_pair", region, pair.get("KeyPairId", pair["KeyName"]), pair["KeyName"]))
    for image in ec2.describe_images(Owners=[account_id])["Images"]:
        found.append(Resource("image", region, image["ImageId"], image.get("Name", "")))
    owner = [{"Name": "owner-id", "Values": [account_id]}]
    for snapshot in ec2.describe_snapshots(Filters=owner)["Snapshots"]:
        found.append(Resource("snapshot", region, snapshot["SnapshotId"], snapshot.get("Description", "")))
    for volume in ec2.describe_volumes()["Volumes"]:
        found.append(Resource("volume", region, volume["VolumeId"], volume["State"]))
    return found


def iam_resources(iam: Any) -> list[Resource]:
    found: list[Resource] = []
    for role in iam.list_roles()["Roles"]:
        found.append(Resource("iam_role", "global", role["RoleId"], role["RoleName"]))
    for profile in iam.list_instance_profiles()["InstanceProfiles"]:
        found.append(
            Resource("iam_instance_profile", "global", profile["InstanceProfileId"], profile["InstanceProfileName"])
        )
    for policy in iam.list_policies(Scope="Local")["Policies"]:
        found.append(Resource("iam_policy", "global", policy["PolicyId"], policy["PolicyName"]))
    return found


def collect(ec2_by_region: dict[str, Any], iam: Any, account_id: str) -> list[Resource]:
    """Region listings run in parallel: moto answers each region independently, and 30+ regions one by one add up."""
    regions: Iterable[str] = sorted(ec2_by_region)
    with ThreadPoolExecutor(max_workers=8) as pool:
        per_region = pool.map(lambda r: region_resources(ec2_by_region[r], r, account_id), regions)
        found = [resource for listing in per_region for resource in listing]
    found.extend(iam_resources(iam))
    return sorted(found)
