"""The amazon-ebs artifact (builder/amazon/common/artifact.go): the AMIs, by region.

``id()`` is ``region:ami`` pairs sorted and comma-joined; ``str()`` is ``AMIs were created:`` and one sorted
``region: ami`` line each, with a trailing newline (Packer's ``String()``). ``destroy()`` deregisters every AMI and
deletes its snapshots, region by region, and reports all failures at once. The builder id is amazon-ebs's
``mitchellh.amazonebs``, which post-processors (manifest) and ``-machine-readable`` output show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from packer_py.builders.amazon_ebs.access import AwsClient
from packer_py.builders.amazon_ebs.images import destroy_amis
from packer_py.builders.amazon_ebs.waiting import WaitContext
from packer_py.errors import AwsError
from packer_py.gofmt import packer_multi_error

BUILDER_ID = "mitchellh.amazonebs"


@dataclass
class Artifact:
    amis: dict[str, str]
    builder_id: str = BUILDER_ID
    state_data: dict[str, Any] = field(default_factory=dict)
    ec2: Callable[[str], AwsClient] | None = None
    """A client for a region (the build's session); None for an artifact that cannot be destroyed."""
    waits: WaitContext | None = None

    def id(self) -> str:
        return ",".join(sorted(f"{region}:{ami}" for region, ami in self.amis.items()))

    def __str__(self) -> str:
        lines = sorted(f"{region}: {ami}" for region, ami in self.amis.items())
        return "AMIs were created:\n" + "\n".join(lines) + "\n"

    def files(self) -> list[str]:
        return []

    def state(self, name: str) -> Any:
        if name in self.state_data:
            return self.state_data[name]
        if name == "atlas.artifact.metadata":
            return {f"region.{region}": ami for region, ami in self.amis.items()}
        return None

    def destroy(self) -> None:
        if self.ec2 is None or self.waits is None:
            raise AwsError("this artifact has no AWS session to destroy its AMIs with")
        errors: list[str] = []
        for region, ami in sorted(self.amis.items()):
            ec2 = self.ec2(region)
            try:
                images = ec2.call("describe_images", ImageIds=[ami]).get("Images", [])
            except AwsError as exc:
                errors.append(str(exc))
                images = []
            if not images:
                errors.append(f"Error retrieving details for AMI ({ami}), no images found")
            try:
                destroy_amis(self.waits, ec2, [ami])
            except AwsError as exc:
                errors.append(str(exc))
        if len(errors) == 1:
            raise AwsError(errors[0])
        if errors:
            raise AwsError(packer_multi_error(errors))
