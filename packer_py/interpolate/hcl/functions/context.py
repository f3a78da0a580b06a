"""What a function call may depend on besides its arguments: the template's directory, the clock, the
environment, where it is called from, and how to render a template file.

Packer builds a fresh function table per config (``hcl2template.Functions(basedir)``) and adds ``env`` only
while evaluating variable defaults; ``FunctionContext`` carries those choices into ``functions_for``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from packer_py.interpolate.hcl.functions.spec import HclFunction
    from packer_py.interpolate.hcl.values import Value


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TemplateRenderer(Protocol):
    """The evaluator's side of ``templatefile``: parse a template file's text and render it."""

    def referenced_roots(self, source: str, filename: str) -> Sequence[tuple[str, str]]:
        """Root variable names the template refers to, each with HCL's source range text
        (``hello.tmpl:1,3-8``). Raises ``ExpressionFailed`` when the template does not parse."""
        ...

    def render(
        self, source: str, filename: str, variables: Mapping[str, Value], functions: Mapping[str, HclFunction]
    ) -> Value:
        """Evaluate the template. Raises ``ExpressionFailed`` with the diagnostics on failure."""
        ...


@dataclass(frozen=True)
class FunctionContext:
    """Inputs of ``functions_for``.

    ``base_dir`` is ``path.root`` as typed (file functions resolve relative paths against it); ``allow_env`` is
    true only for variable defaults (Packer registers ``env`` only there); ``clock`` is ``timestamp()``'s now;
    ``run_start`` is the instant ``legacy_isotime``/``legacy_strftime`` format (Packer: process start);
    ``legacy_index`` picks Packer 1.6.6's ``index(collection, key)`` over the newest ``index(list, value)``.
    """

    base_dir: str = "."
    allow_env: bool = False
    environ: Mapping[str, str] | None = None
    clock: Callable[[], datetime] = _utcnow
    run_start: datetime = field(default_factory=_utcnow)
    render_template: TemplateRenderer | None = None
    legacy_index: bool = True

    def getenv(self, key: str) -> str:
        env = self.environ if self.environ is not None else os.environ
        return env.get(key, "")
