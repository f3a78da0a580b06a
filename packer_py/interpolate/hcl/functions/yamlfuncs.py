"""``yamlencode`` and ``yamldecode`` (go-cty-yaml).

Encoding is a small port of the libyaml emitter paths go-cty-yaml uses: strings double-quoted (escapes like
``\\t``, ``\\x01``, and a line break at the first space past column 80, continued two spaces deeper), or literal
block style (``|``, ``|-``, ``|+``) when they contain a newline; numbers in cty's shortest form; block mappings with
double-quoted keys in sorted order; block sequences, indentless under a mapping key; ``[]``/``{}`` when empty.
Decoding parses with PyYAML (imported only when called) and resolves plain scalars with go-yaml's YAML 1.1 table
(``yes``/``on``/``y`` are true, ``~`` is null, ``0b`` integers, timestamps become RFC 3339 strings, ``0x1F`` stays a
string); mappings become objects and sequences tuples; errors use libyaml's wording where they differ.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.numbers import BigFloat, NumberSyntaxError
from packer_py.interpolate.hcl.types import DYNAMIC, NUMBER, STRING, CtyType
from packer_py.interpolate.hcl.values import (
    EMPTY_OBJECT_VAL,
    EMPTY_TUPLE_VAL,
    FALSE,
    TRUE,
    Value,
    null_val,
    number_val,
    object_val,
    parse_number_val,
    string_val,
    tuple_val,
)

_BOOLS = {
    **dict.fromkeys(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"], True),
    **dict.fromkeys(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], False),
}
_NULLS = {"", "~", "null", "Null", "NULL"}
_INFS = {".inf": False, ".Inf": False, ".INF": False, "+.inf": False, "+.Inf": False, "+.INF": False,
         "-.inf": True, "-.Inf": True, "-.INF": True}  # fmt: skip
_TIMESTAMP = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]| +)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))? *(Z|[-+]\d{1,2}(?::?\d{2})?)?)?$"  # noqa: E501


class YAMLError(Exception):
    pass


_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
            "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P"}  # fmt: skip
_BEST_WIDTH = 80


def _printable(ch: str) -> bool:
    """libyaml's ``IS_PRINTABLE`` (unicode output)."""
    c = ord(ch)
    return (
        c == 0x0A
        or 0x20 <= c <= 0x7E
        or c == 0x85
        or 0xA0 <= c <= 0xD7FF
        or (0xE000 <= c <= 0xFFFD and c != 0xFEFF)
        or 0x10000 <= c <= 0x10FFFF
    )


def _double_quoted(text: str, column: int, indent: int, allow_breaks: bool) -> str:
    """libyaml's ``yaml_emitter_write_double_quoted``: escapes, and a line break at a space once past column 80."""
    out = ['"']
    column += 1
    spaces = False
    n = len(text)
    for i, ch in enumerate(text):
        if not _printable(ch) or ch in '\n\r\x85\u2028\u2029\ufeff"\\':
            code = _ESCAPES.get(ch)
            if code is None:
                c = ord(ch)
                code = f"x{c:02X}" if c <= 0xFF else f"u{c:04X}" if c <= 0xFFFF else f"U{c:08X}"
            piece = "\\" + code
            out.append(piece)
            column += len(piece)
            spaces = False
        elif ch == " ":
            if allow_breaks and not spaces and column > _BEST_WIDTH and i != 0 and i != n - 1:
                out.append("\n" + " " * indent)
                column = indent
                if i + 1 < n and text[i + 1] == " ":
                    out.append("\\")
                    column += 1
            else:
                out.append(" ")
                column += 1
            spaces = True
        else:
            out.append(ch)
            column += 1
            spaces = False
    out.append('"')
    return "".join(out)


def _literal(text: str, indent: int) -> str:
    """libyaml's ``yaml_emitter_write_literal_scalar`` with its block scalar hints."""
    hints = "|"
    if text[:1] in (" ", "\n"):
        hints += "2"
    if not text.endswith("\n"):
        hints += "-"
    elif text == "\n" or text.endswith("\n\n"):
        hints += "+"
    lines = []
    for line in text.split("\n"):
        lines.append(" " * indent + line if line else "")
    body = "\n".join(lines)
    return hints + "\n" + body


def _scalar(v: Value, column: int, indent: int, key: bool = False) -> str:
    if v.is_null:
        return "null"
    ty = v.type
    if ty == STRING:
        s = v.as_string()
        if "\n" in s and not key:
            return _literal(s, indent)
        return _double_quoted(s, column, indent, allow_breaks=not key)
    if ty == NUMBER:
        return v.as_bigfloat().text("f", -1)
    return "true" if v.true() else "false"


def _is_collection(v: Value) -> bool:
    return not v.is_null and (v.type.is_tuple or v.type.is_list or v.type.is_set or v.type.is_map or v.type.is_object)


def _is_empty(v: Value) -> bool:
    if v.type.is_map or v.type.is_object:
        return len(v.attrs()) == 0
    return len(v.elements()) == 0


def _node(v: Value, column: int, indent: int) -> str:
    """A node whose first character goes at ``column``; block content nests at ``indent``."""
    if not v.is_known:
        raise YAMLError("cannot serialize unknown value as YAML")
    if not _is_collection(v):
        return _scalar(v, column, indent + 2)
    if v.type.is_map or v.type.is_object:
        items = list(v.attrs().items())
        if not items:
            return "{}"
        parts = []
        for n, (k, e) in enumerate(items):
            prefix = "" if n == 0 else " " * indent
            key = _double_quoted(k, column if n == 0 else indent, indent, allow_breaks=False)
            col = (column if n == 0 else indent) + len(key) + 1
            if _is_collection(e) and not _is_empty(e):
                if e.type.is_map or e.type.is_object:
                    value = "\n" + " " * (indent + 2) + _node(e, indent + 2, indent + 2)
                else:
                    value = "\n" + " " * indent + _node(e, indent, indent)
            else:
                value = " " + _node(e, col + 1, indent)
            parts.append(prefix + key + ":" + value)
        return "\n".join(parts)
    elems = v.elements()
    if not elems:
        return "[]"
    parts = []
    for n, e in enumerate(elems):
        prefix = "" if n == 0 else " " * indent
        start = (column if n == 0 else indent) + 2
        parts.append(prefix + "- " + _node(e, start, indent + 2))
    return "\n".join(parts)


def yaml_encode(v: Value) -> str:
    text = _node(v, 0, 0) if _is_collection(v) else _scalar(v, 0, 2)
    return text if text.endswith("\n") else text + "\n"


def _resolve_scalar(tag: str | None, src: str, plain: bool) -> Value:
    if tag in (None, "!") or tag == "tag:yaml.org,2002:str" and not plain:
        tag = None
    if tag not in (None, "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                   "tag:yaml.org,2002:float", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
                   "tag:yaml.org,2002:binary"):  # fmt: skip
        raise YAMLError(f'unsupported tag "{tag}"')
    if tag == "tag:yaml.org,2002:str" or tag == "tag:yaml.org,2002:binary":
        return string_val(src)
    if not plain:
        return string_val(src)
    if src in _BOOLS:
        return TRUE if _BOOLS[src] else FALSE
    if src in _NULLS:
        return null_val(DYNAMIC)
    if src in _INFS:
        return number_val(BigFloat.infinity(_INFS[src], 512))
    if src in (".nan", ".NaN", ".NAN"):
        raise YAMLError("floating point NaN is not supported")
    first = src[:1]
    if first == "." or first in "+-" or first.isdigit():
        m = re.match(_TIMESTAMP, src)
        if m and first.isdigit():
            return string_val(_timestamp_text(m))
        try:
            return parse_number_val(src.replace("_", "") if first != "." else src)
        except NumberSyntaxError:
            pass
        body = src.replace("_", "")
        if body.startswith(("0b", "-0b")):
            try:
                return number_val(BigFloat.from_int(int(body, 0)))
            except ValueError:
                pass
    if src == "<<":
        raise YAMLError("merge keys are not supported")
    return string_val(src)


def _timestamp_text(m: re.Match[str]) -> str:
    y, mo, d, h, mi, s, _frac, tz = m.groups()
    if h is None:
        return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}T00:00:00Z"
    text = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}T{int(h):02d}:{int(mi):02d}:{int(s):02d}"
    if tz in (None, "Z"):
        return text + "Z"
    sign = tz[0]
    rest = tz[1:].replace(":", "")
    hh = int(rest[:-2] if len(rest) > 2 else rest)
    mm = int(rest[-2:]) if len(rest) > 2 else 0
    if hh == 0 and mm == 0:
        return text + "Z"
    return f"{text}{sign}{hh:02d}:{mm:02d}"


def yaml_decode(text: str) -> Value:
    import yaml  # type: ignore[import-untyped]

    anchors: dict[str, Value] = {}
    try:
        events = list(yaml.parse(text))
    except yaml.MarkedYAMLError as exc:
        raise YAMLError(_parser_error(exc)) from None
    pos = 0

    def node() -> Value:
        nonlocal pos
        evt = events[pos]
        pos += 1
        if isinstance(evt, yaml.AliasEvent):
            if evt.anchor not in anchors:
                raise YAMLError(f'reference to undefined anchor "{evt.anchor}"')
            return anchors[evt.anchor]
        if isinstance(evt, yaml.ScalarEvent):
            result = _resolve_scalar(evt.tag, evt.value, evt.style is None)
        elif isinstance(evt, yaml.SequenceStartEvent):
            items = []
            while not isinstance(events[pos], yaml.SequenceEndEvent):
                items.append(node())
            pos += 1
            result = tuple_val(items) if items else EMPTY_TUPLE_VAL
        elif isinstance(evt, yaml.MappingStartEvent):
            attrs: dict[str, Value] = {}
            while not isinstance(events[pos], yaml.MappingEndEvent):
                key_evt = events[pos]
                key = node()
                if key.is_null:
                    raise YAMLError(_at(key_evt, "mapping key cannot be null"))
                if key.type != STRING:
                    raise YAMLError(_at(key_evt, "only strings are allowed as mapping keys"))
                attrs[key.as_string()] = node()
            pos += 1
            result = object_val(attrs) if attrs else EMPTY_OBJECT_VAL
        else:
            raise YAMLError(_at(evt, "expecting value but found end of stream"))
        anchor = getattr(evt, "anchor", None)
        if anchor:
            anchors[anchor] = result
        return result

    docs = [i for i, e in enumerate(events) if isinstance(e, yaml.DocumentStartEvent)]
    if len(docs) > 1:
        raise YAMLError(_at(events[docs[1]], "only a single document is allowed"))
    if not docs:
        raise YAMLError("on line 1, column 1: missing start of document")
    pos = docs[0] + 1
    if isinstance(events[pos], yaml.DocumentEndEvent):
        return null_val(DYNAMIC)
    return node()


_LIBYAML_PROBLEMS = (
    ("expected the node content", "did not find expected node content"),
    ("expected ',' or ']'", "did not find expected ',' or ']'"),
    ("expected ',' or '}'", "did not find expected ',' or '}'"),
    ("expected <block end>, but found '-'", "did not find expected key"),
    ("expected <block end>", "did not find expected key"),
    ("found character", "found character that cannot start any token"),
)


def _parser_error(exc: Any) -> str:
    """go-cty-yaml's ``parserErrorWrap`` position rules over libyaml's problem texts."""
    import yaml

    problem = str(exc.problem or "")
    for prefix, text in _LIBYAML_PROBLEMS:
        if problem.startswith(prefix):
            problem = text
            break
    scanner = isinstance(exc, yaml.scanner.ScannerError)
    pmark, cmark = exc.problem_mark, exc.context_mark
    if pmark is not None and pmark.line != 0:
        return f"on line {pmark.line + (1 if scanner else 0)}, column {pmark.column + 1}: {problem}"
    if cmark is not None and cmark.line != 0:
        return f"on line {cmark.line}, column {cmark.column + 1}: {problem}"
    return f"on line 1, column 1: {problem}"


def _at(evt: Any, msg: str) -> str:
    mark = getattr(evt, "start_mark", None)
    if mark is None:
        return msg
    return f"on line {mark.line + 1}, column {mark.column + 1}: {msg}"


def _decode(args: Sequence[Arg]) -> Value:
    try:
        return yaml_decode(value(args, 0).as_string())
    except YAMLError as exc:
        raise FunctionCallError(None, str(exc)) from None


def _encode(args: Sequence[Arg], ret: CtyType) -> Value:
    v = value(args, 0)
    if not v.is_wholly_known():
        from packer_py.interpolate.hcl.values import unknown_val

        return unknown_val(STRING)
    try:
        return string_val(yaml_encode(v))
    except YAMLError as exc:
        raise FunctionCallError(None, str(exc)) from None


def functions() -> dict[str, HclFunction]:
    return {
        "yamlencode": define(
            "yamlencode", [Param("value", DYNAMIC, allow_null=True, allow_dynamic_type=True)], STRING, _encode
        ),
        "yamldecode": define(
            "yamldecode",
            [Param("src", STRING)],
            lambda args: _decode(args).type if value(args, 0).is_known else DYNAMIC,
            lambda args, ret: _decode(args),
        ),
    }
