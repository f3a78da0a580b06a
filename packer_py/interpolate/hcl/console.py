"""How ``packer console`` (HCL2 mode) prints a value.

Packer 1.6.6 turns the cty value into plain Go data (``hcl2shim.ConfigValueFromHCL2``) and prints that with its
REPL formatter (``repl.FormatResult``). The quirks follow from that path:

* a value with any unknown part prints ``<unknown>``;
* a top-level string prints raw, nested strings and map keys with Go's ``%q``;
* a number that is an exact int64 prints as an integer, anything else as a float64 with ``%g``
  (``1.23456785e+07``, ``1e-05``, ``+Inf``, ``-0``);
* lists, sets and tuples print ``[`` elements each followed by ``,`` ``]``; maps and objects print ``{`` then
  ``"k" = v`` lines sorted by key ``}``, both indented two spaces per level; empty ones print ``[]`` / ``{}``;
* a null attribute of a map or object is dropped, a null element of a list prints ``null``.
"""

from __future__ import annotations

from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl.numbers import format_go_float64
from packer_py.interpolate.hcl.types import BOOL, NUMBER, STRING
from packer_py.interpolate.hcl.values import Value

__all__ = ["console_repr"]


def console_repr(value: Value) -> str:
    """The text ``packer console`` prints for ``value`` (without the trailing newline)."""
    if not value.is_wholly_known():
        return "<unknown>"
    return _format(value, nested=False)


def _format(value: Value, nested: bool) -> str:
    if value.is_null:
        return "null"
    ty = value.type
    if ty == STRING:
        s = value.as_string()
        return go_quote(s) if nested else s
    if ty == BOOL:
        return "true" if value.true() else "false"
    if ty == NUMBER:
        f = value.as_bigfloat()
        i = f.int64()
        if i is not None:
            return str(i)
        return format_go_float64(f.to_float())
    if ty.is_map or ty.is_object:
        items = [(k, v) for k, v in value.attrs().items() if not v.is_null]
        if not items:
            return "{}"
        lines = [_indent(f"{go_quote(k)} = {_format(v, nested=True)}") for k, v in sorted(items)]
        return "{\n" + "\n".join(lines) + "\n}"
    elems = value.elements()
    if not elems:
        return "[]"
    return "[\n" + "".join(_indent(_format(v, nested=True)) + ",\n" for v in elems) + "]"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
