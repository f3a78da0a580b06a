"""``packer console TEMPLATE.json`` with piped input: Packer 1.6.6's JSON-mode console, output for output.

What Packer does with piped stdin (``command/console.go`` ``modePiped``, ``packer/core.go``
``EvaluateExpression``):

* every line is trimmed and evaluated, but only the *last* line's result is printed, at the end;
* a failing line prints a diagnostic right away: ``???????: Interpolation error`` (an HCL diagnostic whose
  severity Packer never set), a blank line, the Go error word-wrapped at 80 columns, two blank lines; the exit
  status stays 0 because such a diagnostic does not count as an error;
* expressions are rendered until the output stops changing (``interpolate.Render``), so a rendered ``{{`` is
  interpreted again;
* ``variables`` lists ``name: value,`` lines after a blank line, including a spurious entry with an empty name
  (an artefact of 1.6.6's variable rendering loop); Go prints them in random map order, packer-py sorts them;
* ``help`` prints the console help; ``exit`` is ignored in piped mode;
* every output passes Packer's secret filter: values of ``sensitive-variables`` become ``<sensitive>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packer_py.diagnostics import GO_SPACES, wordwrap
from packer_py.errors import InterpolationError
from packer_py.interpolate.gotemplate import RenderContext, render_until_stable

__all__ = ["CONSOLE_HELP", "ConsoleResult", "run_console"]

CONSOLE_HELP = """Packer console JSON Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables in the Packer config you called the console with.

Type in the interpolation to test and hit <enter> to see the result.

"variables" will dump all available variables and their values.

"{{timestamp}}" will output the timestamp, for example "1559855090".

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ If you would like to start console in hcl2 mode without a config you can
use the --config-type=hcl2 option."""

_MAX_LINE_BYTES = 64 * 1024 - 1  # bufio.Scanner gives up (silently) on a longer line


@dataclass(frozen=True)
class ConsoleResult:
    """What ``packer console`` wrote to stdout, and its exit status."""

    stdout: str
    exit_code: int


def _trim(text: str) -> str:
    """``strings.TrimSpace`` (Unicode white space as Go defines it; Python's ``strip`` also removes \\x1c-\\x1f)."""
    start, end = 0, len(text)
    while start < end and text[start] in GO_SPACES:
        start += 1
    while end > start and text[end - 1] in GO_SPACES:
        end -= 1
    return text[start:end]


def _blen(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _filter(message: str, secrets: Sequence[str]) -> str:
    """Packer's ``LogSecretFilter``: every occurrence of a sensitive value becomes ``<sensitive>``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        message = message.replace(secret, "<sensitive>")
    return message


def _variables(ctx: RenderContext) -> str:
    names = dict(ctx.user_variables or {})
    if names:
        names.setdefault("", "")
    return "\n" + "".join(f"{name}: {value},\n" for name, value in sorted(names.items()))


def _evaluate(line: str, ctx: RenderContext) -> tuple[str, str | None]:
    """Packer's ``Core.EvaluateExpression``: (result, error text or None)."""
    if line in ("", "exit"):
        return "", None
    if line == "help":
        return CONSOLE_HELP, None
    if line == "variables":
        return _variables(ctx), None
    try:
        return render_until_stable(line, ctx), None
    except InterpolationError as exc:
        return "", str(exc)


def run_console(lines: Iterable[str], ctx: RenderContext, secrets: Sequence[str]) -> ConsoleResult:
    """Evaluate piped ``lines`` (without their newlines) as ``packer console`` does for a JSON template."""
    out: list[str] = []
    last = ""
    for raw in lines:
        line = raw.removesuffix("\r")
        if _blen(line) > _MAX_LINE_BYTES:
            break
        result, error = _evaluate(_trim(line), ctx)
        if error is not None:
            diagnostic = "???????: Interpolation error\n\n" + wordwrap(error, 80) + "\n\n"
            out.append(_filter(diagnostic, secrets) + "\n")
        last = result
    out.append(_filter(last, secrets) + "\n")
    return ConsoleResult("".join(out), 0)
