"""Go's ``time.Format`` layouts (for ``isotime``) and ``github.com/jehiah/go-strftime`` (for ``strftime``).

``isotime`` takes a Go *reference-time layout* (``2006-01-02T15:04:05Z07:00``), so every token of Go 1.19's
``nextStdChunk`` is recognised here, with Go's quirks: ``Jan`` only when not followed by a lower-case letter,
``_2006`` is a literal underscore plus the year, ``.000``/``,999`` fractional seconds, ``002`` day of year.
Packer's clock is UTC, so zone names print ``UTC`` and ``Z07:00`` prints ``Z``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["STRFTIME_LAYOUTS", "LayoutChunk", "go_format", "split_layout", "strftime"]

_LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_STD_0X = ("zero_month", "zero_day", "zero_hour12", "zero_minute", "zero_second", "year")


def _next_chunk(layout: str) -> tuple[str, str | None, str, int, str]:
    """Go's ``nextStdChunk``: (prefix, token, suffix, fraction digits, fraction separator)."""
    n = len(layout)
    for i, c in enumerate(layout):
        if c == "J" and layout[i : i + 3] == "Jan":
            if layout[i : i + 7] == "January":
                return layout[:i], "long_month", layout[i + 7 :], 0, ""
            if not _starts_lower(layout[i + 3 :]):
                return layout[:i], "month", layout[i + 3 :], 0, ""
        elif c == "M" and n >= i + 3:
            if layout[i : i + 3] == "Mon":
                if layout[i : i + 6] == "Monday":
                    return layout[:i], "long_weekday", layout[i + 6 :], 0, ""
                if not _starts_lower(layout[i + 3 :]):
                    return layout[:i], "weekday", layout[i + 3 :], 0, ""
            if layout[i : i + 3] == "MST":
                return layout[:i], "tz", layout[i + 3 :], 0, ""
        elif c == "0":
            if n >= i + 2 and "1" <= layout[i + 1] <= "6":
                return layout[:i], _STD_0X[ord(layout[i + 1]) - ord("1")], layout[i + 2 :], 0, ""
            if layout[i + 1 : i + 3] == "02":
                return layout[:i], "zero_year_day", layout[i + 3 :], 0, ""
        elif c == "1":
            if n >= i + 2 and layout[i + 1] == "5":
                return layout[:i], "hour", layout[i + 2 :], 0, ""
            return layout[:i], "num_month", layout[i + 1 :], 0, ""
        elif c == "2":
            if layout[i : i + 4] == "2006":
                return layout[:i], "long_year", layout[i + 4 :], 0, ""
            return layout[:i], "day", layout[i + 1 :], 0, ""
        elif c == "_":
            if n >= i + 2 and layout[i + 1] == "2":
                if layout[i + 1 : i + 5] == "2006":
                    return layout[: i + 1], "long_year", layout[i + 5 :], 0, ""
                return layout[:i], "under_day", layout[i + 2 :], 0, ""
            if layout[i + 1 : i + 3] == "_2":
                return layout[:i], "under_year_day", layout[i + 3 :], 0, ""
        elif c == "3":
            return layout[:i], "hour12", layout[i + 1 :], 0, ""
        elif c == "4":
            return layout[:i], "minute", layout[i + 1 :], 0, ""
        elif c == "5":
            return layout[:i], "second", layout[i + 1 :], 0, ""
        elif c == "P" and layout[i + 1 : i + 2] == "M":
            return layout[:i], "PM", layout[i + 2 :], 0, ""
        elif c == "p" and layout[i + 1 : i + 2] == "m":
            return layout[:i], "pm", layout[i + 2 :], 0, ""
        elif c == "-":
            for token in ("-070000", "-07:00:00", "-0700", "-07:00", "-07"):
                if layout[i : i + len(token)] == token:
                    return layout[:i], token, layout[i + len(token) :], 0, ""
        elif c == "Z":
            for token in ("Z070000", "Z07:00:00", "Z0700", "Z07:00", "Z07"):
                if layout[i : i + len(token)] == token:
                    return layout[:i], token, layout[i + len(token) :], 0, ""
        elif c in ".," and i + 1 < n and layout[i + 1] in "09":
            ch = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == ch:
                j += 1
            if not (j < n and "0" <= layout[j] <= "9"):
                token = "frac0" if ch == "0" else "frac9"
                return layout[:i], token, layout[j:], j - (i + 1), c
    return layout, None, "", 0, ""


@dataclass(frozen=True)
class LayoutChunk:
    """One piece of a Go layout: literal text (``token`` None) or a reference-time element such as ``zero_month``."""

    text: str
    token: str | None = None
    frac_digits: int = 0
    frac_separator: str = ""


def split_layout(layout: str) -> list[LayoutChunk]:
    """A Go layout cut into literal text and elements exactly as ``time.Format`` reads it (for translators such as
    ``hcl2_upgrade``, which rewrites ``isotime`` layouts into ``formatdate`` formats)."""
    out: list[LayoutChunk] = []
    while layout:
        prefix, token, rest, frac_digits, separator = _next_chunk(layout)
        if prefix:
            out.append(LayoutChunk(prefix))
        if token is None:
            break
        out.append(LayoutChunk(layout[len(prefix) : len(layout) - len(rest)], token, frac_digits, separator))
        layout = rest
    return out


def _starts_lower(s: str) -> bool:
    return bool(s) and "a" <= s[0] <= "z"


def _zone(token: str) -> str:
    """Numeric zones of a UTC time: ``Z`` for the ISO 8601 ("Z...") forms, zeros otherwise."""
    if token.startswith("Z"):
        return "Z"
    digits = {"-070000": "+000000", "-07:00:00": "+00:00:00", "-0700": "+0000", "-07:00": "+00:00", "-07": "+00"}
    return digits[token]


def go_format(moment: datetime, layout: str) -> str:
    """``time.Time.Format(layout)`` for a UTC instant."""
    out: list[str] = []
    hour12 = moment.hour % 12 or 12
    yday = moment.timetuple().tm_yday
    nanos = moment.microsecond * 1000
    while layout:
        prefix, token, layout, frac_digits, separator = _next_chunk(layout)
        out.append(prefix)
        if token is None:
            break
        if token == "year":
            out.append(f"{abs(moment.year) % 100:02d}")
        elif token == "long_year":
            out.append(f"{moment.year:04d}")
        elif token == "month":
            out.append(_LONG_MONTHS[moment.month - 1][:3])
        elif token == "long_month":
            out.append(_LONG_MONTHS[moment.month - 1])
        elif token == "num_month":
            out.append(str(moment.month))
        elif token == "zero_month":
            out.append(f"{moment.month:02d}")
        elif token == "weekday":
            out.append(_LONG_DAYS[moment.weekday()][:3])
        elif token == "long_weekday":
            out.append(_LONG_DAYS[moment.weekday()])
        elif token == "day":
            out.append(str(moment.day))
        elif token == "under_day":
            out.append(f"{moment.day:2d}")
        elif token == "zero_day":
            out.append(f"{moment.day:02d}")
        elif token == "under_year_day":
            out.append(f"{yday:3d}")
        elif token == "zero_year_day":
            out.append(f"{yday:03d}")
        elif token == "hour":
            out.append(f"{moment.hour:02d}")
        elif token == "hour12":
            out.append(str(hour12))
        elif token == "zero_hour12":
            out.append(f"{hour12:02d}")
        elif token == "minute":
            out.append(str(moment.minute))
        elif token == "zero_minute":
            out.append(f"{moment.minute:02d}")
        elif token == "second":
            out.append(str(moment.second))
        elif token == "zero_second":
            out.append(f"{moment.second:02d}")
        elif token == "PM":
            out.append("PM" if moment.hour >= 12 else "AM")
        elif token == "pm":
            out.append("pm" if moment.hour >= 12 else "am")
        elif token == "tz":
            out.append("UTC")
        elif token in ("frac0", "frac9"):
            digits = f"{nanos:09d}"[: min(frac_digits, 9)]
            if token == "frac9":
                digits = digits.rstrip("0")
                if not digits:
                    continue
            out.append(separator + digits)
        else:
            out.append(_zone(token))
    return "".join(out)


STRFTIME_LAYOUTS = {
    "B": "January",
    "b": "Jan",
    "m": "01",
    "A": "Monday",
    "a": "Mon",
    "d": "02",
    "H": "15",
    "I": "03",
    "M": "04",
    "S": "05",
    "Y": "2006",
    "y": "06",
    "p": "PM",
    "Z": "MST",
    "z": "-0700",
    "L": ".000",
}


def strftime(fmt: str, moment: datetime) -> str:
    """go-strftime's ``Format``: only the conversions above; others (``%q``) are copied, ``%%`` is ``%``."""
    out: list[str] = []
    i = 0
    while i < len(fmt):
        ni = fmt.find("%", i)
        if ni < 0:
            ni = len(fmt)
        out.append(fmt[i:ni])
        if ni + 1 < len(fmt):
            c = fmt[ni + 1]
            if c == "%":
                out.append("%")
            elif c in STRFTIME_LAYOUTS:
                out.append(go_format(moment, STRFTIME_LAYOUTS[c]))
            else:
                out.append("%" + c)
        elif ni < len(fmt):
            out.append("%")
        i = ni + 2
    return "".join(out)
