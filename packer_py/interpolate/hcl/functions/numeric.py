"""Numeric functions: cty's ``stdlib`` (``abs ceil floor log pow signum max min parseint``) and Packer's ``sum``.

``ceil``/``floor``/``log``/``pow`` go through Go float64 (so their results carry 53 bits, or 64 for the int64
that ``ceil``/``floor`` return); ``signum`` requires a whole number; ``parseint`` accepts bases 2 to 62 like
``big.Int.SetString``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from packer_py.interpolate.hcl.convert import ConversionError, convert
from packer_py.interpolate.hcl.functions.gocty import INT64_MAX, INT64_MIN, GoValueError, float_arg, int_arg, to_int
from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.numbers import BigFloat, NaNError
from packer_py.interpolate.hcl.types import DYNAMIC, NUMBER, STRING, CtyType
from packer_py.interpolate.hcl.values import (
    Value,
    absolute,
    add,
    greater_than,
    less_than,
    number_float_val,
    number_int_val,
    number_val,
    unknown_val,
)

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _go_int64(f: float) -> int:
    """Go's float64 -> int64 conversion on amd64 (out of range gives the minimum int64)."""
    if math.isnan(f) or f >= 2.0**63 or f < -(2.0**63):
        return INT64_MIN
    return int(f)


def _round_fn(kind: str) -> object:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        f = float_arg(value(args, 0))
        if math.isinf(f):
            return number_float_val(f)
        return number_int_val(_go_int64(math.ceil(f) if kind == "ceil" else math.floor(f)))

    return impl


def _float_result(f: float) -> Value:
    if math.isnan(f):
        raise NaNError("Float.SetFloat64(NaN)")
    return number_float_val(f)


def _go_log(x: float) -> float:
    if x < 0 or math.isnan(x):
        return math.nan
    if x == 0:
        return -math.inf
    if math.isinf(x):
        return math.inf
    return math.log(x)


def _log(args: Sequence[Arg], ret: CtyType) -> Value:
    num = float_arg(value(args, 0))
    base = float_arg(value(args, 1))
    lb = _go_log(base)
    ln = _go_log(num)
    try:
        result = ln / lb
    except ZeroDivisionError:
        result = math.nan if ln == 0 or math.isnan(ln) else math.copysign(math.inf, ln) * math.copysign(1, lb)
    return _float_result(result)


def _go_pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)
    except OverflowError:
        return math.inf if x > 0 or float(y).is_integer() and int(y) % 2 == 0 else -math.inf
    except ValueError:
        if x == 0 and y < 0:
            return math.inf
        return math.nan


def _pow(args: Sequence[Arg], ret: CtyType) -> Value:
    return _float_result(_go_pow(float_arg(value(args, 0)), float_arg(value(args, 1))))


def _signum(args: Sequence[Arg], ret: CtyType) -> Value:
    n = int_arg(value(args, 0))
    return number_int_val((n > 0) - (n < 0))


def _minmax(which: str) -> object:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        nums = [value(args, i) for i in range(len(args))]
        if not nums:
            raise FunctionCallError(None, "must pass at least one number")
        best = number_val(BigFloat.infinity(neg=which == "max"))
        for num in nums:
            better = less_than(num, best) if which == "min" else greater_than(num, best)
            if better.true():
                best = num
        return best

    return impl


def _parseint_type(args: Sequence[Arg]) -> CtyType:
    ty = value(args, 0).type
    if ty != STRING:
        raise FunctionCallError(0, f"first argument must be a string, not {ty.friendly_name()}")
    return NUMBER


def _parseint(args: Sequence[Arg], ret: CtyType) -> Value:
    text = value(args, 0).as_string()
    try:
        base = to_int(value(args, 1))
    except GoValueError as exc:
        raise FunctionCallError(1, str(exc)) from None
    if base < 2 or base > 62:
        raise FunctionCallError(1, "base must be a whole number between 2 and 62 inclusive")
    parsed = _big_int_set_string(text, base)
    if parsed is None:
        from packer_py.gofmt import quote as go_quote

        raise FunctionCallError(0, f"cannot parse {go_quote(text)} as a base {base} integer")
    return number_val(BigFloat.from_int(parsed))


def _big_int_set_string(text: str, base: int) -> int | None:
    """``big.Int.SetString(text, base)`` for 2 <= base <= 62 (letters fold for base <= 36)."""
    s = text
    neg = False
    if s[:1] in ("+", "-"):
        neg = s[0] == "-"
        s = s[1:]
    if not s:
        return None
    total = 0
    for ch in s:
        if base <= 36:
            d = _DIGITS.find(ch.lower()) if ch.isascii() else -1
        else:
            d = _DIGITS.find(ch) if ch.isascii() else -1
        if d < 0 or d >= base:
            return None
        total = total * base + d
    return -total if neg else total


def _sum(args: Sequence[Arg], ret: CtyType) -> Value:
    coll = value(args, 0)
    if not coll.can_iterate_elements():
        raise FunctionCallError(0, "cannot sum noniterable")
    if coll.length_int() == 0:
        raise FunctionCallError(0, "cannot sum an empty list")
    ty = coll.type
    if not (ty.is_list or ty.is_set or ty.is_tuple):
        raise FunctionCallError(0, f"argument must be list, set, or tuple. Received {ty.friendly_name()}")
    if not coll.is_wholly_known():
        return unknown_val(NUMBER)
    bad = "argument must be list, set, or tuple of number values"
    total: Value | None = None
    for elem in coll.elements():
        if elem.is_null:
            raise FunctionCallError(0, bad)
        try:
            num = convert(elem, NUMBER)
        except ConversionError:
            raise FunctionCallError(0, bad) from None
        try:
            total = num if total is None else add(total, num)
        except NaNError:
            raise FunctionCallError(None, "can't compute sum of opposing infinities") from None
    assert total is not None
    return total


def functions() -> dict[str, HclFunction]:
    num = [Param("num", NUMBER)]
    fns = [
        define("abs", [Param("num", NUMBER, allow_dynamic_type=True)], NUMBER, lambda a, r: absolute(value(a, 0))),
        define("ceil", num, NUMBER, _round_fn("ceil")),  # type: ignore[arg-type]
        define("floor", num, NUMBER, _round_fn("floor")),  # type: ignore[arg-type]
        define("log", [Param("num", NUMBER), Param("base", NUMBER)], NUMBER, _log),
        define("pow", [Param("num", NUMBER), Param("power", NUMBER)], NUMBER, _pow),
        define("signum", num, NUMBER, _signum),
        define("max", [], NUMBER, _minmax("max"), var_param=Param("numbers", NUMBER, allow_dynamic_type=True)),  # type: ignore[arg-type]
        define("min", [], NUMBER, _minmax("min"), var_param=Param("numbers", NUMBER, allow_dynamic_type=True)),  # type: ignore[arg-type]
        define("parseint", [Param("number", DYNAMIC), Param("base", NUMBER)], _parseint_type, _parseint),
        define("sum", [Param("list", DYNAMIC)], NUMBER, _sum),
    ]
    return {f.name: f for f in fns}


_ = INT64_MAX
