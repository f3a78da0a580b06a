"""Diagnostics as Packer prints them (HCL's text writer at 80 columns).

Packer 1.6.6 funnels JSON-template failures after parsing through the same writer as HCL2 diagnostics:
``Error: <summary>`` + blank line + the detail word-wrapped at 80 columns + blank line. JSON diagnostics have no
source range, so no ``on FILE line N`` block is printed for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from packer_py.errors import Pos


@dataclass(frozen=True)
class Diagnostic:
    severity: Literal["error", "warning"]
    summary: str
    detail: str = ""
    subject: Pos | None = None
    snippet: str | None = field(default=None, compare=False)
    """Pre-rendered ``on FILE line N:`` block (HCL2 diagnostics fill it; JSON ones never do)."""

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


def has_errors(diags: Sequence[Diagnostic]) -> bool:
    return any(d.is_error for d in diags)


def wordwrap(text: str, limit: int) -> str:
    """mitchellh/go-wordwrap's ``WrapString``: break at spaces so that lines stay within ``limit`` bytes.

    Words longer than the limit are not split; existing newlines are kept; a run of spaces at a break disappears.
    Lengths count UTF-8 bytes, as Go's buffers do.
    """
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []

    def blen(parts: list[str]) -> int:
        return sum(len(p.encode()) for p in parts)

    for ch in text:
        if ch == "\n":
            if not word:
                if current + blen(space) <= limit:
                    out.extend(space)
            else:
                out.extend(space)
                out.extend(word)
            space.clear()
            word.clear()
            out.append("\n")
            current = 0
        elif ch.isspace() and ch != "\u00a0":
            if not space or word:
                current += blen(space) + blen(word)
                out.extend(space)
                out.extend(word)
                space.clear()
                word.clear()
            space.append(ch)
        else:
            word.append(ch)
            if current + blen(space) + blen(word) > limit and blen(word) < limit:
                out.append("\n")
                current = 0
                space.clear()
    if not word:
        if current + blen(space) <= limit:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)
