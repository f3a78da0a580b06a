"""Reading cty numbers into Go machine types (``gocty.FromCtyValue``), with its error texts.

Many functions take an ``int`` argument (``substr``, ``chunklist``, ``cidrhost`` ...): a fraction or a number
outside int64 fails with ``value must be a whole number, between -9223372036854775808 and 9223372036854775807``.
"""

from __future__ import annotations

import math
import sys

from packer_py.interpolate.hcl.functions.spec import FunctionCallError
from packer_py.interpolate.hcl.values import Value

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


class GoValueError(ValueError):
    """``FromCtyValue`` failed; ``str()`` is its message."""


def to_int(value: Value) -> int:
    """Go ``int`` (64-bit)."""
    if value.is_null:
        raise GoValueError("null value is not allowed")
    if not value.is_known:
        raise GoValueError("value must be known")
    f = value.as_bigfloat()
    i = f.int64()
    if i is None:
        raise GoValueError(f"value must be a whole number, between {INT64_MIN} and {INT64_MAX}")
    return i


def to_float(value: Value) -> float:
    """Go ``float64`` (nearest)."""
    if value.is_null:
        raise GoValueError("null value is not allowed")
    f = value.as_bigfloat()
    result = f.to_float()
    if math.isinf(result) and not f.is_inf:
        top = sys.float_info.max
        raise GoValueError(f"value must be between {-top:f} and {top:f} inclusive")
    return result


def int_arg(value: Value, index: int | None = None, prefix: str = "") -> int:
    """``to_int`` raising ``FunctionCallError`` (blaming ``index``) with an optional message prefix."""
    try:
        return to_int(value)
    except GoValueError as exc:
        raise FunctionCallError(index, f"{prefix}{exc}") from None


def float_arg(value: Value, index: int | None = None) -> float:
    try:
        return to_float(value)
    except GoValueError as exc:
        raise FunctionCallError(index, str(exc)) from None
