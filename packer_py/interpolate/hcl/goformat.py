"""Go's text conventions that leak into Packer's HCL2 output: ``strconv.Quote`` and rune quoting.

``packer console`` prints nested strings and map keys with Go's ``%q``; cty orders set elements by a ``%q`` hash
text; ``format`` errors quote the offending rune with ``%q``. Go's ``unicode.IsPrint`` is the same set as Python's
``str.isprintable`` (letters, marks, numbers, punctuation, symbols and the ASCII space).
"""

from __future__ import annotations

_SIMPLE = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\"}


def _escape(ch: str, quote: str) -> str:
    if ch == quote:
        return "\\" + ch
    if ch in _SIMPLE:
        return _SIMPLE[ch]
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        code = 0xFFFD
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def go_quote(s: str) -> str:
    """``strconv.Quote`` / ``fmt.Sprintf("%q", s)``."""
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return f'"{s}"'
    return '"' + "".join(_escape(ch, '"') for ch in s) + '"'


def go_quote_rune(ch: str) -> str:
    """``fmt.Sprintf("%q", r)`` for one rune."""
    return "'" + _escape(ch, "'") + "'"
