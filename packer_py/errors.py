"""The exception tree of packer-py.

Every failure a user should see as a message, never as a traceback, is a ``PackerPyError``::

    PackerPyError
    ├── TemplateError            a template (or var-file) cannot be read or parsed
    │   ├── TemplateParseError   malformed JSON / HCL, with the offending line quoted
    │   └── VariableError        a required variable is unset, a -var is malformed, ...
    ├── InterpolationError       a Go-template or HCL expression failed to render
    ├── ValidationError          one or more located findings (unknown key, wrong type, Packer's semantic rules)
    ├── UsageError               a command-line mistake (Packer exits 1 for these, not click's 2)
    ├── UnsupportedError         a component packer-py does not implement (virtualbox-iso, ...)
    └── BuildError               a build step failed (AWS, SSH, a provisioner)
        └── AwsError             a botocore error translated at the boundary

Only ``packer_py.cli`` catches these: it asks the error for its text (``str(exc)``, already in Packer's wording)
and exits with ``exit_code``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packer_py.findings import Finding


@dataclass(frozen=True, order=True)
class Pos:
    """Where a value came from: file, 1-based line and column. ``line == 0`` means unknown."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


class PackerPyError(Exception):
    """Base of every failure a user should see as a message, not a traceback."""

    exit_code: int = 1

    def __init__(self, message: str, *, where: Pos | None = None, locations: tuple[Finding, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.locations = locations
        """Where in the template each failure sits, for the located lines packer-py prints after Packer's text
        (``packer_py.diagnostics.render_findings``); empty where Packer's text already says it or no place is known."""

    def __str__(self) -> str:
        return self.message


class TemplateError(PackerPyError):
    """A template or var-file cannot be read or understood."""


class TemplateParseError(TemplateError):
    """Malformed JSON or HCL; the message quotes the offending line as Packer does."""


class VariableError(TemplateError):
    """A variable is missing, undeclared or malformed."""


class InterpolationError(PackerPyError):
    """A template expression failed to render (Go-template or HCL)."""


class ValidationError(PackerPyError):
    """Configuration findings. ``message`` is the rendered report in Packer's layout."""


class UsageError(PackerPyError):
    """A command-line mistake. Packer exits 1 for these (click would exit 2)."""


class UnsupportedError(PackerPyError):
    """A component type packer-py does not implement."""


class BuildError(PackerPyError):
    """A build step failed."""


class AwsError(BuildError):
    """An AWS API call failed; raised from the botocore error at one boundary."""
