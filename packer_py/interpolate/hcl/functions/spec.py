"""How an HCL function is declared and called: cty's ``function.Spec`` and ``Function.Call``, in Python.

The evaluator (which owns source positions) calls a function in three steps, as HCL's ``FunctionCallExpr`` does:

1. ``HclFunction.arity_error(n)``: HCL's ``Not enough function arguments`` / ``Too many function arguments``;
2. ``HclFunction.convert_args(values)``: each argument converted to its parameter type; failures are HCL's
   ``Invalid function argument`` diagnostics (one per bad argument);
3. ``HclFunction.call(args)``: cty's checks (null, conformance), return type, unknown short-circuit and the
   implementation.

Every failure is a ``FunctionCallError``; ``diagnostic()`` turns it into HCL's summary and detail:
``Invalid value for "str" parameter: ...`` when an argument is blamed, ``Call to function "x" failed: ...``
otherwise.

Parameters of kind ``expression`` (``try``, ``can``) receive an ``ExpressionThunk`` instead of a value, and
parameters of kind ``type`` (``convert``) receive a ``CtyType``: these are HCL's custom expression decoders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from packer_py.errors import PackerPyError
from packer_py.interpolate.hcl.convert import ConversionError, convert
from packer_py.interpolate.hcl.numbers import NaNError
from packer_py.interpolate.hcl.types import DYNAMIC, CtyType, DynamicPseudoType, test_conformance
from packer_py.interpolate.hcl.values import DYNAMIC_VAL, Value, unknown_val

ParamKind = Literal["value", "expression", "type"]


class FunctionCallError(PackerPyError):
    """A function call failed. ``arg_index`` blames one argument (cty's ``ArgError``) or is None."""

    def __init__(self, arg_index: int | None, message: str) -> None:
        super().__init__(message)
        self.arg_index = arg_index


@dataclass(frozen=True)
class ThunkDiagnostic:
    """One HCL diagnostic produced while evaluating an expression thunk (``try`` quotes these)."""

    summary: str
    detail: str
    subject: str | None = None  # "file:1,3-5" as HCL prints a range, or None


class ExpressionFailed(PackerPyError):
    """Raised by ``ExpressionThunk.evaluate`` when the expression has error diagnostics."""

    def __init__(self, diagnostics: Sequence[ThunkDiagnostic]) -> None:
        super().__init__("; ".join(d.summary for d in diagnostics))
        self.diagnostics = tuple(diagnostics)


class ExpressionThunk(Protocol):
    """An unevaluated argument expression (HCL's ``customdecode.ExpressionClosure``)."""

    def evaluate(self) -> Value:
        """The expression's value; raises ``ExpressionFailed`` with its error diagnostics."""
        ...

    def depends_on_unknowns(self) -> bool:
        """True when a variable the expression refers to is not wholly known yet."""
        ...


Arg = Value | ExpressionThunk | CtyType


@dataclass(frozen=True)
class Param:
    """cty's ``function.Parameter``."""

    name: str
    type: CtyType = DYNAMIC
    allow_null: bool = False
    allow_unknown: bool = False
    allow_dynamic_type: bool = False
    kind: ParamKind = "value"


TypeFunc = Callable[[Sequence[Arg]], CtyType]
ImplFunc = Callable[[Sequence[Arg], CtyType], Value]


def static_return(ty: CtyType) -> TypeFunc:
    """``function.StaticReturnType``."""
    return lambda args: ty


@dataclass(frozen=True)
class HclFunction:
    """One function of the registry (cty's ``function.Function``)."""

    name: str
    params: tuple[Param, ...]
    return_type: TypeFunc
    impl: ImplFunc
    var_param: Param | None = None
    description: str = field(default="", compare=False)

    def param_for(self, index: int) -> Param:
        """The parameter that argument ``index`` binds to (the variadic one past the fixed ones)."""
        if index < len(self.params):
            return self.params[index]
        if self.var_param is None:
            raise IndexError(index)
        return self.var_param

    def arity_error(self, nargs: int) -> tuple[str, str] | None:
        """HCL's (summary, detail) when ``nargs`` arguments cannot be passed, else None."""
        if nargs < len(self.params):
            qual = " at least" if self.var_param is not None else ""
            return (
                "Not enough function arguments",
                (
                    f'Function "{self.name}" expects{qual} {len(self.params)} argument(s). Missing value for '
                    f'"{self.params[nargs].name}".'
                ),
            )
        if self.var_param is None and nargs > len(self.params):
            return (
                "Too many function arguments",
                f'Function "{self.name}" expects only {len(self.params)} argument(s).',
            )
        return None

    def convert_args(self, args: Sequence[Arg]) -> tuple[list[Arg], list[FunctionCallError]]:
        """HCL's argument conversion: every value converted to its parameter's type; one error per failure."""
        out: list[Arg] = []
        errors: list[FunctionCallError] = []
        for i, arg in enumerate(args):
            param = self.param_for(i)
            if param.kind != "value" or not isinstance(arg, Value):
                out.append(arg)
                continue
            try:
                out.append(convert(arg, param.type))
            except ConversionError as exc:
                errors.append(FunctionCallError(i, str(exc)))
                out.append(arg)
        return out, errors

    def call(self, args: Sequence[Arg]) -> Value:
        """cty's ``Function.Call``. Raises ``FunctionCallError``."""
        nfixed = len(self.params)
        if self.var_param is None and len(args) != nfixed:
            raise FunctionCallError(None, f"wrong number of arguments ({nfixed} required; {len(args)} given)")
        if len(args) < nfixed:
            raise FunctionCallError(None, f"wrong number of arguments (at least {nfixed} required; {len(args)} given)")
        expected = self._return_type(args)
        for i, arg in enumerate(args):
            param = self.param_for(i)
            if isinstance(arg, Value) and param.kind == "value" and not arg.is_known and not param.allow_unknown:
                return unknown_val(expected)
        try:
            return self.impl(args, expected)
        except NaNError as exc:
            raise FunctionCallError(None, f"panic in function implementation: {exc}") from exc

    def _return_type(self, args: Sequence[Arg]) -> CtyType:
        for i, arg in enumerate(args):
            param = self.param_for(i)
            if param.kind != "value" or not isinstance(arg, Value):
                continue
            if arg.is_null and not param.allow_null:
                raise FunctionCallError(i, "argument must not be null")
            if isinstance(arg.type, DynamicPseudoType):
                if not param.allow_dynamic_type:
                    return DYNAMIC
            else:
                problem = test_conformance(arg.type, param.type)
                if problem is not None:
                    # cty passes the index within the variadic arguments here (a cty quirk kept as is)
                    raise FunctionCallError(i if i < len(self.params) else i - len(self.params), problem)
        try:
            return self.return_type(args)
        except NaNError as exc:
            raise FunctionCallError(None, f"panic in function implementation: {exc}") from exc

    def diagnostic(self, error: FunctionCallError, nargs: int | None = None) -> tuple[str, str]:
        """HCL's (summary, detail) for a failed call."""
        if error.arg_index is not None and (nargs is None or error.arg_index < max(nargs, len(self.params))):
            param = self.param_for(error.arg_index) if error.arg_index < len(self.params) or self.var_param else None
            name = param.name if param is not None else ""
            return "Invalid function argument", f'Invalid value for "{name}" parameter: {error.message}.'
        return "Error in function call", f'Call to function "{self.name}" failed: {error.message}.'


def unknown_result(ty: CtyType) -> Value:
    return DYNAMIC_VAL if isinstance(ty, DynamicPseudoType) else unknown_val(ty)


def define(
    name: str,
    params: Sequence[Param],
    returns: CtyType | TypeFunc,
    impl: ImplFunc,
    var_param: Param | None = None,
) -> HclFunction:
    """Shorthand for ``HclFunction`` with a static return type when ``returns`` is a type."""
    ret = static_return(returns) if isinstance(returns, CtyType) else returns
    return HclFunction(name=name, params=tuple(params), return_type=ret, impl=impl, var_param=var_param)


def value(args: Sequence[Arg], i: int) -> Value:
    """Argument ``i`` as a value (every ``value``-kind parameter receives one)."""
    arg = args[i]
    assert isinstance(arg, Value)
    return arg


def values(args: Sequence[Arg], start: int = 0) -> list[Value]:
    return [value(args, i) for i in range(start, len(args))]
