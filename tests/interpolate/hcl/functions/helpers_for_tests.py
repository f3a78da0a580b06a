"""Call library functions directly with plain Python data (test helper)."""

from __future__ import annotations

from packer_py.interpolate.hcl.functions import FunctionContext, functions_for
from packer_py.interpolate.hcl.pydata import from_python, to_python
from packer_py.interpolate.hcl.values import Value


def call(name: str, *args: object, context: FunctionContext | None = None) -> Value:
    """Convert the arguments like HCL does, then call; raises FunctionCallError."""
    fn = functions_for(context or FunctionContext())[name]
    values = [a if isinstance(a, Value) else from_python(a) for a in args]
    converted, errors = fn.convert_args(values)
    if errors:
        raise errors[0]
    return fn.call(converted)


def py(name: str, *args: object, context: FunctionContext | None = None) -> object:
    return to_python(call(name, *args, context=context))
