"""Each supported component's Prepare after decoding: defaults and semantic checks in Packer 1.6.6's order and
wording. ``preparer`` picks the function for a component; its module is imported the first time a template uses
that component (a build imports the rules of its own components only)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial

from packer_py.schema.rules.outcome import Prepared, RuleEnv, RuleIssue

Preparer = Callable[[dict[str, object], RuleEnv], Prepared]

_PREPARERS: dict[tuple[str, str], str] = {
    ("builder", "amazon-ebs"): "amazon.ebs",
    ("builder", "null"): "null",
    ("provisioner", "shell"): "shell",
    ("provisioner", "file"): "file",
    ("provisioner", "shell-local"): "shell_local",
    ("provisioner", "ansible"): "ansible",
    ("provisioner", "ansible-local"): "ansible_local",
    ("provisioner", "breakpoint"): "breakpoint",
    ("post-processor", "shell-local"): "shell_local",
    ("post-processor", "manifest"): "manifest",
}


def preparer(kind: str, type_: str, *, parse_error: Callable[[str], str | None]) -> Preparer:
    """The Prepare of a component; ``parse_error`` parses a template (manifest checks its ``output``)."""
    module = importlib.import_module(f"packer_py.schema.rules.{_PREPARERS[(kind, type_)]}")
    if (kind, type_) == ("post-processor", "manifest"):
        return partial(module.prepare, validate=parse_error)
    if (kind, type_) == ("post-processor", "shell-local"):
        return partial(module.prepare, post_processor=True)
    prepare: Preparer = module.prepare
    return prepare


__all__ = ["Prepared", "Preparer", "RuleEnv", "RuleIssue", "preparer"]
