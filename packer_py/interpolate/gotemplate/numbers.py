"""Go's ``strconv.ParseInt/ParseUint/ParseFloat`` (base 0, Go literal syntax) and the parser's number constants.

Go decides what a number literal *is* by trying each parser in turn (``parse.newNumber``), and the odd results
are visible to users: ``{{ 089 }}`` is ``integer overflow: "089"`` (not octal, not a float without a dot),
``{{ 1e400 }}`` is ``illegal number syntax``. Reproducing that needs Go's exact acceptance rules, not Python's.
"""

from __future__ import annotations

import math
import re

__all__ = ["NumberSyntaxError", "parse_float", "parse_int", "parse_uint"]

_MAX_UINT64 = (1 << 64) - 1


class NumberSyntaxError(ValueError):
    """The text is not a number of the requested kind (syntax or range)."""


def _underscore_ok(s: str) -> bool:
    saw = "^"
    i = 0
    if s[:1] in ("-", "+"):
        s = s[1:]
    hexadecimal = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i = 2
        saw = "0"
        hexadecimal = s[1].lower() == "x"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexadecimal and "a" <= c.lower() <= "f"):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def _digit(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - ord("0")
    if "a" <= c.lower() <= "z":
        return ord(c.lower()) - ord("a") + 10
    return 99


def parse_uint(s: str) -> int:
    """``strconv.ParseUint(s, 0, 64)``."""
    if not s:
        raise NumberSyntaxError(s)
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
    underscores = False
    n = 0
    for c in s:
        if c == "_":
            underscores = True
            continue
        d = _digit(c)
        if d >= base:
            raise NumberSyntaxError(s0)
        n = n * base + d
        if n > _MAX_UINT64:
            raise NumberSyntaxError(s0)
    if underscores and not _underscore_ok(s0):
        raise NumberSyntaxError(s0)
    return n


def parse_int(s: str) -> int:
    """``strconv.ParseInt(s, 0, 64)``."""
    if not s:
        raise NumberSyntaxError(s)
    negative = s[0] == "-"
    body = s[1:] if s[0] in "+-" else s
    magnitude = parse_uint(body)
    if (not negative and magnitude >= 1 << 63) or (negative and magnitude > 1 << 63):
        raise NumberSyntaxError(s)
    return -magnitude if negative else magnitude


_SPECIAL = re.compile(r"[+-]?(inf|infinity)|nan", re.IGNORECASE)


def parse_float(s: str) -> float:
    """``strconv.ParseFloat(s, 64)``: Go syntax (hex floats need ``p``), and out-of-range values are errors."""
    if _SPECIAL.fullmatch(s):
        return float(s.lower().replace("infinity", "inf"))
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
    if not saw_digits:
        raise NumberSyntaxError(s)
    if i < len(s) and s[i].lower() == exp_char:
        i += 1
        if i >= len(s):
            raise NumberSyntaxError(s)
        if s[i] in "+-":
            i += 1
        if i >= len(s) or not "0" <= s[i] <= "9":
            raise NumberSyntaxError(s)
        while i < len(s) and ("0" <= s[i] <= "9" or s[i] == "_"):
            i += 1
    elif base == 16:
        raise NumberSyntaxError(s)
    if i != len(s):
        raise NumberSyntaxError(s)
    if "_" in s and not _underscore_ok(s):
        raise NumberSyntaxError(s)
    plain = s.replace("_", "")
    try:
        value = float.fromhex(plain) if base == 16 else float(plain)
    except (ValueError, OverflowError) as exc:
        raise NumberSyntaxError(s) from exc
    if math.isinf(value):
        raise NumberSyntaxError(s)
    return value
