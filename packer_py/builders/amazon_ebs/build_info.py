"""Build info: what ``{{ .SourceAMI }}``, ``{{ .SourceAMIName }}``, ``{{ .BuildRegion }}``... render to.

Packer's ``extractBuildInfo`` (builder/amazon/common/interpolate_build_info.go): before the source image is known
only ``BuildRegion`` is set; afterwards the source image's id, name, creation date, owner, owner alias and tags. The
same call also fills the build's generated data (``{{ build `SourceAMIName` }}`` in provisioners).

``render`` renders one of the strings Packer keeps unrendered until build time (``ami_description``, ``tags``,
``run_tags``, ``run_volume_tags``, ``snapshot_tags``, ``spot_tags``) with the builder's own context: user
variables, ``build_name``/``build_type``, ``clean_resource_name`` and the build info as ``.``. ``BuildRegion`` is
always the build region, even while tagging a copy in another region (as in Packer).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from packer_py.errors import InterpolationError

if TYPE_CHECKING:
    from packer_py.builders.amazon_ebs.state import EbsState

GENERATED_KEYS = (
    "SourceAMIName",
    "BuildRegion",
    "SourceAMI",
    "SourceAMICreationDate",
    "SourceAMIOwner",
    "SourceAMIOwnerName",
)


def build_info(region: str, image: Mapping[str, Any] | None) -> dict[str, object]:
    """``BuildInfoTemplate`` as a dict (Go field names)."""
    if image is None:
        return {"BuildRegion": region}
    tags = {str(t.get("Key", "")): str(t.get("Value", "")) for t in image.get("Tags", []) or []}
    return {
        "BuildRegion": region,
        "SourceAMI": image.get("ImageId", ""),
        "SourceAMICreationDate": image.get("CreationDate", ""),
        "SourceAMIName": image.get("Name", ""),
        "SourceAMIOwner": image.get("OwnerId", ""),
        "SourceAMIOwnerName": image.get("ImageOwnerAlias", ""),
        "SourceAMITags": tags,
    }


def extract_build_info(state: EbsState) -> dict[str, object]:
    """``extractBuildInfo``: the build info, and (once the source image is known) the generated data."""
    info = build_info(state.region, state.source_image)
    if state.source_image is not None:
        for key in GENERATED_KEYS:
            state.generated_data[key] = str(info.get(key, ""))
    return info


def render(state: EbsState, text: str) -> str:
    """Render ``text`` with the builder's context and the current build info (Packer's ``interpolate.Render``)."""
    from packer_py.interpolate.gotemplate import RenderContext, clean_resource_name
    from packer_py.interpolate.gotemplate import render as render_once

    if "{{" not in text:
        return text
    config = state.config
    ctx = RenderContext(
        user_variables=dict(config.packer_user_variables),
        data=extract_build_info(state),
        build_name=config.packer_build_name,
        build_type="amazon-ebs",
        template_path=config.packer_template_path or None,
        extra_funcs={"clean_resource_name": clean_resource_name},
        environ=state.environ,
    )
    return render_once(text, ctx)


def render_tags(state: EbsState, tags: Mapping[str, str]) -> list[dict[str, str]]:
    """``TagMap.EC2Tags``: keys and values rendered; a failure names the tag (``Error processing tag: k:v - err``)."""
    out: list[dict[str, str]] = []
    for key, value in tags.items():
        try:
            out.append({"Key": render(state, key), "Value": render(state, value)})
        except InterpolationError as exc:
            raise InterpolationError(f"Error processing tag: {key}:{value} - {exc}") from None
    return out


def report_tags(state: EbsState, tags: list[dict[str, str]]) -> None:
    """``EC2Tags.Report``."""
    for tag in tags:
        state.ui.message(f'Adding tag: "{tag["Key"]}": "{tag["Value"]}"')
