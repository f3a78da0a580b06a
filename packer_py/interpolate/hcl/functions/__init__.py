"""Packer's HCL2 function library.

Public API::

    functions_for(context: FunctionContext | None) -> Mapping[str, HclFunction]
    FunctionContext(base_dir, allow_env, environ, clock, run_start, render_template, legacy_index)
    HclFunction.arity_error(n) / convert_args(args) / call(args) / diagnostic(error)
    Param, FunctionCallError, ExpressionThunk, ExpressionFailed, ThunkDiagnostic, TemplateRenderer
"""

from __future__ import annotations

from packer_py.interpolate.hcl.functions.context import FunctionContext, TemplateRenderer
from packer_py.interpolate.hcl.functions.registry import functions_for
from packer_py.interpolate.hcl.functions.spec import (
    Arg,
    ExpressionFailed,
    ExpressionThunk,
    FunctionCallError,
    HclFunction,
    Param,
    ThunkDiagnostic,
)

__all__ = [
    "Arg",
    "ExpressionFailed",
    "ExpressionThunk",
    "FunctionCallError",
    "FunctionContext",
    "HclFunction",
    "Param",
    "TemplateRenderer",
    "ThunkDiagnostic",
    "functions_for",
]
