"""The Go types behind a component schema, as mapstructure sees them.

A JSON Schema says "integer"; Packer's decoder needs to know more: whether a field is an ``int`` or ``int64`` (the
name appears in errors), a ``time.Duration`` (strings go through ``time.ParseDuration``), a ``config.Trilean`` (a
``uint8`` fed by a bool-parsing hook), a pointer to a struct (``nil`` until set), and the Go name an untagged field
is matched by (``Inline``, ``Owners``, ``Key``). The component schemas carry that in ``x-go-*`` annotations;
``from_schema`` turns a schema node into this small type tree. Properties marked ``x-since`` are left out in strict
1.6.6 mode, so that Packer 1.6.6 reports them as unknown keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

JSONObject = Mapping[str, object]


@dataclass(frozen=True)
class Scalar:
    go: str
    """``string``, ``bool``, ``int``, ``int64``, ``time.Duration``, ``config.Trilean`` or ``uint8``."""


@dataclass(frozen=True)
class Slice:
    elem: GoType
    go: str


@dataclass(frozen=True)
class Map:
    elem: GoType
    go: str = "map[string]string"


@dataclass(frozen=True)
class Field:
    name: str
    """The name mapstructure matches and prints: the tag, or the Go field name when the field has no tag."""
    prop: str
    """The schema property (and the key of the decoded dict)."""
    type: GoType


@dataclass(frozen=True)
class Struct:
    fields: tuple[Field, ...]
    go: str


@dataclass(frozen=True)
class Pointer:
    elem: GoType
    go: str


GoType = Scalar | Slice | Map | Struct | Pointer

PACKER_CONFIG_FIELDS: tuple[Field, ...] = (
    Field("packer_build_name", "packer_build_name", Scalar("string")),
    Field("packer_builder_type", "packer_builder_type", Scalar("string")),
    Field("packer_core_version", "packer_core_version", Scalar("string")),
    Field("packer_debug", "packer_debug", Scalar("bool")),
    Field("packer_force", "packer_force", Scalar("bool")),
    Field("packer_on_error", "packer_on_error", Scalar("string")),
    Field("packer_user_variables", "packer_user_variables", Map(Scalar("string"))),
    Field("packer_sensitive_variables", "packer_sensitive_variables", Slice(Scalar("string"), "[]string")),
)
"""``common.PackerConfig``, squashed into every component's config; the core fills it from its own raw config."""


def _go_name(node: JSONObject) -> str:
    value = node.get("x-go-type")
    if not isinstance(value, str):
        raise TypeError(f"schema node without x-go-type: {node!r}")
    return value


def from_schema(node: JSONObject, *, strict: bool, root: bool = False) -> GoType:
    """The Go type of a schema node; ``root`` adds the squashed ``common.PackerConfig`` fields."""
    kind = node.get("type")
    go = _go_name(node)
    if kind == "object" and "properties" in node:
        props = node["properties"]
        assert isinstance(props, Mapping)
        fields: list[Field] = list(PACKER_CONFIG_FIELDS) if root else []
        for prop, sub in props.items():
            assert isinstance(sub, Mapping)
            if strict and sub.get("x-since"):
                continue
            name = sub.get("x-go-name", prop)
            assert isinstance(name, str)
            fields.append(Field(name, prop, from_schema(sub, strict=strict)))
        struct = Struct(tuple(fields), go)
        return Pointer(struct, "*" + go) if node.get("x-go-pointer") else struct
    if kind == "object":
        additional = node.get("additionalProperties")
        assert isinstance(additional, Mapping)
        return Map(from_schema(additional, strict=strict), go)
    if kind == "array":
        items = node.get("items")
        assert isinstance(items, Mapping)
        return Slice(from_schema(items, strict=strict), go)
    return Scalar(go)
