"""Go time layouts (``isotime``) and strftime formats (``strftime``) as HCL2 ``formatdate`` calls.

A JSON template writes ``{{ isotime "2006-01-02" }}`` with Go's reference-time layout; HCL2 has
``formatdate("YYYY-MM-DD", timestamp)``. The layout is cut exactly as Go's ``time.Format`` cuts it
(``packer_py.gotime.split_layout``) and each element becomes the ``formatdate`` verb that prints the same text:

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

Literal letters and quotes are written between ``formatdate`` calls rather than quoted inside them (cty's scanner
drops a quoted literal that ends the format, and reads four quotes as two escaped ones), and so is a verb that would
run into the previous one (``YYYY`` then ``YY`` would read as ``YYYYYY``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packer_py.gotime import STRFTIME_LAYOUTS, LayoutChunk, split_layout
from packer_py.translate.hclwrite import quote_literal

__all__ = [
    "LayoutTranslation",
    "UntranslatableLayout",
    "date_parts_expr",
    "epoch_seconds_expr",
    "layout_parts",
    "strftime_parts",
]

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


def _translate(chunks: list[LayoutChunk], time_expr: str, what: str) -> LayoutTranslation:
    """Verbs and the plain text between them go into ``formatdate`` calls; letters and quotes (which ``formatdate``
    would need quoted, with corner cases in cty's scanner) and a verb that would merge with the previous one
    (``YYYY`` then ``YY``) start a new piece of the template instead."""
    out = LayoutTranslation()
    spec: list[str] = []  # the formatdate format being built; [] when none is open
    text: list[str] = []  # literal text waiting: inside the format if a verb follows, else after the call

    def close() -> None:
        if spec:
            out.parts.append(("expr", f"formatdate({quote_literal(''.join(spec))}, {time_expr})"))
            spec.clear()
        if text:
            out.parts.append(("text", "".join(text)))
            text.clear()

    def verb(v: str) -> None:
        waiting = "".join(text)
        if spec and (not _is_plain(waiting) or (not waiting and spec[-1][-1] == v[0])):
            close()
        elif waiting and (not spec or not _is_plain(waiting)):
            out.parts.append(("text", waiting))
            text.clear()
        spec.extend(text)
        text.clear()
        spec.append(v)

    for chunk in chunks:
        tok = chunk.token
        if tok is None:
            text.append(chunk.text)
        elif tok in _VERBS:
            verb(_VERBS[tok])
        elif tok in _UTC_TEXT:
            text.append(_UTC_TEXT[tok])
        elif tok == "under_day":
            close()
            out.parts.append(("expr", f'format("%2s", formatdate("D", {time_expr}))'))
        elif tok in ("frac0", "frac9"):
            if tok == "frac0":
                text.append(chunk.frac_separator + "0" * chunk.frac_digits)
            out.warnings.append(
                f"{what}: fractional seconds ({chunk.text!r}) are always zero in HCL2, whose timestamp() has "
                "whole seconds"
            )
        else:
            raise UntranslatableLayout(
                f"{what}: the layout element {chunk.text!r} (day of the year) has no formatdate verb"
            )
    close()
    merged: list[tuple[str, str]] = []
    for kind, piece in out.parts:
        if merged and kind == "text" and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + piece)
        else:
            merged.append((kind, piece))
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


def date_parts_expr(time_expr: str) -> str:
    """An object of the instant's calendar fields as numbers: ``{YYYY = 2021, M = 2, D = 3, h = 4, m = 5, s = 6}``."""
    return f'{{ for k in ["YYYY", "M", "D", "h", "m", "s"] : k => parseint(formatdate(k, {time_expr}), 10) }}'


def epoch_seconds_expr(parts: str) -> str:
    """``{{timestamp}}``: seconds since the Unix epoch, as a string, from the object of ``date_parts_expr``.

    HCL2 has no epoch function (Packer 1.6.6 has no ``unix_timestamp_parse``), so the days are counted: 365 per
    year since 1970 plus the leap years before this one, the days of the months before this one (plus the leap day
    from March on), and the days of this month; then hours, minutes and seconds.
    """
    y = f"{parts}.YYYY"
    leap = f"({y} % 4 == 0 && ({y} % 100 != 0 || {y} % 400 == 0))"
    days = (
        f"365 * ({y} - 1970) + length([for y in range(1970, {y}) : y if y % 4 == 0 && (y % 100 != 0 || "
        f"y % 400 == 0)]) + [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][{parts}.M - 1] + "
        f"({parts}.M > 2 && {leap} ? 1 : 0) + {parts}.D - 1"
    )
    return f'format("%d", 86400 * ({days}) + 3600 * {parts}.h + 60 * {parts}.m + {parts}.s)'
