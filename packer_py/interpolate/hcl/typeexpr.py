"""Type constraints as HCL writes them: ``string``, ``list(number)``, ``object({a=string})``, ``any``.

Mirrors ``hcl/ext/typeexpr`` (what Packer uses for ``variable { type = ... }`` and the ``convert`` function),
including its ``Invalid type specification`` details. The expression evaluator can hand over its own parse tree
converted to the small ``TypeNode`` tree below; ``parse_type_constraint`` reads the expression from text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packer_py.errors import PackerPyError
from packer_py.interpolate.hcl.types import (
    BOOL,
    DYNAMIC,
    NUMBER,
    STRING,
    CtyType,
    ListType,
    MapType,
    ObjectType,
    SetType,
    TupleType,
)

INVALID_TYPE_SUMMARY = "Invalid type specification"


class TypeSpecError(PackerPyError):
    """An invalid type expression. ``summary`` and ``detail`` are HCL's diagnostic texts."""

    def __init__(self, detail: str, summary: str = INVALID_TYPE_SUMMARY) -> None:
        super().__init__(detail)
        self.summary = summary
        self.detail = detail


@dataclass(frozen=True)
class TKeyword:
    """A bare identifier (``string``)."""

    name: str


@dataclass(frozen=True)
class TCall:
    """A function-call-shaped constructor (``list(string)``)."""

    name: str
    args: tuple[TypeNode, ...]


@dataclass(frozen=True)
class TMap:
    """An object constructor ``{ k = v, ... }``; keys are nodes (a bare name is a ``TKeyword``)."""

    items: tuple[tuple[TypeNode, TypeNode], ...]


@dataclass(frozen=True)
class TList:
    """A tuple constructor ``[a, b]``."""

    items: tuple[TypeNode, ...]


@dataclass(frozen=True)
class TOther:
    """Any other expression (a string, a number, an operator ...)."""

    text: str


TypeNode = TKeyword | TCall | TMap | TList | TOther


def type_constraint(node: TypeNode) -> CtyType:
    """``typeexpr.TypeConstraint``: ``any`` allowed. Raises ``TypeSpecError`` (the first problem found)."""
    return _get_type(node, constraint=True)


def type_exact(node: TypeNode) -> CtyType:
    """``typeexpr.Type``: like ``type_constraint`` but ``any`` is rejected."""
    return _get_type(node, constraint=False)


def parse_type_constraint(text: str) -> CtyType:
    """Parse and resolve a type constraint written as HCL text."""
    return type_constraint(parse_type_node(text))


_ONE_ARGUMENT = {
    **{
        kind: f"The {kind} type constructor requires one argument specifying the element type."
        for kind in ("list", "map", "set")
    },
    "object": "The object type constructor requires one argument specifying the attribute types and values as a map.",
    "tuple": "The tuple type constructor requires one argument specifying the element types as a list.",
}
"""typeexpr's error for a type constructor written bare (``list``) or with other than one argument."""


def _get_type(node: TypeNode, constraint: bool) -> CtyType:
    if isinstance(node, TKeyword):
        kw = node.name
        simple = {"bool": BOOL, "string": STRING, "number": NUMBER}
        if kw in simple:
            return simple[kw]
        if kw == "any":
            if constraint:
                return DYNAMIC
            raise TypeSpecError(
                f'The keyword "{kw}" cannot be used in this type specification: an exact type is required.'
            )
        if kw in _ONE_ARGUMENT:
            raise TypeSpecError(_ONE_ARGUMENT[kw])
        raise TypeSpecError(f'The keyword "{kw}" is not a valid type specification.')
    if not isinstance(node, TCall):
        raise TypeSpecError(
            "A type specification is either a primitive type keyword (bool, number, string) or a complex type "
            "constructor call, like list(string)."
        )
    name = node.name
    if name in ("bool", "string", "number", "any"):
        raise TypeSpecError(f'Primitive type keyword "{name}" does not expect arguments.')
    if len(node.args) != 1 and name in _ONE_ARGUMENT:
        raise TypeSpecError(_ONE_ARGUMENT[name])
    if name == "list":
        return ListType(_get_type(node.args[0], constraint))
    if name == "set":
        return SetType(_get_type(node.args[0], constraint))
    if name == "map":
        return MapType(_get_type(node.args[0], constraint))
    if name == "object":
        arg = node.args[0]
        if not isinstance(arg, TMap):
            raise TypeSpecError(
                "Object type constructor requires a map whose keys are attribute names and whose values are the "
                "corresponding attribute types."
            )
        atys: dict[str, CtyType] = {}
        for key, value in arg.items:
            if not isinstance(key, TKeyword):
                raise TypeSpecError("Object constructor map keys must be attribute names.")
            atys[key.name] = _get_type(value, constraint)
        return ObjectType.of(atys)
    if name == "tuple":
        arg = node.args[0]
        if not isinstance(arg, TList):
            raise TypeSpecError("Tuple type constructor requires a list of element types.")
        return TupleType(tuple(_get_type(e, constraint) for e in arg.items))
    raise TypeSpecError(f'Keyword "{name}" is not a valid type constructor.')


# a small reader for type expressions written as text -----------------------------------------------------------

_TOKEN_PATTERN = (
    r"""\s*(?:
        (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<number>[0-9][0-9.eE+-]*)
      | (?P<punct>[()\[\]{},=:])
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)


def parse_type_node(text: str) -> TypeNode:
    """Read a type expression into a ``TypeNode`` tree (anything unexpected becomes ``TOther``)."""
    token_re = re.compile(*_TOKEN_PATTERN)  # compiled on use (re caches it): keeps importing cheap
    tokens = [(m.lastgroup or "other", m.group(m.lastgroup or "other")) for m in token_re.finditer(text)]
    tokens = [t for t in tokens if t[1]]
    node, pos = _parse(tokens, 0)
    if pos != len(tokens):
        return TOther(text.strip())
    return node


def _parse(tokens: list[tuple[str, str]], pos: int) -> tuple[TypeNode, int]:
    if pos >= len(tokens):
        return TOther(""), pos
    kind, text = tokens[pos]
    if kind == "ident":
        if pos + 1 < len(tokens) and tokens[pos + 1][1] == "(":
            args, pos = _parse_items(tokens, pos + 2, ")")
            return (TOther(text) if args is None else TCall(text, args)), pos
        return TKeyword(text), pos + 1
    if text == "{":
        items: list[tuple[TypeNode, TypeNode]] = []
        pos += 1
        while pos < len(tokens) and tokens[pos][1] != "}":
            key, pos = _parse(tokens, pos)
            if pos >= len(tokens) or tokens[pos][1] not in ("=", ":"):
                return TOther(text), len(tokens) + 1
            value, pos = _parse(tokens, pos + 1)
            items.append((key, value))
            if pos < len(tokens) and tokens[pos][1] == ",":
                pos += 1
        return TMap(tuple(items)), pos + 1
    if text == "[":
        elems, pos = _parse_items(tokens, pos + 1, "]")
        return (TOther(text) if elems is None else TList(elems)), pos
    return TOther(text), pos + 1


def _parse_items(tokens: list[tuple[str, str]], pos: int, close: str) -> tuple[tuple[TypeNode, ...] | None, int]:
    """The comma-separated nodes of a call's arguments or a list, from ``pos`` through ``close``; ``None`` (and a
    position past the end, so that the whole text reads as ``TOther``) when an item is followed by anything else."""
    items: list[TypeNode] = []
    while pos < len(tokens) and tokens[pos][1] != close:
        item, pos = _parse(tokens, pos)
        items.append(item)
        if pos < len(tokens) and tokens[pos][1] == ",":
            pos += 1
        elif pos < len(tokens) and tokens[pos][1] != close:
            return None, len(tokens) + 1
    return tuple(items), pos + 1
