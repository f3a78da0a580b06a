"""Diagnostics as Packer prints them (HCL's text writer at 80 columns).

Packer 1.6.6 funnels JSON-template failures after parsing through the same writer as HCL2 diagnostics:
``Error: <summary>`` + blank line + the detail word-wrapped at 80 columns + blank line. JSON diagnostics have no
source range, so no ``on FILE line N`` block is printed for them. packer-py keeps Packer's text and adds, after it,
one ``FILE:LINE:COL: CODE message`` line per located finding behind a JSON diagnostic (``locations``), so that an
unknown key or a wrong type is named with its place; ``PACKER_PY_LOCATIONS=0`` leaves Packer's text alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from packer_py.errors import Pos

if TYPE_CHECKING:
    from packer_py.findings import Finding


@dataclass(frozen=True)
class Diagnostic:
    severity: Literal["error", "warning"]
    summary: str
    detail: str = ""
    subject: Pos | None = None
    snippet: str | None = field(default=None, compare=False)
    """Pre-rendered ``on FILE line N:`` block (HCL2 diagnostics fill it; JSON ones never do)."""
    locations: tuple[Finding, ...] = field(default=(), compare=False)
    """Where in the template the failure sits (JSON diagnostics, whose text Packer never locates)."""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def render(self) -> str:
        label = "Error" if self.is_error else "Warning"
        out = f"{label}: {self.summary}\n\n"
        if self.snippet:
            out += self.snippet
        if self.detail:
            out += wordwrap(self.detail, 80) + "\n\n"
        return out


def render_all(diags: Sequence[Diagnostic]) -> str:
    return "".join(d.render() for d in diags)


def locations_wanted(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the located lines follow Packer's text (``PACKER_PY_LOCATIONS=0``: Packer's text alone, byte for byte,
    for scripts and comparisons that expect exactly what Packer prints)."""
    return (os.environ if environ is None else environ).get("PACKER_PY_LOCATIONS", "1") != "0"


def render_locations(diags: Sequence[Diagnostic], cwd: str | os.PathLike[str] | None = None) -> str:
    """The located lines of every finding behind ``diags`` (see ``render_findings``)."""
    return render_findings([finding for diag in diags for finding in diag.locations], cwd)


def render_findings(findings: Iterable[Finding], cwd: str | os.PathLike[str] | None = None) -> str:
    """One ``FILE:LINE:COL: CODE message`` line per finding (cfn-lint's layout), files relative to ``cwd`` when they
    lie below it, each message on one line; empty when there is none."""
    base = os.fspath(cwd) if cwd is not None else os.getcwd()
    lines: list[str] = []
    for finding in findings:
        name = finding.file
        if os.path.isabs(name):
            relative = os.path.relpath(name, base)
            if not relative.startswith(os.pardir):
                name = relative
        message = " ".join(part.strip() for part in finding.message.splitlines())
        lines.append(f"{name}:{finding.line}:{finding.col}: {finding.code} {message}")
    return "".join(line + "\n" for line in lines)


def has_errors(diags: Sequence[Diagnostic]) -> bool:
    return any(d.is_error for d in diags)


GO_SPACES = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)
"""Go's ``unicode.IsSpace`` (Python's ``str.isspace`` also counts ``\x1c``-``\x1f``, Go does not)."""


def _blen(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def wordwrap(text: str, limit: int) -> str:
    """mitchellh/go-wordwrap's ``WrapString`` (the version Packer 1.6.6 vendors): break at white space so that lines
    stay within ``limit`` bytes. Words longer than the limit are not split; existing newlines are kept; a run of
    spaces at a break disappears. Lengths count UTF-8 bytes, as Go's buffers do."""
    out: list[str] = []
    current = 0
    word = space = ""
    for char in text:
        if char == "\n":
            if not word:
                if current + _blen(space) > limit:
                    current = 0
                else:
                    current += _blen(space)
                    out.append(space)
                space = ""
            else:
                current += _blen(space) + _blen(word)
                out.append(space + word)
                space = word = ""
            out.append(char)
            current = 0
        elif char in GO_SPACES:
            if not space or word:
                current += _blen(space) + _blen(word)
                out.append(space + word)
                space = word = ""
            space += char
        else:
            word += char
            if current + _blen(space) + _blen(word) > limit and _blen(word) < limit:
                out.append("\n")
                current = 0
                space = ""
    if not word:
        if current + _blen(space) <= limit:
            out.append(space)
    else:
        out.append(space + word)
    return "".join(out)
