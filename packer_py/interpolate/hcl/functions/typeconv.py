"""``convert``, ``try`` and ``can``: functions whose arguments are not plain values.

``convert``'s second argument is a type expression (HCL's ``typeexpr.ConvertFunc``), so the evaluator passes a
``CtyType`` (see ``typeexpr``). ``try`` and ``can`` take ``ExpressionThunk``s (HCL's ``tryfunc``): ``try``
returns the first expression that evaluates without errors, else fails listing every diagnostic;
``can`` returns whether its expression succeeds. Both give an unknown result while the expression depends on
unknown values.
"""

from __future__ import annotations

from collections.abc import Sequence

from packer_py.interpolate.hcl.convert import ConversionError, convert
from packer_py.interpolate.hcl.functions.spec import (
    Arg,
    ExpressionFailed,
    ExpressionThunk,
    FunctionCallError,
    HclFunction,
    Param,
    ThunkDiagnostic,
    define,
    value,
)
from packer_py.interpolate.hcl.types import BOOL, DYNAMIC, CtyType
from packer_py.interpolate.hcl.values import DYNAMIC_VAL, FALSE, TRUE, Value, unknown_val


def _target(args: Sequence[Arg]) -> CtyType:
    target = args[1]
    assert isinstance(target, CtyType)
    return target


def _convert_type(args: Sequence[Arg]) -> CtyType:
    try:
        return convert(value(args, 0), _target(args)).type
    except ConversionError as exc:
        raise FunctionCallError(0, str(exc)) from None


def _convert(args: Sequence[Arg], ret: CtyType) -> Value:
    try:
        return convert(value(args, 0), ret)
    except ConversionError as exc:
        raise FunctionCallError(0, str(exc)) from None


def _thunk(arg: Arg) -> ExpressionThunk:
    assert not isinstance(arg, Value | CtyType)
    return arg


def _try_value(args: Sequence[Arg]) -> Value:
    if not args:
        raise FunctionCallError(None, "at least one argument is required")
    diags: list[ThunkDiagnostic] = []
    for arg in args:
        thunk = _thunk(arg)
        if thunk.depends_on_unknowns():
            return DYNAMIC_VAL
        try:
            return thunk.evaluate()
        except ExpressionFailed as exc:
            diags.extend(exc.diagnostics)
    lines = ["no expression succeeded:\n"]
    for d in diags:
        if d.subject:
            lines.append(f"- {d.summary} (at {d.subject})\n  {d.detail}\n")
        else:
            lines.append(f"- {d.summary}\n  {d.detail}\n")
    lines.append("\nAt least one expression must produce a successful result")
    raise FunctionCallError(None, "".join(lines))


def _can(args: Sequence[Arg], ret: CtyType) -> Value:
    thunk = _thunk(args[0])
    if thunk.depends_on_unknowns():
        return unknown_val(BOOL)
    try:
        thunk.evaluate()
    except ExpressionFailed:
        return FALSE
    return TRUE


def functions() -> dict[str, HclFunction]:
    return {
        "convert": define(
            "convert",
            [Param("value", DYNAMIC, allow_null=True, allow_dynamic_type=True), Param("type", kind="type")],
            _convert_type,
            _convert,
        ),
        "try": define(
            "try",
            [],
            lambda args: _try_value(args).type,
            lambda args, ret: _try_value(args),
            var_param=Param("expressions", kind="expression"),
        ),
        "can": define("can", [Param("expression", kind="expression")], BOOL, _can),
    }
