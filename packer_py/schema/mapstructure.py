"""mapstructure's weakly typed decoding, as Packer 1.6.6 configures it (``config.Decode``).

Packer decodes each raw config (the component's JSON object, then an override, then the core's own settings) into
the *same* Go struct, one after the other, with ``WeaklyTypedInput`` and four decode hooks. That gives Packer's
forgiving, occasionally surprising behaviour, reproduced here:

* strings become numbers and bools (``"22"``, ``"0x16"``, ``"true"``, ``""`` is 0/false), numbers and bools become
  strings (``22`` -> ``"22"``, ``true`` -> ``"1"``), a number into a duration is nanoseconds;
* a string for a list is split on commas (``"a,b"`` -> ``["a", "b"]``, ``""`` -> ``[]``), any other single value
  is lifted into a one-element list, a list of objects for a map is merged into one map;
* ``"5m"`` goes through ``time.ParseDuration``; a string for a ``config.Trilean`` through ``strconv.ParseBool``;
* keys match fields case-insensitively (``AMI_NAME`` sets ``ami_name``); untagged Go fields match by Go name;
* later raws merge into earlier ones: maps and structs merge key by key, and a **list is overwritten index by
  index, keeping the tail** (an override ``"inline": ["x"]`` over ``["a", "b", "c"]`` yields ``["x", "b", "c"]``);
  ``null`` leaves a field untouched;
* keys that match no field are collected (``Metadata.Unused``, dotted for nested structs) and only reported when
  the whole raw decoded without a type error.

Error texts are mapstructure v1.5's (the library in the Debian build of Packer 1.6.6), e.g.
``'ssh_handshake_attempts' expected type 'int', got unconvertible type '[]interface {}', value: '[1]'``.
Values are plain Python data: a struct is a dict keyed by schema property with every field present (Go zero
values), a nil slice/map/pointer is ``None``, durations are ``packer_py.goparse.Duration``, trileans are ints (0 unset,
1 true, 2 false) until ``decode`` turns them into ``None``/``True``/``False``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from packer_py.gofmt import format_float_f, format_value, kind_name, type_name
from packer_py.goparse import Duration, GoParseError, parse_bool, parse_duration, parse_int, parse_uint
from packer_py.schema.gotypes import GoType, Map, Pointer, Scalar, Slice, Struct
from packer_py.template.positions import DocPath

INT64_MIN = -(1 << 63)


@dataclass(frozen=True)
class Issue:
    """One mapstructure error line, with the document path (relative to the raw config) it is about."""

    message: str
    path: DocPath


@dataclass(frozen=True)
class Unused:
    name: str
    """The dotted name mapstructure reports (``source_ami_filter.foo``)."""
    path: DocPath


class _Trilean:
    """The value Packer's ``stringToTrilean`` hook hands on: a ``config.Trilean`` (uint8 0/1/2)."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value


def zero(t: GoType) -> object:
    """The Go zero value of a type, in this module's representation."""
    if isinstance(t, Scalar):
        if t.go == "string":
            return ""
        if t.go == "bool":
            return False
        if t.go == "time.Duration":
            return Duration(0)
        return 0
    if isinstance(t, Struct):
        return {f.prop: zero(f.type) for f in t.fields}
    return None


def fold_equal(a: str, b: str) -> bool:
    """Go's ``strings.EqualFold`` (simple case folding, so ``ß`` does not match ``ss``)."""
    return len(a) == len(b) and all(
        x == y or x.lower() == y.lower() or x.upper() == y.upper() for x, y in zip(a, b, strict=True)
    )


def _kind(data: object) -> str:
    if isinstance(data, bool):
        return "bool"
    if isinstance(data, Duration):
        return "int"
    if isinstance(data, _Trilean):
        return "uint"
    if isinstance(data, (int, float)):
        return "float"
    if isinstance(data, str):
        return "string"
    if isinstance(data, list):
        return "slice"
    if isinstance(data, dict):
        return "map"
    return "invalid"


def _type_name(data: object) -> str:
    if isinstance(data, Duration):
        return "time.Duration"
    if isinstance(data, _Trilean):
        return "config.Trilean"
    return type_name(data)


def _value_text(data: object) -> str:
    if isinstance(data, Duration):
        return str(data)
    if isinstance(data, _Trilean):
        return str(data.value)
    return format_value(data)


def _unconvertible(name: str, go: str, data: object) -> str:
    return f"'{name}' expected type '{go}', got unconvertible type '{_type_name(data)}', value: '{_value_text(data)}'"


def _go_int64(value: float) -> int:
    """``int64(f)`` on amd64: truncation, and the "indefinite integer" for NaN and out-of-range values."""
    if math.isnan(value) or math.isinf(value):
        return INT64_MIN
    truncated = math.trunc(value)
    if not INT64_MIN <= truncated < (1 << 63):
        return INT64_MIN
    return truncated


@dataclass
class Decoder:
    """One ``mapstructure.Decoder`` (``WeaklyTypedInput`` on, Packer's hooks), reused across raws like Packer's."""

    weak: bool = True
    unused: list[Unused] = field(default_factory=list)

    def decode(self, name: str, data: object, t: GoType, cur: object, path: DocPath) -> tuple[object, list[Issue]]:
        if data is None:
            return cur, []
        data, hook_error = self._hooks(data, t)
        if hook_error is not None:
            return cur, [Issue(f"error decoding '{name}': {hook_error}", path)]
        if isinstance(t, Scalar):
            return self._scalar(name, data, t, cur, path)
        if isinstance(t, Struct):
            return self._struct(name, data, t, cur, path)
        if isinstance(t, Map):
            return self._map(name, data, t, cur, path)
        if isinstance(t, Pointer):
            inner = cur if cur is not None else zero(t.elem)
            value, issues = self.decode(name, data, t.elem, inner, path)
            return (cur, issues) if issues else (value, [])
        return self._slice(name, data, t, cur, path, lifted=False)

    # -- hooks: uint8ToString (never fires on JSON), stringToTrilean, StringToSlice(","), StringToTimeDuration --

    def _hooks(self, data: object, t: GoType) -> tuple[object, str | None]:
        if isinstance(t, Scalar) and t.go == "config.Trilean":
            if isinstance(data, str):
                if data == "":
                    return _Trilean(0), None
                try:
                    return _Trilean(1 if parse_bool(data) else 2), None
                except GoParseError as exc:
                    return data, f"Error parsing bool from given var: {exc}"
            if isinstance(data, bool):
                return _Trilean(1 if data else 2), None
            return data, None
        if isinstance(t, Slice) and isinstance(data, str):
            return ([] if data == "" else data.split(",")), None
        if isinstance(t, Scalar) and t.go == "time.Duration" and isinstance(data, str):
            try:
                return parse_duration(data), None
            except GoParseError as exc:
                return data, str(exc)
        return data, None

    # -- scalars ------------------------------------------------------------------------------------------------

    def _scalar(self, name: str, data: object, t: Scalar, cur: object, path: DocPath) -> tuple[object, list[Issue]]:
        kind = _kind(data)
        weak = self.weak
        go = t.go
        if go == "string":
            if kind == "string":
                return data, []
            if kind == "bool" and weak:
                return ("1" if data else "0"), []
            if kind == "int" and weak:
                return str(int(data)), []  # type: ignore[call-overload]
            if kind == "uint" and weak:
                assert isinstance(data, _Trilean)
                return str(data.value), []
            if kind == "float" and weak:
                assert isinstance(data, (int, float))
                return format_float_f(float(data)), []
            return cur, [Issue(_unconvertible(name, go, data), path)]
        if go == "bool":
            if kind == "bool":
                return data, []
            if kind in ("int", "float") and weak:
                assert isinstance(data, (int, float))
                return data != 0, []
            if kind == "uint" and weak:
                assert isinstance(data, _Trilean)
                return data.value != 0, []
            if kind == "string" and weak:
                assert isinstance(data, str)
                try:
                    return parse_bool(data), []
                except GoParseError as exc:
                    if data == "":
                        return False, []
                    return cur, [Issue(f"cannot parse '{name}' as bool: {exc}", path)]
            return cur, [Issue(_unconvertible(name, go, data), path)]
        signed = go in ("int", "int64", "time.Duration")
        value, issue = self._whole_number(name, data, go, signed=signed)
        if issue is not None:
            return cur, [Issue(issue, path)]
        if signed:
            return (Duration(value) if go == "time.Duration" else value), []
        # uint8 and config.Trilean (a uint8): reflect.SetUint truncates to the field's width.
        return value & 0xFF, []

    def _whole_number(self, name: str, data: object, go: str, *, signed: bool) -> tuple[int, str | None]:
        """mapstructure's ``decodeInt``/``decodeUint`` input rules: (value, None) or (0, the error text). A weak
        string parses as ``strconv.ParseInt(s, 0, 64)`` or, for the uint8 fields, ``ParseUint(s, 0, 8)``."""
        kind = _kind(data)
        if kind == "int":
            return int(data), None  # type: ignore[call-overload]
        if kind == "uint":
            assert isinstance(data, _Trilean)
            return data.value, None
        if kind == "float":
            assert isinstance(data, (int, float))
            return _go_int64(float(data)), None
        if kind == "bool" and self.weak:
            return (1 if data else 0), None
        if kind == "string" and self.weak:
            assert isinstance(data, str)
            try:
                return (parse_int(data or "0", 64) if signed else parse_uint(data or "0", 8)), None
            except GoParseError as exc:
                return 0, f"cannot parse '{name}' as {'int' if signed else 'uint'}: {exc}"
        return 0, _unconvertible(name, go, data)

    # -- composites ---------------------------------------------------------------------------------------------

    def _struct(self, name: str, data: object, t: Struct, cur: object, path: DocPath) -> tuple[object, list[Issue]]:
        if not isinstance(data, dict):
            return cur, [Issue(f"'{name}' expected a map, got '{kind_name(data)}'", path)]
        result = dict(cur) if isinstance(cur, dict) else {}
        keys = list(data.keys())
        unused = dict.fromkeys(keys)
        issues: list[Issue] = []
        for f in t.fields:
            raw_key: str | None = f.name if f.name in data else None
            if raw_key is None:
                raw_key = next((k for k in keys if isinstance(k, str) and fold_equal(k, f.name)), None)
                if raw_key is None:
                    continue
            unused.pop(raw_key, None)
            field_name = f"{name}.{f.name}" if name else f.name
            value, errs = self.decode(
                field_name, data[raw_key], f.type, result.get(f.prop, zero(f.type)), (*path, raw_key)
            )
            result[f.prop] = value
            issues.extend(errs)
        if issues:
            return result, issues
        for key in unused:
            self.unused.append(Unused(f"{name}.{key}" if name else str(key), (*path, key)))
        return result, []

    def _map(self, name: str, data: object, t: Map, cur: object, path: DocPath) -> tuple[object, list[Issue]]:
        current: dict[str, object] = dict(cur) if isinstance(cur, dict) else {}
        if isinstance(data, dict):
            issues: list[Issue] = []
            for key, item in data.items():
                # The key is a reflect.Value of an interface{} map key: Value.String() prints its type, not the key.
                value, errs = self.decode(f"{name}[<interface {{}} Value>]", item, t.elem, zero(t.elem), (*path, key))
                if errs:
                    issues.extend(errs)
                    continue
                current[key] = value
            return current, issues
        if isinstance(data, list) and self.weak:
            if not data:
                return current, []
            merged: object = cur
            for i, item in enumerate(data):
                merged, errs = self.decode(f"{name}[{i}]", item, t, merged, (*path, i))
                if errs:
                    return merged, errs
            return merged, []
        return cur, [Issue(f"'{name}' expected a map, got '{kind_name(data)}'", path)]

    def _slice(
        self, name: str, data: object, t: Slice, cur: object, path: DocPath, *, lifted: bool
    ) -> tuple[object, list[Issue]]:
        if not isinstance(data, list):
            if not self.weak:
                return cur, [Issue(f"'{name}': source data must be an array or slice, got {_kind(data)}", path)]
            if isinstance(data, dict) and not data:
                return [], []
            return self._slice(name, [data], t, cur, path, lifted=True)
        values: list[object] = list(cur) if isinstance(cur, list) else [zero(t.elem) for _ in data]
        issues: list[Issue] = []
        for i, item in enumerate(data):
            while len(values) <= i:
                values.append(zero(t.elem))
            item_path = path if lifted else (*path, i)
            value, errs = self.decode(f"{name}[{i}]", item, t.elem, values[i], item_path)
            values[i] = value
            issues.extend(errs)
        return values, issues


def export(value: object, t: GoType) -> object:
    """Turn the decoder's representation into the public one (trileans become ``None``/``True``/``False``)."""
    if isinstance(t, Scalar):
        if t.go == "config.Trilean":
            return {1: True, 2: False}.get(value) if isinstance(value, int) else None
        return value
    if isinstance(t, Pointer):
        return None if value is None else export(value, t.elem)
    if isinstance(t, Struct):
        assert isinstance(value, dict)
        return {f.prop: export(value.get(f.prop), f.type) for f in t.fields}
    if isinstance(t, Slice):
        return None if value is None else [export(v, t.elem) for v in value]  # type: ignore[attr-defined]
    assert isinstance(t, Map)
    return None if value is None else {k: export(v, t.elem) for k, v in value.items()}  # type: ignore[attr-defined]
