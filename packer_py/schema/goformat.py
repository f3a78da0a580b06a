"""Print values the way Go's ``fmt`` and ``strconv`` print them, so decode errors read exactly as Packer's.

Packer's messages embed Go renderings of the user's JSON values: ``unknown configuration key: '"foo"'`` is
``fmt.Sprintf("'%q'", key)``, mapstructure ends a type error with ``value: '%v'`` and its ``'%s' expected type ...``
names Go types (``float64``, ``[]interface {}``). JSON numbers reach Go as ``float64``, so a Python ``int`` from
``json.loads`` is printed as the float64 it would be in Packer. Packer 1.6.6 hands configs to its components over
RPC (msgpack), which turns every nested JSON object into ``map[interface {}]interface {}``; that type name, and the
``<interface {} Value>`` that mapstructure prints for such a map's keys, show up in its messages.
"""

from __future__ import annotations

import math
from decimal import Decimal

_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def quote(text: str) -> str:
    """``strconv.Quote``: double quotes, backslash escapes, printable Unicode kept as is."""
    out = ['"']
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of ``value`` and the position of the decimal point (Go's ``digs.dp``)."""
    _sign, digits, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    text = "".join(str(d) for d in digits)
    assert isinstance(exponent, int)
    return text, len(text) + exponent


def format_float_g(value: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)``, which is what ``%v`` prints for a float64."""
    if math.isnan(value):
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if str(value).startswith("-") else ""
    if value == 0:
        return sign + "0"
    digits, dp = _shortest_digits(value)
    exp = dp - 1
    if exp < -4 or exp >= 6:  # shortest formatting decides with precision 6, as Go does
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return sign + _fixed(digits, dp)


def format_float_f(value: float) -> str:
    """``strconv.FormatFloat(f, 'f', -1, 64)``: what mapstructure writes when a number lands in a string field."""
    if math.isnan(value):
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if str(value).startswith("-") else ""
    if value == 0:
        return sign + "0"
    digits, dp = _shortest_digits(value)
    return sign + _fixed(digits, dp)


def _fixed(digits: str, dp: int) -> str:
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def format_value(value: object) -> str:
    """``fmt.Sprintf("%v", v)`` for a value decoded from JSON into ``interface{}``."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_float_g(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(format_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
        return "map[" + " ".join(f"{k}:{format_value(v)}" for k, v in items) + "]"
    return str(value)


def type_name(value: object) -> str:
    """The Go type a JSON value has once it reached a component (``encoding/json``, then msgpack over RPC)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[interface {}]interface {}"
    return "interface {}"


def kind_name(value: object) -> str:
    """``reflect.Kind.String()`` of a JSON value (mapstructure's ``expected a map, got 'slice'``)."""
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
    return "interface"
