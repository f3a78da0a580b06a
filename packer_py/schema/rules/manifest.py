"""The manifest post-processor's ``Configure`` (post-processor/manifest, Packer 1.6.6).

``output`` defaults to ``packer-manifest.json`` and must parse as a template (it is rendered at post-process time
with build data); a parse error is returned bare: ``Error parsing target template: ...``.
"""

from __future__ import annotations

from collections.abc import Callable

from packer_py.schema.rules.outcome import Prepared, RuleEnv, RuleIssue

E_OUTPUT_TEMPLATE = "E700"


def prepare(cfg: dict[str, object], env: RuleEnv, validate: Callable[[str], str | None]) -> Prepared:
    """``validate`` parses a template and returns Go's parse error text, or None."""
    if cfg["output"] == "":
        cfg["output"] = "packer-manifest.json"
    problem = validate(str(cfg["output"]))
    if problem is not None:
        message = f"Error parsing target template: {problem}"
        return Prepared(cfg, [RuleIssue(E_OUTPUT_TEMPLATE, message, ("output",))], message)
    return Prepared(cfg)
