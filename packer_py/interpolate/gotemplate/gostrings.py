"""Go strings in Python: byte views, ``strconv`` quoting and unquoting, and ``%#U``.

A Go string is a byte sequence that is usually, but not always, UTF-8: ``"\\xff"`` or ``slice "é" 0 1`` make one
that is not. packer-py keeps Go strings as Python ``str`` and stores each byte that is not part of valid UTF-8 as
the lone surrogate ``U+DC80+byte`` (Python's ``surrogateescape``), so ``len``, ``index`` and ``slice`` can work on
the bytes, as Go's do, and convert back without loss.
"""

from __future__ import annotations

__all__ = [
    "QuoteSyntaxError",
    "can_backquote",
    "format_unicode",
    "from_bytes",
    "go_quote",
    "go_quote_rune",
    "is_print",
    "to_bytes",
    "unquote",
    "unquote_char",
]

_LOWER_HEX = "0123456789abcdef"
_MAX_RUNE = 0x10FFFF


class QuoteSyntaxError(ValueError):
    """``strconv.ErrSyntax``: Go prints it as ``invalid syntax``."""

    def __init__(self) -> None:
        super().__init__("invalid syntax")


def to_bytes(s: str) -> bytes:
    """The bytes of a Go string (escaped bytes come back as themselves)."""
    return s.encode("utf-8", "surrogateescape") if _only_escapes(s) else _slow_to_bytes(s)


def _only_escapes(s: str) -> bool:
    try:
        s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def _slow_to_bytes(s: str) -> bytes:
    out = bytearray()
    for ch in s:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(code - 0xDC00)
        else:
            out += ch.encode("utf-8", "surrogatepass")
    return bytes(out)


def from_bytes(b: bytes) -> str:
    """A Go string from bytes; bytes that are not valid UTF-8 become ``U+DC80+byte``."""
    return b.decode("utf-8", "surrogateescape")


def is_print(code: int) -> bool:
    """``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols and the ASCII space."""
    if code > _MAX_RUNE or 0xD800 <= code <= 0xDFFF:
        return False
    return chr(code).isprintable()


def _runes(s: str) -> list[tuple[int, bytes]]:
    """Go's ``for _, r := range s`` over the bytes: (rune, its bytes); an invalid byte is rune -1."""
    out: list[tuple[int, bytes]] = []
    for ch in s:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            for byte in to_bytes(ch):
                out.append((-1, bytes([byte])))
        else:
            out.append((code, ch.encode("utf-8")))
    return out


def _escaped_rune(code: int, quote: str, ascii_only: bool) -> str:
    if code == ord(quote) or code == ord("\\"):
        return "\\" + chr(code)
    if ascii_only:
        if code < 0x80 and is_print(code):
            return chr(code)
    elif is_print(code):
        return chr(code)
    simple = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}
    if code in simple:
        return simple[code]
    if code < ord(" ") or code == 0x7F:
        return "\\x" + _LOWER_HEX[code >> 4] + _LOWER_HEX[code & 0xF]
    if code > _MAX_RUNE or 0xD800 <= code <= 0xDFFF:
        code = 0xFFFD
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def go_quote(s: str, *, ascii_only: bool = False) -> str:
    """``strconv.Quote`` (or ``QuoteToASCII``): Go's double-quoted form, as ``%q`` and error messages print it."""
    parts = ['"']
    for code, raw in _runes(s):
        if code < 0:
            parts.append("\\x" + _LOWER_HEX[raw[0] >> 4] + _LOWER_HEX[raw[0] & 0xF])
        else:
            parts.append(_escaped_rune(code, '"', ascii_only))
    parts.append('"')
    return "".join(parts)


def go_quote_rune(code: int, *, ascii_only: bool = False) -> str:
    """``strconv.QuoteRune``: ``'x'``; invalid code points print as U+FFFD."""
    if code > _MAX_RUNE or code < 0 or 0xD800 <= code <= 0xDFFF:
        code = 0xFFFD
    return "'" + _escaped_rune(code, "'", ascii_only) + "'"


def can_backquote(s: str) -> bool:
    """``strconv.CanBackquote``: whether ``%#q`` may print the string as a raw literal."""
    for code, _raw in _runes(s):
        if code < 0 or code == 0xFEFF:
            return False
        if code > 0x7F:
            continue
        if (code < ord(" ") and code != ord("\t")) or code in (ord("`"), 0x7F):
            return False
    return True


def format_unicode(code: int) -> str:
    """``%#U``: ``U+0041 'A'`` (the character only when printable), as in ``bad character U+002B '+'``."""
    text = f"U+{code:04X}"
    if code <= _MAX_RUNE and is_print(code):
        text += f" '{chr(code)}'"
    return text


def _unhex(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - ord("0")
    if "a" <= c <= "f":
        return ord(c) - ord("a") + 10
    if "A" <= c <= "F":
        return ord(c) - ord("A") + 10
    raise QuoteSyntaxError


def unquote_char(s: str, quote: str) -> tuple[int, bool, str]:
    """``strconv.UnquoteChar``: (value, multibyte, tail); raises :class:`QuoteSyntaxError`.

    ``value`` is a code point when ``multibyte``, otherwise a single byte (``\\xff``, ``\\377``).
    """
    if not s:
        raise QuoteSyntaxError
    c = s[0]
    if c == quote and quote in "'\"":
        raise QuoteSyntaxError
    if ord(c) >= 0x80:
        code = ord(c)
        if 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD
        return code, True, s[1:]
    if c != "\\":
        return ord(c), False, s[1:]
    if len(s) <= 1:
        raise QuoteSyntaxError
    c = s[1]
    s = s[2:]
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
    if c in simple:
        return simple[c], False, s
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        if len(s) < n:
            raise QuoteSyntaxError
        value = 0
        for j in range(n):
            value = value << 4 | _unhex(s[j])
        s = s[n:]
        if c == "x":
            return value, False, s
        if value > _MAX_RUNE or 0xD800 <= value <= 0xDFFF:
            raise QuoteSyntaxError
        return value, True, s
    if "0" <= c <= "7":
        value = ord(c) - ord("0")
        if len(s) < 2:
            raise QuoteSyntaxError
        for j in range(2):
            digit = ord(s[j]) - ord("0")
            if digit < 0 or digit > 7:
                raise QuoteSyntaxError
            value = (value << 3) | digit
        s = s[2:]
        if value > 255:
            raise QuoteSyntaxError
        return value, False, s
    if c in "'\"":
        if c != quote:
            raise QuoteSyntaxError
        return ord(c), False, s
    raise QuoteSyntaxError


def unquote(s: str) -> str:
    """``strconv.Unquote`` of a ``"..."``, `` `...` `` or ``'.'`` literal; raises :class:`QuoteSyntaxError`."""
    if len(s) < 2:
        raise QuoteSyntaxError
    quote = s[0]
    end = s.find(quote, 1)
    if end < 0:
        raise QuoteSyntaxError
    if quote == "`":
        if end != len(s) - 1:
            raise QuoteSyntaxError
        return s[1:-1].replace("\r", "")
    if quote not in "\"'":
        raise QuoteSyntaxError
    body = s[1:]
    out = bytearray()
    while body and body[0] != quote:
        if body[0] == "\n":
            raise QuoteSyntaxError
        value, multibyte, body = unquote_char(body, quote)
        if value < 0x80 or not multibyte:
            out.append(value)
        else:
            out += chr(value).encode("utf-8")
        if quote == "'":
            break
    if not body or body[0] != quote or len(body) != 1:
        raise QuoteSyntaxError
    return from_bytes(bytes(out))
