"""Each supported component's Prepare after decoding: defaults and semantic checks in Packer 1.6.6's order and
wording. ``preparer`` picks the function for a component."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from packer_py.schema.rules import (
    ansible,
    ansible_local,
    breakpoint,
    file,
    manifest,
    null,
    shell,
    shell_local,
)
from packer_py.schema.rules.amazon import ebs
from packer_py.schema.rules.outcome import Prepared, RuleEnv, RuleIssue

Preparer = Callable[[dict[str, object], RuleEnv], Prepared]

_PREPARERS: dict[tuple[str, str], Preparer] = {
    ("builder", "amazon-ebs"): ebs.prepare,
    ("builder", "null"): null.prepare,
    ("provisioner", "shell"): shell.prepare,
    ("provisioner", "file"): file.prepare,
    ("provisioner", "shell-local"): shell_local.prepare,
    ("provisioner", "ansible"): ansible.prepare,
    ("provisioner", "ansible-local"): ansible_local.prepare,
    ("provisioner", "breakpoint"): breakpoint.prepare,
    ("post-processor", "shell-local"): partial(shell_local.prepare, post_processor=True),
}


def preparer(kind: str, type_: str, *, parse_error: Callable[[str], str | None]) -> Preparer:
    """The Prepare of a component; ``parse_error`` parses a template (manifest checks its ``output``)."""
    if (kind, type_) == ("post-processor", "manifest"):
        return partial(manifest.prepare, validate=parse_error)
    return _PREPARERS[(kind, type_)]


__all__ = ["Prepared", "Preparer", "RuleEnv", "RuleIssue", "preparer"]
