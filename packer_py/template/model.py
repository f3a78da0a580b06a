"""The format-independent template model.

Both loaders (legacy JSON and HCL2) produce these objects, and everything else (validate, inspect, console, build,
hcl2_upgrade, Image Builder export) reads them. Values are kept as the template wrote them: strings that contain
Go-template actions (``"httpd {{timestamp}}"``, ``"{{ .SourceAMIName }}"``) stay unrendered until whoever uses them
renders them with the context it has (see ``docs/architecture.md``: interpolation is lazy).

A JSON template is one implicit build whose sources are its ``builders``; an HCL2 template has ``build`` blocks that
refer to ``source`` blocks. Both fit ``Template.sources`` + ``Template.builds``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

from packer_py.errors import Pos
from packer_py.template.positions import DocPath, PositionMap

JSONValue = Union[None, bool, int, float, str, list["JSONValue"], dict[str, "JSONValue"]]
Config = dict[str, JSONValue]
TemplateFormat = Literal["json", "hcl2"]


@dataclass
class Variable:
    """A user variable. In JSON templates ``default`` is a string (possibly a template) or None when required."""

    name: str
    default: JSONValue
    required: bool
    pos: Pos
    sensitive: bool = False
    type: str | None = None
    description: str | None = None


@dataclass
class Source:
    """One builder configuration: a JSON ``builders`` entry or an HCL2 ``source`` block.

    ``name`` is the JSON builder ``name`` (defaulting to the type, possibly containing user-variable templates that
    are rendered when the template is instantiated) or the HCL2 source's local name. ``config`` holds every other key.
    """

    type: str
    name: str
    config: Config
    path: DocPath
    pos: Pos

    @property
    def ref(self) -> str:
        """``TYPE.NAME``: how HCL2 refers to a source (``only``/``except``, ``-only`` globs)."""
        return f"{self.type}.{self.name}"


@dataclass
class Provisioner:
    type: str
    config: Config
    path: DocPath
    pos: Pos
    name: str | None = None
    only: list[str] = field(default_factory=list)
    except_: list[str] = field(default_factory=list)
    override: dict[str, Config] = field(default_factory=dict)
    pause_before: str | None = None
    max_retries: str | None = None
    timeout: str | None = None

    def applies_to(self, build_name: str) -> bool:
        """Packer's ``only``/``except``: exact names, no globs."""
        if self.only:
            return build_name in self.only
        return build_name not in self.except_

    def config_for(self, build_name: str) -> Config:
        """The provisioner config with ``override[build_name]`` merged over it (shallow, later wins)."""
        merged = dict(self.config)
        merged.update(self.override.get(build_name, {}))
        return merged


@dataclass
class PostProcessor:
    type: str
    name: str
    config: Config
    path: DocPath
    pos: Pos
    only: list[str] = field(default_factory=list)
    except_: list[str] = field(default_factory=list)
    keep_input_artifact: bool | None = None

    def applies_to(self, build_name: str) -> bool:
        if self.only:
            return build_name in self.only
        return build_name not in self.except_


Chain = list[PostProcessor]


@dataclass
class BuildSource:
    """A source as used by one build: HCL2 may rename it (``name``) and add attributes (``extra``)."""

    source: Source
    name: str | None = None
    extra: Config = field(default_factory=dict)

    @property
    def build_name(self) -> str:
        return self.name or self.source.name


@dataclass
class Build:
    sources: list[BuildSource]
    provisioners: list[Provisioner] = field(default_factory=list)
    post_processors: list[Chain] = field(default_factory=list)
    error_cleanup_provisioner: Provisioner | None = None
    name: str | None = None
    description: str | None = None
    pos: Pos | None = None


@dataclass
class Template:
    """A loaded template, before variables are bound (see ``packer_py.template.instance``)."""

    path: str
    format: TemplateFormat
    variables: dict[str, Variable]
    sources: dict[str, Source]
    builds: list[Build]
    positions: PositionMap
    description: str | None = None
    min_packer_version: str | None = None
    sensitive_variables: list[str] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)

    @property
    def provisioners(self) -> list[Provisioner]:
        return [p for b in self.builds for p in b.provisioners]

    @property
    def post_processors(self) -> list[Chain]:
        return [c for b in self.builds for c in b.post_processors]
