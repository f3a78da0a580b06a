"""Shared by the hcl2_upgrade tests: a resolver for ``translate_string`` and an HCL2 expression evaluator."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from packer_py.translate.gotemplate_hcl import Scope, StringTranslation, translate_string


class Names:
    """A ``Resolver`` that names things as the upgrade does: ``var.x``, ``local.timestamp``, ``local.run_time``."""

    def __init__(self, derived: tuple[str, ...] = ()) -> None:
        self.derived = derived

    def user(self, name: str) -> str:
        return f"local.{name}" if name in self.derived else f"var.{name}"

    def timestamp(self) -> str:
        return "local.timestamp"

    def run_time(self) -> str:
        return "local.run_time"

    def template_dir(self) -> str:
        return "abspath(path.root)"


def tr(text: str, scope: Scope | None = None, derived: tuple[str, ...] = ()) -> StringTranslation:
    return translate_string(text, scope or Scope("builder"), Names(derived))


def hcl_eval(expr: str, variables: Mapping[str, object] | None = None, now: datetime | None = None) -> object:
    """Evaluate an HCL2 expression with packer-py's evaluator; ``variables`` are plain data by root name."""
    from packer_py.interpolate.hcl import from_python, functions_for, to_python
    from packer_py.interpolate.hcl.evaluator import EvalContext, evaluate
    from packer_py.interpolate.hcl.functions import FunctionContext
    from packer_py.interpolate.hcl.syntax import parse_expression

    parsed, diags = parse_expression(expr, "test.pkr.hcl")
    assert not diags, [d.detail for d in diags]
    fctx = FunctionContext() if now is None else FunctionContext(clock=lambda: now)
    values = {k: from_python(v) for k, v in (variables or {}).items()}
    value, diags = evaluate(parsed, EvalContext(values, functions_for(fctx)))
    assert not [d for d in diags if d.is_error], [d.detail for d in diags]
    return to_python(value)
