"""A JSON reader that remembers where every value came from and fails the way Go's ``encoding/json`` does.

Python's ``json`` module knows no positions and words its errors differently. Packer 1.6.6 reports a syntax error
as Go's scanner does (``invalid character '}' looking for beginning of object key string``) followed by the line,
column and offset computed by its ``highlightPosition`` helper, and it rejects duplicate keys at any depth
(``template has duplicate field: a``). This reader reproduces both, and records the position of every key and value
in a ``PositionMap`` so that later findings can name file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from packer_py.template.positions import DocPath, PositionMap

JSONValue = Union[None, bool, int, float, str, list["JSONValue"], dict[str, "JSONValue"]]


@dataclass
class JSONSyntaxError(Exception):
    """Go's ``json.SyntaxError``: message and byte offset (bytes read when the scanner gave up)."""

    msg: str
    offset: int


class DuplicateKeyError(Exception):
    def __init__(self, key: str, path: DocPath) -> None:
        super().__init__(key)
        self.key = key
        self.path = path


_WS = b" \t\r\n"
_ESCAPES = {
    ord('"'): '"',
    ord("\\"): "\\",
    ord("/"): "/",
    ord("b"): "\b",
    ord("f"): "\f",
    ord("n"): "\n",
    ord("r"): "\r",
    ord("t"): "\t",
}


def _quote_char(c: int) -> str:
    """Go's ``quoteChar``: how the scanner names an offending byte."""
    if c == ord("'"):
        return "'\\''"
    if c == ord('"'):
        return "'\"'"
    ch = chr(c)
    if ch == "\t":
        return "'\\t'"
    if ch == "\n":
        return "'\\n'"
    if ch == "\r":
        return "'\\r'"
    if c < 0x20 or c == 0x7F:
        return f"'\\x{c:02x}'"
    return f"'{ch}'"


class _Reader:
    def __init__(self, data: bytes, positions: PositionMap) -> None:
        self.data = data
        self.i = 0
        self.positions = positions
        self.duplicate: DuplicateKeyError | None = None
        # line starts, for turning offsets into (line, col) cheaply
        self._line_starts = [0]
        for idx, b in enumerate(data):
            if b == 10:
                self._line_starts.append(idx + 1)

    # -- errors -------------------------------------------------------------------------------------------------
    def _invalid(self, context: str) -> JSONSyntaxError:
        if self.i >= len(self.data):
            return JSONSyntaxError("unexpected end of JSON input", len(self.data))
        return JSONSyntaxError(f"invalid character {_quote_char(self.data[self.i])} {context}", self.i + 1)

    def _linecol(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self._line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self._line_starts[lo] + 1

    def _mark(self, path: DocPath, offset: int) -> None:
        line, col = self._linecol(offset)
        self.positions.record(path, line, col)

    # -- grammar ------------------------------------------------------------------------------------------------
    def skip_ws(self) -> None:
        data, i = self.data, self.i
        while i < len(data) and data[i] in _WS:
            i += 1
        self.i = i

    def document(self) -> JSONValue:
        self.skip_ws()
        value = self.value((), "looking for beginning of value")
        self.skip_ws()
        if self.i < len(self.data):
            raise self._invalid("after top-level value")
        return value

    def value(self, path: DocPath, context: str) -> JSONValue:
        if self.i >= len(self.data):
            raise self._invalid(context)
        c = self.data[self.i]
        self._mark(path, self.i)
        if c == ord("{"):
            return self.obj(path)
        if c == ord("["):
            return self.arr(path)
        if c == ord('"'):
            return self.string()
        if c == ord("-") or ord("0") <= c <= ord("9"):
            return self.number()
        for word, val in ((b"true", True), (b"false", False), (b"null", None)):
            if c == word[0]:
                self.i += 1
                for expected in word[1:]:
                    if self.i >= len(self.data):
                        raise self._invalid("")
                    if self.data[self.i] != expected:
                        raise self._invalid(f"in literal {word.decode()} (expecting {_quote_char(expected)})")
                    self.i += 1
                return val
        raise self._invalid(context)

    def _open(self, close: str) -> bool:
        """Past the opening bracket: True (and past ``close``) when the container is empty."""
        self.i += 1
        self.skip_ws()
        if self.i < len(self.data) and self.data[self.i] == ord(close):
            self.i += 1
            return True
        return False

    def _after_item(self, close: str, context: str) -> bool:
        """After a member or element: past a comma (False, another follows) or ``close`` (True, the end)."""
        self.skip_ws()
        if self.i >= len(self.data):
            raise self._invalid("")
        c = self.data[self.i]
        if c == ord(","):
            self.i += 1
            return False
        if c == ord(close):
            self.i += 1
            return True
        raise self._invalid(context)

    def obj(self, path: DocPath) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {}
        if self._open("}"):
            return out
        while True:
            self.skip_ws()
            if self.i >= len(self.data) or self.data[self.i] != ord('"'):
                raise self._invalid("looking for beginning of object key string")
            key_at = self.i
            key = self.string()
            if key in out and self.duplicate is None:
                # reported only once the whole document is known to be well-formed, as Packer does
                self.duplicate = DuplicateKeyError(key, path + (key,))
            self.skip_ws()
            if self.i >= len(self.data) or self.data[self.i] != ord(":"):
                raise self._invalid("after object key")
            self.i += 1
            self.skip_ws()
            child = path + (key,)
            out[key] = self.value(child, "looking for beginning of value")
            # the key's position is the better anchor for messages about the key (unknown key, wrong type)
            self._mark(child, key_at)
            if self._after_item("}", "after object key:value pair"):
                return out

    def arr(self, path: DocPath) -> list[JSONValue]:
        out: list[JSONValue] = []
        if self._open("]"):
            return out
        while True:
            self.skip_ws()
            out.append(self.value(path + (len(out),), "looking for beginning of value"))
            if self._after_item("]", "after array element"):
                return out

    def string(self) -> str:
        data = self.data
        self.i += 1
        start = self.i
        chunks: list[str] = []
        while True:
            if self.i >= len(data):
                raise self._invalid("")
            c = data[self.i]
            if c == ord('"'):
                chunks.append(data[start : self.i].decode("utf-8", "replace"))
                self.i += 1
                return "".join(chunks)
            if c < 0x20:
                raise self._invalid("in string literal")
            if c == ord("\\"):
                chunks.append(data[start : self.i].decode("utf-8", "replace"))
                self.i += 1
                if self.i >= len(data):
                    raise self._invalid("")
                e = data[self.i]
                if e in _ESCAPES:
                    chunks.append(_ESCAPES[e])
                    self.i += 1
                elif e == ord("u"):
                    self.i += 1
                    code = self._hex4()
                    if 0xD800 <= code < 0xDC00 and data[self.i : self.i + 2] == b"\\u":
                        save = self.i
                        self.i += 2
                        low = self._hex4()
                        if 0xDC00 <= low < 0xE000:
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        else:
                            self.i = save
                            code = 0xFFFD
                    elif 0xD800 <= code < 0xE000:
                        code = 0xFFFD
                    chunks.append(chr(code))
                else:
                    raise self._invalid("in string escape code")
                start = self.i
                continue
            self.i += 1

    def _hex4(self) -> int:
        value = 0
        for _ in range(4):
            if self.i >= len(self.data):
                raise self._invalid("")
            c = self.data[self.i]
            digit = chr(c).lower()
            if digit not in "0123456789abcdef":
                raise self._invalid("in \\u hexadecimal character escape")
            value = value * 16 + int(digit, 16)
            self.i += 1
        return value

    def number(self) -> int | float:
        data, start = self.data, self.i
        if data[self.i] == ord("-"):
            self.i += 1
            if self.i >= len(data):
                raise self._invalid("")
            if not ord("0") <= data[self.i] <= ord("9"):
                raise self._invalid("in numeric literal")
        if data[self.i] == ord("0"):
            self.i += 1
        else:
            while self.i < len(data) and ord("0") <= data[self.i] <= ord("9"):
                self.i += 1
        is_float = False
        if self.i < len(data) and data[self.i] == ord("."):
            is_float = True
            self.i += 1
            if self.i >= len(data):
                raise self._invalid("")
            if not ord("0") <= data[self.i] <= ord("9"):
                raise self._invalid("after decimal point in numeric literal")
            while self.i < len(data) and ord("0") <= data[self.i] <= ord("9"):
                self.i += 1
        if self.i < len(data) and data[self.i] in b"eE":
            is_float = True
            self.i += 1
            if self.i < len(data) and data[self.i] in b"+-":
                self.i += 1
            if self.i >= len(data):
                raise self._invalid("")
            if not ord("0") <= data[self.i] <= ord("9"):
                raise self._invalid("in exponent of numeric literal")
            while self.i < len(data) and ord("0") <= data[self.i] <= ord("9"):
                self.i += 1
        text = data[start : self.i].decode()
        return float(text) if is_float else int(text)


def read_json(data: bytes, positions: PositionMap, *, reject_duplicates: bool = True) -> JSONValue:
    """Parse ``data``; raises ``JSONSyntaxError`` (Go's wording and offset) or ``DuplicateKeyError``.

    Templates reject duplicate keys (Packer checks them); var-files do not (Go's decoder keeps the last value).
    """
    reader = _Reader(data, positions)
    value = reader.document()
    if reader.duplicate is not None and reject_duplicates:
        raise reader.duplicate
    return value


def highlight(data: bytes, offset: int) -> tuple[int, int, str]:
    """Packer's ``highlightPosition``: line, column and the quoted context with a caret.

    Quirk kept on purpose: on line 1 the column counts the bytes read (starting at 0), on later lines it starts at 1
    after the newline, so the two differ by one. The caret sits ``col + 5`` spaces in.
    """
    line, col = 1, 0
    last_line = b""
    this_line = bytearray()
    for b in data[:offset]:
        if b == 10:
            last_line = bytes(this_line)
            this_line.clear()
            line += 1
            col = 1
        else:
            col += 1
            this_line.append(b)
    out = ""
    if line > 1:
        out += f"{line - 1:5d}: {last_line.decode('utf-8', 'replace')}\n"
    out += f"{line:5d}: {bytes(this_line).decode('utf-8', 'replace')}\n"
    out += " " * (col + 5) + "^\n"
    return line, col, out
