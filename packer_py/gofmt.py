"""How Go (and the Go libraries Packer uses) print values and errors.

Packer's messages embed Go renderings: ``%v`` of a decoded JSON value (``[a b]``, ``map[x:1]``), reflect kind names
(``float64``, ``[]interface {}``), mapstructure's ``1 error(s) decoding:`` lists, go-multierror's
``1 error occurred:\\n\\t* ...`` lists, ``%q`` quoting and ``time.ParseDuration`` errors. Matching Packer's output
byte for byte means printing these exactly as Go does, in one place.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Union

JSONValue = Union[None, bool, int, float, str, list["JSONValue"], dict[str, "JSONValue"]]


def quote(s: str) -> str:
    """Go's ``%q`` / ``strconv.Quote`` for printable text (enough for paths and names)."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def kind(value: JSONValue) -> str:
    """reflect.Kind name of a value decoded by encoding/json into interface{}."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "slice"
    if isinstance(value, dict):
        return "map"
    return "invalid"


def type_name(value: JSONValue) -> str:
    """reflect.Type name of a value decoded by encoding/json into interface{}."""
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return kind(value)


def format_float(f: float) -> str:
    """``%v`` of a float64: strconv.FormatFloat(f, 'g', -1, 64) with Go's exponent style."""
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if math.isnan(f):
        return "NaN"
    if f == int(f) and abs(f) < 1e21:
        return str(int(f))
    r = repr(float(f))
    if "e" in r:
        mant, exp = r.split("e")
        sign = "-" if exp.startswith("-") else "+"
        digits = exp.lstrip("+-").lstrip("0")
        return f"{mant}e{sign}{digits.zfill(2)}"
    return r


def value(v: JSONValue) -> str:
    """Go's ``%v`` of a JSON-decoded value (maps print their keys sorted, as fmt does)."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return format_float(float(v))
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "[" + " ".join(value(x) for x in v) + "]"
    return "map[" + " ".join(f"{k}:{value(v[k])}" for k in sorted(v)) + "]"


def unconvertible(field: str, want: str, v: JSONValue) -> str:
    """mapstructure's type-mismatch error."""
    return f"'{field}' expected type '{want}', got unconvertible type '{type_name(v)}', value: '{value(v)}'"


def weak_string(v: JSONValue) -> str:
    """mapstructure's weakly typed conversion to string (bool → "1"/"0", numbers without a trailing .0)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return format_float(float(v))
    if isinstance(v, str):
        return v
    return json.dumps(v)


def weak_string_error(field: str, v: JSONValue) -> str | None:
    if isinstance(v, (list, dict)):
        return unconvertible(field, "string", v)
    return None


def multierror(errors: Sequence[str]) -> str:
    """go-multierror's default format (ends with a blank line)."""
    if len(errors) == 1:
        return f"1 error occurred:\n\t* {errors[0]}\n\n"
    points = "\n\t".join(f"* {e}" for e in errors)
    return f"{len(errors)} errors occurred:\n\t{points}\n\n"


def packer_multierror(errors: Sequence[str]) -> str:
    """packersdk.MultiError, used by builders: ``N error(s) occurred:`` then ``* `` lines."""
    points = "\n".join(f"* {e}" for e in errors)
    return f"{len(errors)} error(s) occurred:\n\n{points}"


def decode_errors(errors: Sequence[str]) -> str:
    """mapstructure's aggregated decode error."""
    points = "\n".join(f"* {e}" for e in errors)
    return f"{len(errors)} error(s) decoding:\n\n{points}"


_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_DUR_PART = re.compile(r"(\d*\.?\d*)([^\d.]*)")


def parse_duration(text: str) -> float:
    """Go's ``time.ParseDuration``; returns seconds. Raises ValueError with Go's message."""
    orig = text
    if text in ("0", "+0", "-0"):
        return 0.0
    if not text:
        raise ValueError(f"time: invalid duration {quote(orig)}")
    sign = 1.0
    if text[0] in "+-":
        sign = -1.0 if text[0] == "-" else 1.0
        text = text[1:]
    if not text:
        raise ValueError(f"time: invalid duration {quote(orig)}")
    total = 0.0
    while text:
        m = _DUR_PART.match(text)
        assert m is not None
        num, unit = m.group(1), m.group(2)
        if not num or num == ".":
            raise ValueError(f"time: invalid duration {quote(orig)}")
        if not unit:
            raise ValueError(f"time: missing unit in duration {quote(orig)}")
        # the unit runs until the next digit or dot
        if unit not in _UNITS:
            raise ValueError(f"time: unknown unit {quote(unit)} in duration {quote(orig)}")
        total += float(num) * _UNITS[unit]
        text = text[m.end() :]
    return sign * total / 1e9


def format_duration(seconds: float) -> str:
    """Go's ``time.Duration.String()`` (``1m0s``, ``5s``, ``1h30m0s``, ``500ms``)."""
    ns = round(seconds * 1e9)
    if ns == 0:
        return "0s"
    neg = ns < 0
    ns = abs(ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size:
                text = _trim(ns / size)
                return ("-" if neg else "") + text + unit
    secs_total = ns / 1e9
    h = int(secs_total // 3600)
    m = int((secs_total - h * 3600) // 60)
    s = secs_total - h * 3600 - m * 60
    out = ""
    if h:
        out += f"{h}h"
    if h or m:
        out += f"{m}m"
    out += _trim(round(s, 9)) + "s"
    return ("-" if neg else "") + out


def _trim(x: float) -> str:
    text = f"{x:.9f}".rstrip("0").rstrip(".")
    return text or "0"
