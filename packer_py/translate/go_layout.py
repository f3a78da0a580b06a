"""Go time layouts (``isotime``) and strftime formats (``strftime``) as HCL2 ``formatdate`` calls.

A JSON template writes ``{{ isotime "2006-01-02" }}`` with Go's reference-time layout; HCL2 has
``formatdate("YYYY-MM-DD", timestamp)``. The layout is cut exactly as Go's ``time.Format`` cuts it
(``timeformat.split_layout``) and each element becomes the ``formatdate`` verb that prints the same text:

====================  =========  ====================  =========
Go element            formatdate Go element            formatdate
====================  =========  ====================  =========
``2006`` / ``06``     YYYY / YY  ``15``                hh
``01`` / ``1``        MM / M     ``03`` / ``3``        HH / H
``Jan`` / ``January`` MMM / MMMM ``04`` / ``4``        mm / m
``02`` / ``2``        DD / D     ``05`` / ``5``        ss / s
``Mon`` / ``Monday``  EEE / EEEE ``PM`` / ``pm``       AA / aa
``MST``               ZZZ        ``Z07:00`` (and Z..)  Z
``-0700``             ZZZZ       ``-07:00``            ZZZZZ
====================  =========  ====================  =========

Packer's clock is UTC, so the zone forms without a ``formatdate`` verb (``-07``, ``-070000``) are constant text.
``_2`` (space-padded day) is ``format("%2s", formatdate("D", t))``. Two elements have no HCL2 counterpart: the day of
the year (``002``, ``__2``) makes the layout untranslatable, and fractional seconds (``.000``, ``.999``) are
written as what HCL2's whole-second ``timestamp()`` would print, with a warning.

Literal letters go into ``formatdate`` quoted (``'T'``), except at the end of the format: cty's scanner drops a
quoted literal that ends the string, so trailing literal text is written after the call instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packer_py.interpolate.gotemplate.timeformat import STRFTIME_LAYOUTS, LayoutChunk, split_layout
from packer_py.translate.hclwrite import quote_literal

__all__ = ["LayoutTranslation", "UntranslatableLayout", "layout_parts", "strftime_parts"]

_VERBS = {
    "long_year": "YYYY",
    "year": "YY",
    "zero_month": "MM",
    "num_month": "M",
    "month": "MMM",
    "long_month": "MMMM",
    "zero_day": "DD",
    "day": "D",
    "weekday": "EEE",
    "long_weekday": "EEEE",
    "hour": "hh",
    "zero_hour12": "HH",
    "hour12": "H",
    "zero_minute": "mm",
    "minute": "m",
    "zero_second": "ss",
    "second": "s",
    "PM": "AA",
    "pm": "aa",
    "tz": "ZZZ",
    "Z070000": "Z",
    "Z07:00:00": "Z",
    "Z0700": "Z",
    "Z07:00": "Z",
    "Z07": "Z",
    "-0700": "ZZZZ",
    "-07:00": "ZZZZZ",
}
_UTC_TEXT = {"-07": "+00", "-070000": "+000000", "-07:00:00": "+00:00:00"}


class UntranslatableLayout(Exception):
    """The layout uses an element that ``formatdate`` cannot print."""


@dataclass
class LayoutTranslation:
    """The layout as template parts: ``("text", literal)`` or ``("expr", hcl_expression)``."""

    parts: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _is_plain(text: str) -> bool:
    """Text that ``formatdate`` copies as it is: no ASCII letters (verbs) and no quote."""
    return not any(c == "'" or (c.isascii() and c.isalpha()) for c in text)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _translate(chunks: list[LayoutChunk], time_expr: str, what: str) -> LayoutTranslation:
    out = LayoutTranslation()
    spec: list[str] = []  # formatdate format pieces
    spec_has_verb = False
    pending_text: list[str] = []  # literal text not yet placed (may end up after the call)

    def flush() -> None:
        nonlocal spec_has_verb
        if spec_has_verb:
            out.parts.append(("expr", f"formatdate({quote_literal(''.join(spec))}, {time_expr})"))
        elif spec:
            raise AssertionError("spec without verb")
        spec.clear()
        spec_has_verb = False

    def place_pending_inside() -> None:
        text = "".join(pending_text)
        pending_text.clear()
        if not text:
            return
        if not spec_has_verb:
            out.parts.append(("text", text))
        else:
            spec.append(text if _is_plain(text) else _quoted(text))

    def verb(v: str) -> None:
        nonlocal spec_has_verb
        place_pending_inside()
        spec.append(v)
        spec_has_verb = True

    for chunk in chunks:
        tok = chunk.token
        if tok is None:
            pending_text.append(chunk.text)
        elif tok in _VERBS:
            verb(_VERBS[tok])
        elif tok in _UTC_TEXT:
            pending_text.append(_UTC_TEXT[tok])
        elif tok == "under_day":
            place_pending_inside()
            flush()
            out.parts.append(("expr", f'format("%2s", formatdate("D", {time_expr}))'))
        elif tok in ("frac0", "frac9"):
            if tok == "frac0":
                pending_text.append(chunk.frac_separator + "0" * chunk.frac_digits)
            out.warnings.append(
                f"{what}: fractional seconds ({chunk.text!r}) are always zero in HCL2, whose timestamp() has "
                "whole seconds"
            )
        else:
            raise UntranslatableLayout(
                f"{what}: the layout element {chunk.text!r} (day of the year) has no formatdate verb"
            )
    flush()
    if pending_text:
        out.parts.append(("text", "".join(pending_text)))
    merged: list[tuple[str, str]] = []
    for kind, text in out.parts:
        if merged and kind == "text" and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + text)
        else:
            merged.append((kind, text))
    out.parts = merged
    return out


def layout_parts(layout: str, time_expr: str) -> LayoutTranslation:
    """``isotime layout`` of the instant ``time_expr`` (an RFC 3339 string expression: RFC 3339 itself is it)."""
    if layout == "2006-01-02T15:04:05Z07:00":
        return LayoutTranslation([("expr", time_expr)])
    return _translate(split_layout(layout), time_expr, f"isotime {layout!r}")


def strftime_parts(fmt: str, time_expr: str) -> LayoutTranslation:
    """``strftime fmt`` (go-strftime: ``%Y`` and friends; unknown conversions copied, ``%%`` is ``%``)."""
    chunks: list[LayoutChunk] = []
    i = 0
    while i < len(fmt):
        j = fmt.find("%", i)
        if j < 0:
            chunks.append(LayoutChunk(fmt[i:]))
            break
        if j > i:
            chunks.append(LayoutChunk(fmt[i:j]))
        if j + 1 >= len(fmt):
            chunks.append(LayoutChunk("%"))
            break
        c = fmt[j + 1]
        if c == "%":
            chunks.append(LayoutChunk("%"))
        elif c in STRFTIME_LAYOUTS:
            chunks.extend(split_layout(STRFTIME_LAYOUTS[c]))
        else:
            chunks.append(LayoutChunk("%" + c))
        i = j + 2
    return _translate(chunks, time_expr, f"strftime {fmt!r}")
