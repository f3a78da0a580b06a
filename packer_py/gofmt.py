"""How Go (and the Go libraries Packer uses) print values and errors — one home for every part of packer-py.

Packer's messages embed Go renderings: ``%q`` quoting (``unknown configuration key: '"foo"'``), ``%v`` of a value
decoded from JSON (``[a b]``, ``map[x:1]``, ``1e+21``), reflect kind and type names (``float64``,
``[]interface {}``), mapstructure's sorted ``1 error(s) decoding:`` lists, go-multierror's tab-indented lists,
Packer's own ``N error(s) occurred:`` lists. Matching Packer's output byte for byte means printing these exactly as
Go does (durations: ``packer_py.goparse``). (The Go-template engine's full ``fmt.Sprintf`` lives with the engine,
in ``packer_py.interpolate.gotemplate.gofmt``.)

Two type-name flavours exist because a JSON object is a ``map[string]interface {}`` while Packer parses the template,
but has become a ``map[interface {}]interface {}`` by the time a component decodes it (configs travel over RPC as
msgpack).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

# -- quoting ---------------------------------------------------------------------------------------------------------
_SIMPLE = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\"}


def _escape(ch: str, quote_char: str) -> str:
    if ch == quote_char:
        return "\\" + ch
    if ch in _SIMPLE:
        return _SIMPLE[ch]
    if ch.isprintable():  # Go's unicode.IsPrint is the same set as Python's isprintable
        return ch
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        code = 0xFFFD
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def quote(s: str) -> str:
    """``strconv.Quote`` / ``fmt.Sprintf("%q", s)``."""
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return f'"{s}"'
    return '"' + "".join(_escape(ch, '"') for ch in s) + '"'


def quote_rune(ch: str) -> str:
    """``fmt.Sprintf("%q", r)`` for one rune."""
    return "'" + _escape(ch, "'") + "'"


# -- numbers and values ----------------------------------------------------------------------------------------------
def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of ``value`` and the position of the decimal point (Go's ``digs.dp``)."""
    _sign, digits, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    text = "".join(str(d) for d in digits)
    assert isinstance(exponent, int)
    return text, len(text) + exponent


def _fixed(digits: str, dp: int) -> str:
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def _format_float(value: float, fmt: str) -> str:
    """``strconv.FormatFloat(f, fmt, -1, 64)`` for ``fmt`` ``'g'`` or ``'f'``: the shortest digits that round-trip,
    printed with an exponent (``'g'`` only, when it is below -4 or from 6 on, as Go does: ``1e+06``) or in full."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    digits, dp = _shortest_digits(value)
    exp = dp - 1
    if fmt == "g" and (exp < -4 or exp >= 6):
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return sign + _fixed(digits, dp)


def format_float_g(value: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)``, which is what ``%v`` prints for a float64."""
    return _format_float(value, "g")


def format_float_f(value: float) -> str:
    """``strconv.FormatFloat(f, 'f', -1, 64)``: what mapstructure writes when a number lands in a string field."""
    return _format_float(value, "f")


def format_value(value: object) -> str:
    """``fmt.Sprintf("%v", v)`` for a value decoded from JSON into ``interface{}`` (map keys sorted, as fmt does)."""
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


def type_name(value: object, *, rpc: bool = True) -> str:
    """The Go type of a JSON value: after RPC (a component decoding it, the default) or at template parse time."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[interface {}]interface {}" if rpc else "map[string]interface {}"
    return "interface {}"


def kind_name(value: object) -> str:
    """``reflect.Kind.String()`` of a JSON value (mapstructure's ``expected a map, got 'slice'``): a basic type's
    kind is spelled as the type is; slices, maps and the empty interface have a kind of their own."""
    if isinstance(value, list):
        return "slice"
    if isinstance(value, dict):
        return "map"
    name = type_name(value)
    return "interface" if name == "interface {}" else name


def unconvertible(field: str, want: str, value: object, *, rpc: bool = False) -> str:
    """mapstructure's type-mismatch error."""
    return (
        f"'{field}' expected type '{want}', got unconvertible type '{type_name(value, rpc=rpc)}', "
        f"value: '{format_value(value)}'"
    )


def weak_string(value: object) -> str:
    """mapstructure's weakly typed conversion to string (bool → "1"/"0", numbers in 'f' form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return format_float_f(float(value))
    return str(value)


def weak_string_error(field: str, value: object) -> str | None:
    """A list or map cannot be weakly converted to a string."""
    if isinstance(value, (list, dict)):
        return unconvertible(field, "string", value)
    return None


# -- error lists -----------------------------------------------------------------------------------------------------
def packer_multi_error(messages: Sequence[str]) -> str:
    """``packersdk.MultiError.Error()``: semantic checks, in the order they ran."""
    points = "\n".join(f"* {m}" for m in messages)
    return f"{len(messages)} error(s) occurred:\n\n{points}"


def go_multierror(messages: Sequence[str]) -> str:
    """hashicorp/go-multierror's ``ListFormatFunc`` (tab-indented, ends with a blank line)."""
    if len(messages) == 1:
        return f"1 error occurred:\n\t* {messages[0]}\n\n"
    points = "\n\t".join(f"* {m}" for m in messages)
    return f"{len(messages)} errors occurred:\n\t{points}\n\n"


def mapstructure_error(messages: Sequence[str]) -> str:
    """``mapstructure.Error.Error()``: bullet lines sorted bytewise, as Go's ``sort.Strings`` does."""
    points = sorted((f"* {m}" for m in messages), key=lambda p: p.encode("utf-8"))
    return f"{len(messages)} error(s) decoding:\n\n" + "\n".join(points)
