"""StepSourceAMIInfo (step_source_ami_info.go): find the source image by id or by ``source_ami_filter``.

One DescribeImages call with the id and/or the filters and owners; no match, or several without ``most_recent``,
stops the build with Packer's words. ``most_recent`` picks the newest ``CreationDate``. Enhanced networking
(``ena_support``/``sriov_support``) needs an HVM image. The image becomes the build info (``.SourceAMI``...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.config import AmiFilter
from packer_py.builders.amazon_ebs.prettify import ec2_filters, prettify
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import AwsError


def _created(image: dict[str, Any]) -> float:
    """Go parses CreationDate as RFC 3339; an unparsable date counts as the zero time."""
    text = str(image.get("CreationDate", ""))
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("-inf")


def most_recent(images: list[dict[str, Any]]) -> dict[str, Any]:
    """``mostRecentAmi``: the last after a sort by creation time (ties keep their order: Go's sort is not stable,
    but images are rarely created in the same second)."""
    return sorted(images, key=_created)[-1]


@dataclass
class StepSourceAMIInfo:
    source_ami: str
    ami_filter: AmiFilter
    enable_sriov: bool
    enable_ena: bool | None
    ami_virtualization_type: str

    def run(self, state: EbsState) -> Action:
        params: dict[str, object] = {}
        if self.source_ami:
            params["ImageIds"] = [self.source_ami]
        if self.ami_filter.filters:
            params["Filters"] = ec2_filters(self.ami_filter.filters)
        if self.ami_filter.owners:
            params["Owners"] = list(self.ami_filter.owners)
        # what Packer prints is the request struct, whose fields aws-sdk-go orders alphabetically
        shown = {key: params[key] for key in ("Filters", "ImageIds", "Owners") if key in params}
        try:
            images: list[dict[str, Any]] = state.ec2().call("describe_images", **params).get("Images", [])
        except AwsError as exc:
            raise state.fail(f"Error querying AMI: {exc}") from None
        if not images:
            raise state.fail(f"No AMI was found matching filters: {prettify(shown)}")
        if len(images) > 1 and not self.ami_filter.most_recent:
            raise state.fail(
                "Your query returned more than one result. Please try a more specific search, or set most_recent to "
                "true."
            )
        image = most_recent(images) if self.ami_filter.most_recent else images[0]
        state.ui.message(f"Found Image ID: {image['ImageId']}")
        if self.enable_ena is True or self.enable_sriov:
            self._check_enhanced_networking(state, image)
        state.source_image = image
        return Action.CONTINUE

    def _check_enhanced_networking(self, state: EbsState, image: dict[str, Any]) -> None:
        """Enhanced networking can only be enabled on HVM AMIs."""
        if self.ami_virtualization_type == "hvm":
            return
        if self.ami_virtualization_type:
            raise state.fail(
                f"Cannot enable enhanced networking, AMIVirtType '{self.ami_virtualization_type}' is not HVM"
            )
        if image.get("VirtualizationType") != "hvm":
            raise state.fail(f"Cannot enable enhanced networking, source AMI '{self.source_ami}' is not HVM")

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""
