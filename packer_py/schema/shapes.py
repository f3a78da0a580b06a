"""What HCL2 wants for each option of a component: an attribute of some type, or nested blocks.

JSON templates do not say. ``{"tags": {...}}`` is a map attribute (``tags = {...}``) while
``{"source_ami_filter": {...}}`` is a block (``source_ami_filter {...}``), ``"ami_users": "a,b"`` is a list that
Packer's decoder split on commas, ``"Resource": "*"`` inside a policy document a one-element list. Packer 1.6.6's
``hcl2_upgrade`` guessed from the JSON values and got these wrong; here the answer comes from the components' own
specs, in this order:

1. packer-py's component schemas (``packer_py/schema/components``), which also know the options that only newer
   Packer accepts;
2. ``data/hcl2spec-1.6.6.json`` (beside this module), extracted from Packer 1.6.6's generated ``*.hcl2spec.go`` for
   every component it ships (``conformance/upgrade/extract_hcl2spec.py``); options it does not list are strings;
3. for a component neither knows (a third-party plugin), ``any``: the value's own JSON shape decides.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

__all__ = ["ANY", "STRING", "Fields", "Shape", "component_fields"]

ShapeKind = Literal["string", "number", "bool", "list", "map", "block", "blocks", "any"]


@dataclass(frozen=True)
class Shape:
    kind: ShapeKind
    elem: Shape | None = None
    """The element shape of a list or map."""
    fields: Fields | None = field(default=None, compare=False)
    """The options of a block."""
    newest_only: bool = False
    """An option that only newer Packer (plugins) accept; 1.6.6 rejects it."""

    @property
    def is_block(self) -> bool:
        return self.kind in ("block", "blocks")


STRING = Shape("string")
ANY = Shape("any")


@dataclass(frozen=True)
class Fields:
    """The options of a component or of a nested block. ``known`` is False for a component nobody describes."""

    shapes: Mapping[str, Shape]
    default: Shape = STRING
    known: bool = True

    def get(self, name: str) -> Shape:
        return self.shapes.get(name, self.default)


UNKNOWN = Fields({}, ANY, known=False)


def _from_schema(prop: Mapping[str, Any]) -> Shape:
    t = prop.get("type")
    newest = bool(prop.get("x-since"))
    if t == "string":
        return Shape("string", newest_only=newest)
    if t in ("integer", "number"):
        return Shape("number", newest_only=newest)
    if t == "boolean":
        return Shape("bool", newest_only=newest)
    if t == "array":
        items = prop.get("items") or {}
        if items.get("type") == "object" and "properties" in items:
            return Shape("blocks", fields=_fields_from_schema(items), newest_only=newest)
        return Shape("list", _from_schema(items), newest_only=newest)
    if t == "object":
        if "properties" in prop:
            return Shape("block", fields=_fields_from_schema(prop), newest_only=newest)
        extra = prop.get("additionalProperties")
        if isinstance(extra, dict):
            return Shape("map", _from_schema(extra), newest_only=newest)
    return Shape("any", newest_only=newest)


def _fields_from_schema(schema: Mapping[str, Any]) -> Fields:
    return Fields({k: _from_schema(v) for k, v in schema.get("properties", {}).items()})


@cache
def _spec_table() -> dict[str, Any]:
    text = resources.files("packer_py.schema").joinpath("data").joinpath("hcl2spec-1.6.6.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _from_spec(typ: str) -> Shape:
    if typ.startswith("block:"):
        return Shape("block", fields=_spec_fields(typ[6:]))
    if typ.startswith("blocks:"):
        return Shape("blocks", fields=_spec_fields(typ[7:]))
    if typ.startswith("list(") and typ.endswith(")"):
        return Shape("list", _from_spec(typ[5:-1]))
    if typ.startswith("map(") and typ.endswith(")"):
        return Shape("map", _from_spec(typ[4:-1]))
    if typ in ("string", "number", "bool"):
        return Shape(typ)  # type: ignore[arg-type]
    return ANY


@cache
def _spec_fields(type_ref: str) -> Fields:
    return Fields({k: _from_spec(v) for k, v in _spec_table()["types"][type_ref].items()})


@cache
def component_fields(kind: str, type_: str) -> Fields:
    """The options of component ``kind``/``type_`` (``builder``/``amazon-ebs``)."""
    from packer_py.schema import is_supported, load_schema

    if is_supported(kind, type_):
        return _fields_from_schema(load_schema(kind, type_))
    ref = _spec_table()["components"].get(f"{kind}/{type_}")
    if ref is not None:
        return _spec_fields(ref)
    return UNKNOWN
