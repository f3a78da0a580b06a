"""``packer console`` in HCL2 mode (a folder, a ``.pkr.hcl`` file, or ``-config-type=hcl2``).

Packer 1.6.6 reads standard input line by line when it is not a terminal: every line is evaluated, diagnostics are
printed as they come (without source snippets: the console passes no files to the writer, so each reads ``(source
code not available)``), and only the LAST line's result is printed at the end. The exit status is that of the
last diagnostics written. ``exit``, ``help`` and ``variables`` are commands, an empty line prints nothing.
Values print as Packer's REPL formatter prints them; sensitive strings become ``<sensitive>``.
"""

from __future__ import annotations

from collections.abc import Iterable

from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl.console import console_repr
from packer_py.interpolate.hcl.diagtext import render
from packer_py.interpolate.hcl.evaluator import evaluate_text
from packer_py.interpolate.hcl.syntax import HclDiagnostic
from packer_py.template.hcl_loader import HclConfig

CONSOLE_HELP = """Packer console HCL2 Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables and functions in the Packer config you called the
console with.

Type in the interpolation to test and hit <enter> to see the result.

"upper(var.foo.id)" would evaluate to the ID of "foo" and uppercase is, if it
exists in your config file.

"variables" will dump all available variables and their values.

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ It is not possible to use go templating interpolation like "{{timestamp}}"
with in HCL2 mode."""


def print_variables(cfg: HclConfig) -> str:
    """``printVariables`` (also the first half of ``inspect``)."""
    out = ["> input-variables:\n\n"]
    for name in sorted(cfg.variables):
        val, _ = cfg.variables[name].value()
        out.append(f"var.{name}: {go_quote(console_repr(val))}\n")
    out.append("\n> local-variables:\n\n")
    for name in sorted(cfg.locals):
        out.append(f"local.{name}: {go_quote(console_repr(cfg.locals[name]))}\n")
    return "".join(out)


def evaluate_line(cfg: HclConfig, line: str) -> tuple[str, bool, list[HclDiagnostic]]:
    """``EvaluateExpression``: (output, exit requested, diagnostics)."""
    if line == "":
        return "", False, []
    if line == "exit":
        return "", True, []
    if line == "help":
        return CONSOLE_HELP, False, []
    if line == "variables":
        return print_variables(cfg), False, []
    val, diags = evaluate_text(line, cfg.eval_context())
    if any(d.is_error for d in diags):
        return "", False, diags
    return console_repr(val), False, diags


def run_piped(cfg: HclConfig, lines: Iterable[str]) -> tuple[list[tuple[str, str]], int]:
    """``modePiped``: the (stream, text) writes Packer makes, and the exit status."""
    writes: list[tuple[str, str]] = []
    rc = 0
    last = ""
    for raw in lines:
        out, _, diags = evaluate_line(cfg, raw.strip())
        if diags:
            text = render(diags, None)
            if any(d.is_error for d in diags):
                writes.append(("error", text))
                rc = 1
            else:
                writes.append(("say", text))
                rc = 0
        last = out
    writes.append(("say", last))
    return writes, rc
