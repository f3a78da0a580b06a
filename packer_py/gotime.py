"""Go's ``time.Time.Format`` layouts and ``github.com/jehiah/go-strftime``: the one home for printing a Go time.

The JSON templates' ``isotime`` takes a Go *reference-time layout* (``2006-01-02T15:04:05Z07:00``), so every token
of Go 1.19's ``nextStdChunk`` is recognised here, with Go's quirks: ``Jan`` only when not followed by a lower-case
ASCII letter, ``_2006`` is a literal underscore plus the year, ``.000``/``,999`` fractional seconds, ``002``/``__2``
day of year. The same printer serves the JSON ``strftime`` (go-strftime maps each ``%`` conversion to a layout), the
HCL2 date functions (``timestamp``, ``timeadd``, ``formatdate``'s zones, ``legacy_isotime``, ``legacy_strftime``),
whose times carry a fixed zone offset, and ``hcl2_upgrade``, which reads layouts with ``split_layout``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["DAYS", "MONTHS", "STRFTIME_LAYOUTS", "LayoutChunk", "TimeFields", "split_layout"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
"""Go's ``time.Weekday`` names: Sunday is 0."""

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


@dataclass(frozen=True)
class TimeFields:
    """A Go ``time.Time`` broken down in its own zone: what ``Format`` prints from."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    nanosecond: int
    weekday: int
    """0 is Sunday, as Go's ``time.Weekday``."""
    yday: int
    offset: int = 0
    """Seconds east of UTC."""
    zone: str = "UTC"
    """The zone's name; empty for a fixed zone without one (``MST`` then prints the offset, as Go does)."""

    @classmethod
    def utc(cls, moment: datetime) -> TimeFields:
        """A UTC instant, as Packer's template clock gives it (its zone prints ``UTC``, ``Z07:00`` prints ``Z``)."""
        return cls(
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            moment.microsecond * 1000,
            (moment.weekday() + 1) % 7,
            moment.timetuple().tm_yday,
        )

    def format(self, layout: str) -> str:
        """``time.Time.Format(layout)``."""
        out: list[str] = []
        while layout:
            prefix, token, layout, frac_digits, separator = _next_chunk(layout)
            out.append(prefix)
            if token is None:
                break
            out.append(self._element(token, frac_digits, separator))
        return "".join(out)

    def strftime(self, fmt: str) -> str:
        """go-strftime's ``Format``: only the conversions of ``STRFTIME_LAYOUTS``; others (``%q``) are copied,
        ``%%`` is ``%``."""
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
                    out.append(self.format(STRFTIME_LAYOUTS[c]))
                else:
                    out.append("%" + c)
            elif ni < len(fmt):
                out.append("%")
            i = ni + 2
        return "".join(out)

    def _element(self, token: str, frac_digits: int, separator: str) -> str:
        hour12 = self.hour % 12 or 12
        simple = {
            "year": f"{abs(self.year) % 100:02d}", "long_year": f"{self.year:04d}",
            "month": MONTHS[self.month - 1][:3], "long_month": MONTHS[self.month - 1], "num_month": str(self.month),
            "zero_month": f"{self.month:02d}", "weekday": DAYS[self.weekday][:3], "long_weekday": DAYS[self.weekday],
            "day": str(self.day), "under_day": f"{self.day:2d}", "zero_day": f"{self.day:02d}",
            "under_year_day": f"{self.yday:3d}", "zero_year_day": f"{self.yday:03d}", "hour": f"{self.hour:02d}",
            "hour12": str(hour12), "zero_hour12": f"{hour12:02d}", "minute": str(self.minute),
            "zero_minute": f"{self.minute:02d}", "second": str(self.second), "zero_second": f"{self.second:02d}",
            "PM": "PM" if self.hour >= 12 else "AM", "pm": "pm" if self.hour >= 12 else "am",
        }  # fmt: skip
        if token in simple:
            return simple[token]
        if token == "tz":
            return self.zone or _offset_text(self.offset, colon=False, seconds=False, short=False)
        if token in ("frac0", "frac9"):
            digits = f"{self.nanosecond:09d}"[: min(frac_digits, 9)]
            if token == "frac9":
                digits = digits.rstrip("0")
                if not digits:
                    return ""
            return separator + digits
        if token.startswith("Z") and self.offset == 0:  # the ISO 8601 forms print Z for UTC
            return "Z"
        body = token[1:]
        digits = body.replace(":", "")
        return _offset_text(self.offset, colon=":" in body, seconds=len(digits) == 6, short=digits == "07")


def _offset_text(offset: int, colon: bool, seconds: bool, short: bool) -> str:
    sign = "-" if offset < 0 else "+"
    z = abs(offset)
    hh, mm, ss = z // 3600, z % 3600 // 60, z % 60
    if short:
        return f"{sign}{hh:02d}"
    sep = ":" if colon else ""
    text = f"{sign}{hh:02d}{sep}{mm:02d}"
    if seconds:
        text += f"{sep}{ss:02d}"
    return text
