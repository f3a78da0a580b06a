"""``yamlencode`` and ``yamldecode`` (go-cty-yaml).

Encoding emits the same event stream as go-cty-yaml through PyYAML's emitter (both are ports of libyaml's):
strings double-quoted, or literal block style when they contain a newline; numbers in cty's shortest form;
block sequences and mappings; keys sorted. Decoding resolves plain scalars with go-yaml's YAML 1.1 table
(``yes``/``on``/``y`` are true, ``~`` is null, timestamps become RFC 3339 strings); mappings become objects and
sequences tuples. PyYAML is imported only when these functions run.
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
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]| +)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))? *(Z|[-+]\d{1,2}(?::?\d{2})?)?)?$"
)


class YAMLError(Exception):
    pass


def _events_for(v: Value, out: list[Any]) -> None:
    import yaml

    if v.is_null:
        out.append(yaml.ScalarEvent(None, None, (True, True), "null", style=None))
        return
    if not v.is_known:
        raise YAMLError("cannot serialize unknown value as YAML")
    ty = v.type
    if ty == STRING:
        s = v.as_string()
        out.append(yaml.ScalarEvent(None, None, (True, True), s, style="|" if "\n" in s else '"'))
    elif ty == NUMBER:
        out.append(yaml.ScalarEvent(None, None, (True, True), v.as_bigfloat().text("f", -1), style=None))
    elif ty.is_primitive:
        out.append(yaml.ScalarEvent(None, None, (True, True), "true" if v.true() else "false", style=None))
    elif ty.is_tuple or ty.is_list or ty.is_set:
        out.append(yaml.SequenceStartEvent(None, None, True, flow_style=False))
        for e in v.elements():
            _events_for(e, out)
        out.append(yaml.SequenceEndEvent())
    else:
        out.append(yaml.MappingStartEvent(None, None, True, flow_style=False))
        for k, e in v.attrs().items():
            out.append(yaml.ScalarEvent(None, None, (True, True), k, style="|" if "\n" in k else '"'))
            _events_for(e, out)
        out.append(yaml.MappingEndEvent())


def yaml_encode(v: Value) -> str:
    import yaml

    events: list[Any] = [yaml.StreamStartEvent(encoding=None), yaml.DocumentStartEvent(explicit=False)]
    _events_for(v, events)
    events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    return str(yaml.emit(events, allow_unicode=True, width=80))


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
        m = _TIMESTAMP.match(src)
        if m and first.isdigit():
            return string_val(_timestamp_text(m))
        try:
            return parse_number_val(src.replace("_", "") if first != "." else src)
        except NumberSyntaxError:
            pass
        body = src.replace("_", "")
        sign = -1 if body.startswith("-") else 1
        digits = body.lstrip("+-")
        for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
            if digits.startswith(prefix):
                try:
                    return number_val(BigFloat.from_int(sign * int(digits[2:], base)))
                except ValueError:
                    break
        if digits.startswith("0") and len(digits) > 1 and digits.isdigit():
            try:
                return number_val(BigFloat.from_int(sign * int(digits, 8)))
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
    import yaml

    anchors: dict[str, Value] = {}
    try:
        events = list(yaml.parse(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"on line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise YAMLError(f"{where}{exc.problem}") from None
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
        return null_val(DYNAMIC)
    pos = docs[0] + 1
    if isinstance(events[pos], yaml.DocumentEndEvent):
        return null_val(DYNAMIC)
    return node()


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
