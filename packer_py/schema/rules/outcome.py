"""What a component's Prepare produces, and what it may consult.

Each rules module reproduces one component's ``Prepare`` (or ``Configure``) after decoding: defaults are filled in
and checks run in Packer's order, each check reporting ``(code, message, key path)``. The message is Packer's; the
code is packer-py's stable finding code (first letter = severity, never reused); the key path is relative to the
component's config so the caller can locate it in the template.
"""

from __future__ import annotations

import random
import uuid as uuid_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from packer_py.gofmt import packer_multi_error
from packer_py.template.positions import DocPath


@dataclass(frozen=True)
class RuleIssue:
    code: str
    message: str
    key: DocPath = ()


@dataclass
class Checks:
    """Collects a Prepare's errors in the order Packer appends them."""

    issues: list[RuleIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, code: str, message: str, *key: str | int) -> None:
        self.issues.append(RuleIssue(code, message, tuple(key)))

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@dataclass
class Prepared:
    """A component's Prepare result: ``error`` is exactly Packer's ``err.Error()`` (None when it passed)."""

    config: dict[str, object]
    issues: list[RuleIssue] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_checks(cls, config: dict[str, object], checks: Checks) -> Prepared:
        """The common ending ``if errs != nil && len(errs.Errors) > 0 { return errs }`` (packersdk.MultiError)."""
        error = packer_multi_error([i.message for i in checks.issues]) if checks.issues else None
        return cls(config, list(checks.issues), error, list(checks.warnings))


def time_ordered_uuid() -> str:
    """packer-plugin-sdk's ``uuid.TimeOrderedUUID``: the first 8 hex digits are the Unix time in seconds."""
    import time

    raw = uuid_module.uuid4().hex
    return f"{int(time.time()) & 0xFFFFFFFF:08x}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}"


@dataclass(frozen=True)
class RuleEnv:
    """The outside world a Prepare looks at: files relative to ``cwd``, the environment, the core's flags."""

    cwd: Path
    environ: Mapping[str, str]
    build_name: str = ""
    builder_type: str = ""
    force: bool = False
    debug: bool = False
    strict_1_6_6: bool = True
    new_uuid: Callable[[], str] = time_ordered_uuid
    rng: random.Random = field(default_factory=random.Random)
    run_version_probe: Callable[[str, RuleEnv], str | None] | None = None
    """Runs ``<command> --version`` for the ansible provisioner; returns Packer's error text or None."""


def str_list(cfg: Mapping[str, object], key: str) -> list[str]:
    """A decoded ``[]string`` option (a nil slice reads as empty)."""
    value = cfg[key]
    return [str(v) for v in value] if isinstance(value, list) else []


def dict_list(cfg: Mapping[str, object], key: str) -> list[dict[str, object]]:
    """A decoded ``[]struct`` option."""
    value = cfg[key]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
