"""go-cty's type system: primitive, collection, structural and the ``dynamic`` pseudo-type.

Types are frozen dataclasses, so ``==`` is cty's ``Type.Equals`` and types can be dict keys. Friendly names follow
``FriendlyName`` / ``FriendlyNameForConstraint`` exactly, because they appear verbatim in Packer's messages
(``list of string required``, ``map of any single type``).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property


class CtyType(abc.ABC):
    """Base of every cty type. Subclasses are frozen dataclasses."""

    def friendly_name(self) -> str:
        return self._friendly(constraint=False)

    def friendly_name_for_constraint(self) -> str:
        return self._friendly(constraint=True)

    @abc.abstractmethod
    def _friendly(self, constraint: bool) -> str: ...

    @property
    def is_primitive(self) -> bool:
        return isinstance(self, PrimitiveType)

    @property
    def is_list(self) -> bool:
        return isinstance(self, ListType)

    @property
    def is_set(self) -> bool:
        return isinstance(self, SetType)

    @property
    def is_map(self) -> bool:
        return isinstance(self, MapType)

    @property
    def is_collection(self) -> bool:
        return isinstance(self, ListType | SetType | MapType)

    @property
    def is_object(self) -> bool:
        return isinstance(self, ObjectType)

    @property
    def is_tuple(self) -> bool:
        return isinstance(self, TupleType)

    @property
    def is_dynamic(self) -> bool:
        return isinstance(self, DynamicPseudoType)

    def element_type(self) -> CtyType:
        """The element type of a list, set or map."""
        raise TypeError(f"{self!r} is not a collection type")

    def has_dynamic_types(self) -> bool:
        """``HasDynamicTypes``: dynamic appears somewhere not inside a collection."""
        return False


@dataclass(frozen=True)
class PrimitiveType(CtyType):
    kind: str  # "string" | "number" | "bool"

    def _friendly(self, constraint: bool) -> str:
        return self.kind

    def __repr__(self) -> str:
        return self.kind


@dataclass(frozen=True)
class DynamicPseudoType(CtyType):
    """cty.DynamicPseudoType: "any type" as a constraint, and the type of a wholly unknown value."""

    def _friendly(self, constraint: bool) -> str:
        return "any type" if constraint else "dynamic"

    def has_dynamic_types(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "dynamic"


@dataclass(frozen=True)
class _CollectionType(CtyType):
    element: CtyType

    _noun = ""

    def element_type(self) -> CtyType:
        return self.element

    def _friendly(self, constraint: bool) -> str:
        if constraint and isinstance(self.element, DynamicPseudoType):
            return f"{self._noun} of any single type"
        return f"{self._noun} of {self.element._friendly(constraint)}"

    def __repr__(self) -> str:
        return f"{self._noun}({self.element!r})"


@dataclass(frozen=True, repr=False)
class ListType(_CollectionType):
    _noun = "list"


@dataclass(frozen=True, repr=False)
class SetType(_CollectionType):
    _noun = "set"


@dataclass(frozen=True, repr=False)
class MapType(_CollectionType):
    _noun = "map"


@dataclass(frozen=True)
class ObjectType(CtyType):
    """Attributes are kept sorted by name, so equal attribute sets compare (and hash) equal."""

    attrs: tuple[tuple[str, CtyType], ...]

    @staticmethod
    def of(attributes: Mapping[str, CtyType] | Iterable[tuple[str, CtyType]]) -> ObjectType:
        import unicodedata

        items = attributes.items() if isinstance(attributes, Mapping) else attributes
        return ObjectType(tuple(sorted((unicodedata.normalize("NFC", k), t) for k, t in items)))

    @cached_property
    def attribute_types(self) -> dict[str, CtyType]:
        return dict(self.attrs)

    def _friendly(self, constraint: bool) -> str:
        return "object"

    def has_dynamic_types(self) -> bool:
        return any(t.has_dynamic_types() for _, t in self.attrs)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={t!r}" for k, t in self.attrs)
        return f"object({{{inner}}})"


@dataclass(frozen=True)
class TupleType(CtyType):
    elements: tuple[CtyType, ...]

    def _friendly(self, constraint: bool) -> str:
        return "tuple"

    def has_dynamic_types(self) -> bool:
        return any(t.has_dynamic_types() for t in self.elements)

    def __repr__(self) -> str:
        return f"tuple([{', '.join(repr(t) for t in self.elements)}])"


STRING = PrimitiveType("string")
NUMBER = PrimitiveType("number")
BOOL = PrimitiveType("bool")
DYNAMIC = DynamicPseudoType()
EMPTY_OBJECT = ObjectType(())
EMPTY_TUPLE = TupleType(())


def test_conformance(given: CtyType, want: CtyType) -> str | None:
    """``Type.TestConformance``: the first non-conformance message, or None.

    Function parameters check their (already converted) arguments with this; the message reaches users as
    ``Invalid value for "x" parameter: ...``.
    """
    errors: list[str] = []
    _conform(given, want, errors)
    return errors[0] if errors else None


def _conform(given: CtyType, want: CtyType, errors: list[str]) -> None:
    if isinstance(want, DynamicPseudoType) or given == want:
        return
    if isinstance(given, ObjectType) and isinstance(want, ObjectType):
        gat, wat = given.attribute_types, want.attribute_types
        errors.extend(f'unsupported attribute "{k}"' for k in gat if k not in wat)
        errors.extend(f'missing required attribute "{k}"' for k in wat if k not in gat)
        for k, wt in wat.items():
            if k in gat:
                _conform(gat[k], wt, errors)
        return
    if isinstance(given, TupleType) and isinstance(want, TupleType):
        if len(given.elements) != len(want.elements):
            errors.append(f"{len(want.elements)} elements are required, but got {len(given.elements)}")
            return
        for g, w in zip(given.elements, want.elements, strict=True):
            _conform(g, w, errors)
        return
    for kind in (ListType, MapType, SetType):
        if isinstance(given, kind) and isinstance(want, kind):
            _conform(given.element, want.element, errors)
            return
    errors.append(f"{want.friendly_name()} required, but received {given.friendly_name()}")
