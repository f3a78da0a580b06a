"""Go's string parsers (``strconv`` and ``time.ParseDuration``), with Go's error wording: the one home for them.

mapstructure's weak decoding turns ``"22"`` into 22 with ``strconv.ParseInt(s, 0, 64)`` (so ``0x16`` and ``1_000``
work too), ``"true"`` into a bool with ``strconv.ParseBool``, and Packer's decode hook turns ``"5m"`` into a
``time.Duration`` with ``time.ParseDuration``. Their error texts end up verbatim in ``packer validate`` output
(``cannot parse 'ssh_port' as int: strconv.ParseInt: parsing "abc": invalid syntax``), so they are reproduced here,
as the Go 1.19 runtime of the Debian ``packer`` 1.6.6 binary words them. The Go-template parser decides what a
number literal is with the same ``ParseUint``/``ParseInt``/``ParseFloat`` (``{{ 089 }}`` is an integer overflow,
``{{ 1e400 }}`` illegal number syntax), so it uses these too.
"""

from __future__ import annotations

import math
import re

from packer_py.gofmt import quote


class GoParseError(ValueError):
    """A Go parse error; ``str()`` is Go's ``err.Error()``."""


class Duration(int):
    """A Go ``time.Duration``: an int of nanoseconds whose ``str()`` is Go's ``Duration.String()`` (``1m30s``)."""

    def total_seconds(self) -> float:
        return int(self) / 1e9

    def __str__(self) -> str:
        return format_duration(int(self))

    def __repr__(self) -> str:
        return f"Duration({format_duration(int(self))!r})"


NANOSECOND = 1
MICROSECOND = 1000
MILLISECOND = 1000 * MICROSECOND
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE

_UNITS = {
    "ns": NANOSECOND,
    "us": MICROSECOND,
    "\u00b5s": MICROSECOND,  # U+00B5 micro sign
    "\u03bcs": MICROSECOND,  # U+03BC Greek mu
    "ms": MILLISECOND,
    "s": SECOND,
    "m": MINUTE,
    "h": HOUR,
}
_INT64_MAX = (1 << 63) - 1


def _time_quote(text: str) -> str:
    """``time.quote`` (Go 1.19): like strconv.Quote for ASCII, but every non-ASCII byte becomes ``\\xNN``."""
    out = ['"']
    for ch in text:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
        else:
            if ch in ('"', "\\"):
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


def _leading_int(s: str) -> tuple[int, str, bool]:
    x = 0
    i = 0
    overflow = False
    while i < len(s) and "0" <= s[i] <= "9":
        if x > (1 << 63) // 10:
            overflow = True
            break
        x = x * 10 + ord(s[i]) - 48
        if x > 1 << 63:
            overflow = True
            break
        i += 1
    return x, s[i:], overflow


def parse_duration(text: str) -> Duration:
    """``time.ParseDuration``: ``"1h30m"``, ``"1.5s"``, ``"-2m"``; raises GoParseError with Go's message."""
    orig = text
    s = text
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return Duration(0)
    if s == "":
        raise GoParseError("time: invalid duration " + _time_quote(orig))
    total = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise GoParseError("time: invalid duration " + _time_quote(orig))
        before = len(s)
        v, s, overflow = _leading_int(s)
        if overflow:
            raise GoParseError("time: invalid duration " + _time_quote(orig))
        pre = before != len(s)
        post = False
        frac, scale = 0, 1.0
        if s and s[0] == ".":
            s = s[1:]
            before = len(s)
            i = 0
            frac_overflow = False
            while i < len(s) and "0" <= s[i] <= "9":
                if not frac_overflow:  # Go's leadingFraction stops accumulating precision on overflow
                    if frac > _INT64_MAX // 10 or frac * 10 + ord(s[i]) - 48 > 1 << 63:
                        frac_overflow = True
                    else:
                        frac = frac * 10 + ord(s[i]) - 48
                        scale *= 10
                i += 1
            s = s[i:]
            post = before != len(s)
        if not pre and not post:
            raise GoParseError("time: invalid duration " + _time_quote(orig))
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise GoParseError("time: missing unit in duration " + _time_quote(orig))
        unit_name, s = s[:i], s[i:]
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise GoParseError("time: unknown unit " + _time_quote(unit_name) + " in duration " + _time_quote(orig))
        if v > (1 << 63) // unit:
            raise GoParseError("time: invalid duration " + _time_quote(orig))
        v *= unit
        if frac > 0:
            v += int(frac * (unit / scale))
            if v > 1 << 63:
                raise GoParseError("time: invalid duration " + _time_quote(orig))
        total += v
        if total > 1 << 63:
            raise GoParseError("time: invalid duration " + _time_quote(orig))
    if neg:
        return Duration(-total)
    if total > _INT64_MAX:
        raise GoParseError("time: invalid duration " + _time_quote(orig))
    return Duration(total)


def duration_seconds(value: object) -> float:
    """A decoded duration in seconds: a ``Duration`` (or anything with ``total_seconds``), a Go duration string
    (``time.ParseDuration``), or a number of seconds."""
    if hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    if isinstance(value, str):
        return parse_duration(value).total_seconds()
    return float(value)  # type: ignore[arg-type]


def format_duration(ns: int) -> str:
    """``time.Duration.String()``: ``0s``, ``1.5µs``, ``5m0s``, ``1h30m0s``."""
    if ns == 0:
        return "0s"
    neg = ns < 0
    u = -ns if neg else ns
    if u < SECOND:
        if u < MICROSECOND:
            text = f"{u}ns"
        elif u < MILLISECOND:
            text = _frac(u, 3) + "\u00b5s"
        else:
            text = _frac(u, 6) + "ms"
    else:
        secs = _frac(u, 9)
        whole_minutes = u // MINUTE
        text = secs + "s"
        if whole_minutes:
            seconds_part = _frac(u % MINUTE, 9) + "s"
            hours, minutes = divmod(whole_minutes, 60)
            text = (f"{hours}h" if hours else "") + f"{minutes}m" + seconds_part
    return ("-" if neg else "") + text


def _frac(value: int, precision: int) -> str:
    """``value / 10**precision`` printed with trailing zeros (and a bare dot) removed, as Go's fmtFrac does."""
    whole, frac = divmod(value, 10**precision)
    frac_text = f"{frac:0{precision}d}".rstrip("0")
    return f"{whole}.{frac_text}" if frac_text else str(whole)


def _underscore_ok(s: str) -> bool:
    """strconv's underscoreOK: underscores only between digits (a base prefix counts as a digit)."""
    saw = "^"
    i = 0
    if s and s[0] in "+-":
        s = s[1:]
    hexadecimal = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i = 2
        saw = "0"
        hexadecimal = s[1].lower() == "x"
    while i < len(s):
        ch = s[i]
        if "0" <= ch <= "9" or (hexadecimal and ch.lower() in "abcdef"):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def _parse_uint_body(s: str, bits: int) -> tuple[int, str | None]:
    """The digits of ParseUint with base 0; returns (value, error kind or None)."""
    if s == "":
        return 0, "invalid syntax"
    s0 = s
    base = 10
    if s[0] == "0":
        if len(s) >= 3 and s[1].lower() == "b":
            base, s = 2, s[2:]
        elif len(s) >= 3 and s[1].lower() == "o":
            base, s = 8, s[2:]
        elif len(s) >= 3 and s[1].lower() == "x":
            base, s = 16, s[2:]
        else:
            base, s = 8, s[1:]
    max_val = (1 << bits) - 1
    n = 0
    underscores = False
    for ch in s:
        if ch == "_":
            underscores = True
            continue
        if "0" <= ch <= "9":
            d = ord(ch) - 48
        elif "a" <= ch.lower() <= "z":
            d = ord(ch.lower()) - ord("a") + 10
        else:
            return 0, "invalid syntax"
        if d >= base:
            return 0, "invalid syntax"
        n = n * base + d
        if n > max_val:
            return max_val, "value out of range"
    if underscores and not _underscore_ok(s0):
        return 0, "invalid syntax"
    return n, None


def parse_int(text: str, bits: int = 64) -> int:
    """``strconv.ParseInt(text, 0, bits)``."""
    s = text
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    un, err = _parse_uint_body(s, bits) if s else (0, "invalid syntax")
    if err is None:
        cutoff = 1 << (bits - 1)
        if (not neg and un >= cutoff) or (neg and un > cutoff):
            err = "value out of range"
    if err is not None:
        raise GoParseError(f"strconv.ParseInt: parsing {quote(text)}: {err}")
    return -un if neg else un


def parse_uint(text: str, bits: int = 64) -> int:
    """``strconv.ParseUint(text, 0, bits)``."""
    value, err = _parse_uint_body(text, bits)
    if err is not None:
        raise GoParseError(f"strconv.ParseUint: parsing {quote(text)}: {err}")
    return value


_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def parse_bool(text: str) -> bool:
    """``strconv.ParseBool``."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise GoParseError(f"strconv.ParseBool: parsing {quote(text)}: invalid syntax")


_FLOAT_SPECIAL = re.compile(r"[+-]?(inf|infinity)|nan", re.IGNORECASE)


def parse_float(text: str) -> float:
    """``strconv.ParseFloat(text, 64)``: Go syntax (hex floats need ``p``), and out-of-range values are errors."""
    if _FLOAT_SPECIAL.fullmatch(text):
        return float(text.lower().replace("infinity", "inf"))
    s = text
    i = 0
    if s[:1] in ("+", "-"):
        i = 1
    base = 10
    if i + 2 < len(s) and s[i] == "0" and s[i + 1].lower() == "x":
        base = 16
        i += 2
    exp_char = "p" if base == 16 else "e"
    saw_dot = saw_digits = False
    while i < len(s):
        c = s[i]
        if c == "_":
            pass
        elif c == ".":
            if saw_dot:
                break
            saw_dot = True
        elif "0" <= c <= "9" or (base == 16 and "a" <= c.lower() <= "f"):
            saw_digits = True
        else:
            break
        i += 1
    syntax_error = GoParseError(f"strconv.ParseFloat: parsing {quote(text)}: invalid syntax")
    if not saw_digits:
        raise syntax_error
    if i < len(s) and s[i].lower() == exp_char:
        i += 1
        if i >= len(s):
            raise syntax_error
        if s[i] in "+-":
            i += 1
        if i >= len(s) or not "0" <= s[i] <= "9":
            raise syntax_error
        while i < len(s) and ("0" <= s[i] <= "9" or s[i] == "_"):
            i += 1
    elif base == 16:
        raise syntax_error
    if i != len(s):
        raise syntax_error
    if "_" in s and not _underscore_ok(s):
        raise syntax_error
    range_error = GoParseError(f"strconv.ParseFloat: parsing {quote(text)}: value out of range")
    plain = s.replace("_", "")
    try:
        value = float.fromhex(plain) if base == 16 else float(plain)
    except OverflowError as exc:
        raise range_error from exc
    except ValueError as exc:
        raise syntax_error from exc
    if math.isinf(value):
        raise range_error
    return value
