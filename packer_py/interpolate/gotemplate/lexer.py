"""Stage 1: the lexer of Go's ``text/template`` (Go 1.19.8, the toolchain of the Debian ``packer`` 1.6.6 binary).

It is a state machine, like Go's ``parse/lex.go``, because the token stream must be *exactly* Go's: trim markers,
the line numbers in parse errors (``template: root:3: unclosed action``), and the order in which an error token
arrives relative to the tokens before it (``{{ ) }}`` is reported by the parser as ``unexpected ")" in command``
before the lexer's own complaint is ever read) all depend on it.

Positions are offsets into the Python ``str``; Go counts bytes, so whoever prints a column converts
(:func:`byte_column`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import NamedTuple, TypeAlias

from packer_py.interpolate.gotemplate.gostrings import format_unicode

__all__ = ["Token", "TokenType", "byte_column", "lex"]

_StateFn: TypeAlias = Callable[[], "_StateFn | None"]
_EOF = ""  # what next() returns at the end of the input (Go: eof = -1)
_SPACE = " \t\r\n"
_LEFT_DELIM = "{{"
_RIGHT_DELIM = "}}"
_LEFT_COMMENT = "/*"
_RIGHT_COMMENT = "*/"


class TokenType(enum.IntEnum):
    """Go's ``itemType`` values, in Go's order (keywords sort after ``KEYWORD``)."""

    ERROR = 0
    BOOL = 1
    CHAR = 2
    CHAR_CONSTANT = 3
    COMMENT = 4
    COMPLEX = 5
    ASSIGN = 6
    DECLARE = 7
    EOF = 8
    FIELD = 9
    IDENTIFIER = 10
    LEFT_DELIM = 11
    LEFT_PAREN = 12
    NUMBER = 13
    PIPE = 14
    RAW_STRING = 15
    RIGHT_DELIM = 16
    RIGHT_PAREN = 17
    SPACE = 18
    STRING = 19
    TEXT = 20
    VARIABLE = 21
    KEYWORD = 22
    BLOCK = 23
    BREAK = 24
    CONTINUE = 25
    DOT = 26
    DEFINE = 27
    ELSE = 28
    END = 29
    IF = 30
    NIL = 31
    RANGE = 32
    TEMPLATE = 33
    WITH = 34


_KEYWORDS = {
    ".": TokenType.DOT,
    "block": TokenType.BLOCK,
    "break": TokenType.BREAK,
    "continue": TokenType.CONTINUE,
    "define": TokenType.DEFINE,
    "else": TokenType.ELSE,
    "end": TokenType.END,
    "if": TokenType.IF,
    "range": TokenType.RANGE,
    "nil": TokenType.NIL,
    "template": TokenType.TEMPLATE,
    "with": TokenType.WITH,
}


class Token(NamedTuple):
    """One lexeme: its type, offset in the text, text (or error message) and the line it starts on."""

    type: TokenType
    pos: int
    value: str
    line: int

    def __str__(self) -> str:
        """Go's ``item.String()``, which parse errors quote (``unexpected "x" in command``)."""
        from packer_py.interpolate.gotemplate.gostrings import go_quote

        if self.type == TokenType.EOF:
            return "EOF"
        if self.type == TokenType.ERROR:
            return self.value
        if self.type > TokenType.KEYWORD:
            return f"<{self.value}>"
        if len(self.value.encode("utf-8", "surrogatepass")) > 10:
            return go_quote(self.value[:10]) + "..."
        return go_quote(self.value)


def byte_column(text: str, pos: int) -> tuple[int, int]:
    """(line, column) of offset ``pos`` as Go's ``Tree.ErrorContext`` prints them: 1-based line, 0-based byte column.

    Go's column is the byte offset from the start of the line, so it is 0-based (``{{ split }}`` is at ``1:3``).
    """
    before = text[:pos]
    line = 1 + before.count("\n")
    newline = before.rfind("\n")
    return line, len(before[newline + 1 :].encode("utf-8", "surrogatepass"))


def _is_space(c: str) -> bool:
    return c != _EOF and c in _SPACE


def _is_alnum(c: str) -> bool:
    """Go's ``isAlphaNumeric``: underscore, ``unicode.IsLetter`` (category L) or ``unicode.IsDigit`` (Nd)."""
    return c == "_" or (c != _EOF and (c.isalpha() or c.isdecimal()))


def _has_left_trim(s: str) -> bool:
    return len(s) >= 2 and s[0] == "-" and s[1] in _SPACE


def _has_right_trim(s: str) -> bool:
    return len(s) >= 2 and s[0] in _SPACE and s[1] == "-"


class _Lexer:
    """Go's ``lexer`` struct; each ``_lex_*`` method is one state function and returns the next one."""

    def __init__(self, text: str, *, break_ok: bool, continue_ok: bool) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.at_eof = False
        self.paren_depth = 0
        self.line = 1
        self.start_line = 1
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self.items: list[Token] = []

    # -- primitives (next/backup/peek mirror Go's, including the sticky at_eof flag) --

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.at_eof = True
            return _EOF
        c = self.input[self.pos]
        self.pos += 1
        if c == "\n":
            self.line += 1
        return c

    def peek(self) -> str:
        c = self.next()
        self.backup()
        return c

    def backup(self) -> None:
        if not self.at_eof and self.pos > 0:
            self.pos -= 1
            if self.input[self.pos] == "\n":
                self.line -= 1

    def emit(self, typ: TokenType) -> None:
        self.items.append(Token(typ, self.start, self.input[self.start : self.pos], self.start_line))
        self.start = self.pos
        self.start_line = self.line

    def ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def accept(self, valid: str) -> bool:
        c = self.next()
        if c != _EOF and c in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while True:
            c = self.next()
            if c == _EOF or c not in valid:
                break
        self.backup()

    def errorf(self, message: str) -> None:
        self.items.append(Token(TokenType.ERROR, self.start, message, self.start_line))

    def at_right_delim(self) -> tuple[bool, bool]:
        rest = self.input[self.pos :]
        if _has_right_trim(rest) and rest[2:].startswith(_RIGHT_DELIM):
            return True, True
        if rest.startswith(_RIGHT_DELIM):
            return True, False
        return False, False

    def at_terminator(self) -> bool:
        c = self.peek()
        if _is_space(c):
            return True
        if c in (_EOF, ".", ",", "|", ":", ")", "("):
            return True
        return self.input.startswith(_RIGHT_DELIM, self.pos)

    # -- state functions --

    def lex_text(self) -> _StateFn | None:
        x = self.input.find(_LEFT_DELIM, self.pos)
        if x >= 0:
            self.pos = x
            trim = 0
            if _has_left_trim(self.input[self.pos + 2 :]):
                chunk = self.input[self.start : self.pos]
                trim = len(chunk) - len(chunk.rstrip(_SPACE))
            self.pos -= trim
            if self.pos > self.start:
                self.line += self.input.count("\n", self.start, self.pos)
                self.emit(TokenType.TEXT)
            self.pos += trim
            self.ignore()
            return self.lex_left_delim
        self.pos = len(self.input)
        if self.pos > self.start:
            self.line += self.input.count("\n", self.start, self.pos)
            self.emit(TokenType.TEXT)
        self.emit(TokenType.EOF)
        return None

    def lex_left_delim(self) -> _StateFn | None:
        self.pos += len(_LEFT_DELIM)
        trim = _has_left_trim(self.input[self.pos :])
        after_marker = 2 if trim else 0
        if self.input.startswith(_LEFT_COMMENT, self.pos + after_marker):
            self.pos += after_marker
            self.ignore()
            return self.lex_comment
        self.emit(TokenType.LEFT_DELIM)
        self.pos += after_marker
        self.ignore()
        self.paren_depth = 0
        return self.lex_inside_action

    def lex_comment(self) -> _StateFn | None:
        self.pos += len(_LEFT_COMMENT)
        i = self.input.find(_RIGHT_COMMENT, self.pos)
        if i < 0:
            self.errorf("unclosed comment")
            return None
        self.pos = i + len(_RIGHT_COMMENT)
        delim, trim = self.at_right_delim()
        if not delim:
            self.errorf("comment ends before closing delimiter")
            return None
        if trim:
            self.pos += 2
        self.pos += len(_RIGHT_DELIM)
        if trim:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(_SPACE))
        self.ignore()
        return self.lex_text

    def lex_right_delim(self) -> _StateFn | None:
        trim = _has_right_trim(self.input[self.pos :])
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += len(_RIGHT_DELIM)
        self.emit(TokenType.RIGHT_DELIM)
        if trim:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(_SPACE))
            self.ignore()
        return self.lex_text

    def lex_inside_action(self) -> _StateFn | None:
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            self.errorf("unclosed left paren")
            return None
        c = self.next()
        if c == _EOF:
            self.errorf("unclosed action")
            return None
        if _is_space(c):
            self.backup()
            return self.lex_space
        if c == "=":
            self.emit(TokenType.ASSIGN)
        elif c == ":":
            if self.next() != "=":
                self.errorf("expected :=")
                return None
            self.emit(TokenType.DECLARE)
        elif c == "|":
            self.emit(TokenType.PIPE)
        elif c == '"':
            return self.lex_quote
        elif c == "`":
            return self.lex_raw_quote
        elif c == "$":
            return self.lex_variable
        elif c == "'":
            return self.lex_char
        elif c == "." and self.pos < len(self.input) and not ("0" <= self.input[self.pos] <= "9"):
            return self.lex_field
        elif c in ".+-" or "0" <= c <= "9":
            self.backup()
            return self.lex_number
        elif _is_alnum(c):
            self.backup()
            return self.lex_identifier
        elif c == "(":
            self.emit(TokenType.LEFT_PAREN)
            self.paren_depth += 1
        elif c == ")":
            self.emit(TokenType.RIGHT_PAREN)
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self.errorf(f"unexpected right paren {format_unicode(ord(c))}")
                return None
        elif ord(c) < 0x80 and c.isprintable():
            self.emit(TokenType.CHAR)
        else:
            self.errorf(f"unrecognized character in action: {format_unicode(ord(c))}")
            return None
        return self.lex_inside_action

    def lex_space(self) -> _StateFn | None:
        spaces = 0
        while True:
            c = self.peek()
            if not _is_space(c):
                break
            self.next()
            spaces += 1
        rest = self.input[self.pos - 1 :]
        if _has_right_trim(rest) and rest[2:].startswith(_RIGHT_DELIM):
            self.backup()
            if spaces == 1:
                return self.lex_right_delim
        self.emit(TokenType.SPACE)
        return self.lex_inside_action

    def lex_identifier(self) -> _StateFn | None:
        while True:
            c = self.next()
            if _is_alnum(c):
                continue
            self.backup()
            word = self.input[self.start : self.pos]
            if not self.at_terminator():
                self.errorf(f"bad character {format_unicode(ord(c))}")
                return None
            keyword = _KEYWORDS.get(word)
            if keyword is not None:
                if (keyword == TokenType.BREAK and not self.break_ok) or (
                    keyword == TokenType.CONTINUE and not self.continue_ok
                ):
                    self.emit(TokenType.IDENTIFIER)
                else:
                    self.emit(keyword)
            elif word[0] == ".":
                self.emit(TokenType.FIELD)
            elif word in ("true", "false"):
                self.emit(TokenType.BOOL)
            else:
                self.emit(TokenType.IDENTIFIER)
            return self.lex_inside_action

    def lex_field(self) -> _StateFn | None:
        return self._lex_field_or_variable(TokenType.FIELD)

    def lex_variable(self) -> _StateFn | None:
        if self.at_terminator():
            self.emit(TokenType.VARIABLE)
            return self.lex_inside_action
        return self._lex_field_or_variable(TokenType.VARIABLE)

    def _lex_field_or_variable(self, typ: TokenType) -> _StateFn | None:
        if self.at_terminator():
            self.emit(TokenType.VARIABLE if typ == TokenType.VARIABLE else TokenType.DOT)
            return self.lex_inside_action
        while True:
            c = self.next()
            if not _is_alnum(c):
                self.backup()
                break
        if not self.at_terminator():
            self.errorf(f"bad character {format_unicode(ord(c)) if c else 'U+FFFFFFFFFFFFFFFF'}")
            return None
        self.emit(typ)
        return self.lex_inside_action

    def _lex_quoted(self, quote: str, typ: TokenType, message: str) -> _StateFn | None:
        while True:
            c = self.next()
            if c == "\\":
                c2 = self.next()
                if c2 not in (_EOF, "\n"):
                    continue
                self.errorf(message)
                return None
            if c in (_EOF, "\n"):
                self.errorf(message)
                return None
            if c == quote:
                break
        self.emit(typ)
        return self.lex_inside_action

    def lex_char(self) -> _StateFn | None:
        return self._lex_quoted("'", TokenType.CHAR_CONSTANT, "unterminated character constant")

    def lex_quote(self) -> _StateFn | None:
        return self._lex_quoted('"', TokenType.STRING, "unterminated quoted string")

    def lex_raw_quote(self) -> _StateFn | None:
        while True:
            c = self.next()
            if c == _EOF:
                self.errorf("unterminated raw quoted string")
                return None
            if c == "`":
                break
        self.emit(TokenType.RAW_STRING)
        return self.lex_inside_action

    def lex_number(self) -> _StateFn | None:
        if not self._scan_number():
            self.errorf(f"bad number syntax: {_quote(self.input[self.start : self.pos])}")
            return None
        sign = self.peek()
        if sign in ("+", "-") and sign != _EOF:
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                self.errorf(f"bad number syntax: {_quote(self.input[self.start : self.pos])}")
                return None
            self.emit(TokenType.COMPLEX)
        else:
            self.emit(TokenType.NUMBER)
        return self.lex_inside_action

    def _scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 10 + 1 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 16 + 6 + 1 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if _is_alnum(self.peek()):
            self.next()
            return False
        return True


def _quote(s: str) -> str:
    from packer_py.interpolate.gotemplate.gostrings import go_quote

    return go_quote(s)


def lex(text: str, *, break_ok: bool = True, continue_ok: bool = True) -> Iterator[Token]:
    """Yield Go's tokens for ``text``; an ``ERROR`` token, if any, is the last one.

    Lexing is lazy, one state at a time, as Go's lexing goroutine feeds the parser through a channel: a parse error
    stops the work early, and a pathological input is never scanned further than the parser reads.
    """
    lexer = _Lexer(text, break_ok=break_ok, continue_ok=continue_ok)
    state: _StateFn | None = lexer.lex_text
    while state is not None:
        state = state()
        yield from lexer.items
        lexer.items.clear()
    yield from lexer.items
