"""A component's HCL2 spec (``ConfigSpec()``), derived from its Go types as Packer 1.6.6's generator derives it.

In HCL2 mode Packer decodes a component's block body with ``hcldec.Decode`` against the component's
``FlatConfig.HCL2Spec()``, which ``cmd/mapstructure-to-hcl2`` generated from the Go config struct (1.6.6). The same
rules applied to the Go types in our component schemas (``gotypes``) give the same spec:

* every field is optional; the name is the ``mapstructure`` tag (an untagged field: its snake-cased Go name, which
  is the schema property);
* ``string``, ``time.Duration`` and other named string types → ``string``; ``bool`` and ``config.Trilean`` →
  ``bool``; every integer (``uint8`` too) → ``number``;
* a slice of scalars → ``list(T)`` (``[]byte`` is ``list(number)``); a map of anything → ``map(string)``;
* a struct, or a pointer to one → a single nested block (``source_ami_filter { ... }``); a slice of structs → a
  list of nested blocks (``launch_block_device_mappings { ... }`` repeated);
* the squashed ``common.PackerConfig`` fields (``packer_build_name``, ``packer_user_variables``, ...) are part of
  every top-level spec, so a template may set them.

The Go type of each attribute is kept, because Packer's ``gocty.FromCtyValue`` into the flat struct checks that a
number fits its Go integer (``value must be a whole number, between 0 and 255``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from packer_py.interpolate.hcl.types import BOOL, NUMBER, STRING, CtyType, ListType, MapType, ObjectType
from packer_py.schema.gotypes import GoType, Map, Pointer, Scalar, Slice, Struct
from packer_py.schema.registry import spec as component_spec

_STRING_SCALARS = frozenset({"string", "time.Duration"})
_BOOL_SCALARS = frozenset({"bool", "config.Trilean"})
_INT_RANGES: dict[str, tuple[int, int]] = {
    "int": (-(1 << 63), (1 << 63) - 1),
    "int64": (-(1 << 63), (1 << 63) - 1),
    "uint8": (0, 255),
}


@dataclass(frozen=True)
class AttrSpec:
    """``hcldec.AttrSpec``: an argument of type ``type``; ``go`` is the Go scalar behind a number (or its list)."""

    name: str
    type: CtyType
    go_int: str = ""
    """For ``number`` and ``list(number)``: the Go integer type (``int``, ``int64``, ``uint8``)."""

    def int_range(self) -> tuple[int, int] | None:
        return _INT_RANGES.get(self.go_int)


@dataclass(frozen=True)
class BlockSpec:
    """``hcldec.BlockSpec`` (``many=False``: at most one block) or ``hcldec.BlockListSpec`` (``many=True``)."""

    name: str
    nested: ObjectSpec
    many: bool


@dataclass(frozen=True)
class ObjectSpec:
    """``hcldec.ObjectSpec``: the attributes and nested blocks of one body, in Go field order."""

    items: tuple[AttrSpec | BlockSpec, ...]

    @property
    def attrs(self) -> tuple[AttrSpec, ...]:
        return tuple(i for i in self.items if isinstance(i, AttrSpec))

    @property
    def blocks(self) -> tuple[BlockSpec, ...]:
        return tuple(i for i in self.items if isinstance(i, BlockSpec))

    def implied_type(self) -> CtyType:
        """``ObjectSpec.impliedType``: the object type ``hcldec.Decode`` returns."""
        out: dict[str, CtyType] = {}
        for item in self.items:
            if isinstance(item, AttrSpec):
                out[item.name] = item.type
            elif item.many:
                out[item.name] = ListType(item.nested.implied_type())
            else:
                out[item.name] = item.nested.implied_type()
        return ObjectType.of(out)


def _scalar_type(go: str) -> CtyType:
    if go in _BOOL_SCALARS:
        return BOOL
    if go in _INT_RANGES or go.startswith(("int", "uint", "float")):
        return NUMBER
    return STRING


def _field_spec(name: str, t: GoType) -> AttrSpec | BlockSpec:
    if isinstance(t, Pointer):
        return _field_spec(name, t.elem)
    if isinstance(t, Struct):
        return BlockSpec(name, _object_spec(t), many=False)
    if isinstance(t, Map):
        return AttrSpec(name, MapType(STRING))  # the generator simplifies every map to map(string)
    if isinstance(t, Slice):
        elem = t.elem.elem if isinstance(t.elem, Pointer) else t.elem
        if isinstance(elem, Struct):
            return BlockSpec(name, _object_spec(elem), many=True)
        if isinstance(elem, Scalar):
            ety = _scalar_type(elem.go)
            return AttrSpec(name, ListType(ety), elem.go if ety == NUMBER else "")
        raise TypeError(f"no HCL2 spec for {t.go}")
    assert isinstance(t, Scalar)
    ty = _scalar_type(t.go)
    return AttrSpec(name, ty, t.go if ty == NUMBER else "")


def _object_spec(struct: Struct) -> ObjectSpec:
    return ObjectSpec(tuple(_field_spec(f.prop, f.type) for f in struct.fields))


@cache
def hcl2_spec(kind: str, type_: str, *, strict: bool = True) -> ObjectSpec:
    """The component's ``ConfigSpec()``; ``strict`` leaves out options newer than Packer 1.6.6 (``x-since``)."""
    return _object_spec(component_spec(kind, type_).go_type(strict=strict))


__all__ = ["AttrSpec", "BlockSpec", "ObjectSpec", "hcl2_spec"]
