"""What an export produces for one build, as data: export.py fills it, the writers and apply read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packer_py.errors import Pos

STAGING_PARAMETER = "StagingBucket"
"""The component parameter naming the S3 bucket that staged files come from (set by the recipe, or --parameter)."""

MANAGED_POLICIES = (
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder",
)
"""The two managed policies an Image Builder instance profile needs (image-builder-setting-up.md)."""

TRUST_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}

STAND_IN_ACCOUNT = "000000000000"
"""Account of the stand-in ARNs that request files carry where another resource's ARN goes: the files must pass the
service's ARN patterns as written, and deploy.sh / apply replace each with the ARN the previous call returned."""


@dataclass(frozen=True)
class ExportWarning:
    """Something in the template that Image Builder cannot do as Packer does; ``kind`` groups them in reports."""

    kind: str
    message: str
    pos: Pos | None = None

    def __str__(self) -> str:
        where = f"{self.pos}: " if self.pos is not None and self.pos.line else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class StagedFile:
    """A local file that the build instance downloads from the staging bucket (``s3://BUCKET/<prefix><key>``)."""

    source: Path
    key: str
    """Relative to the export's ``files/`` folder and to the S3 prefix."""


@dataclass
class ComponentFile:
    stem: str
    """``component-<name>``: the ``.yaml`` document and the ``.json`` CreateComponent request."""
    document: dict[str, Any]
    text: str
    request: dict[str, Any]
    uri_key: str | None = None
    """Set when the document is too large for inline ``data``: it is uploaded and referenced by ``uri``."""


@dataclass(frozen=True)
class RoleSpec:
    """The IAM role and same-named instance profile that deploy.sh / apply create for the build instance."""

    name: str
    inline_policy: dict[str, Any] | None
    managed_policies: tuple[str, ...] = MANAGED_POLICIES


@dataclass
class BuildExport:
    build_name: str
    template: str
    """The template file name, as given (for the generated notes)."""
    folder: str
    """Sub-folder of the output directory ("" for a template with one build)."""
    region: str
    base_name: str
    components: list[ComponentFile]
    recipe: dict[str, Any]
    infrastructure: dict[str, Any]
    distribution: dict[str, Any]
    pipeline: dict[str, Any]
    role: RoleSpec | None
    bucket: str | None
    prefix: str
    staged: list[StagedFile] = field(default_factory=list)
    warnings: list[ExportWarning] = field(default_factory=list)
    mappings: list[tuple[str, str]] = field(default_factory=list)
    """(Packer, Image Builder) rows for the README."""

    def requests(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(file name, API operation, request) for every request file, in dependency order."""
        out = [(f"{c.stem}.json", "CreateComponent", c.request) for c in self.components]
        out += [
            ("recipe.json", "CreateImageRecipe", self.recipe),
            ("infrastructure.json", "CreateInfrastructureConfiguration", self.infrastructure),
            ("distribution.json", "CreateDistributionConfiguration", self.distribution),
            ("pipeline.json", "CreateImagePipeline", self.pipeline),
        ]
        return out
