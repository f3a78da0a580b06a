"""Packer's canonical HCL2 layout: a port of hashicorp/hcl v2.6.0 ``hclwrite.Format`` (the version Packer 1.6.6 uses).

``hclwrite.Format`` never builds a syntax tree. It scans the source into hclsyntax tokens, remembers how many spaces
preceded each token, rewrites only those counts and writes the tokens back. So this module has the same two halves:

* ``lex`` follows hclsyntax's Ragel scanner (``scan_tokens.rl``) closely enough that every token boundary and type the
  formatter looks at is the same: longest match in the main machine, quoted templates with ``${``/``%{`` sequences
  and ``$${`` escapes, heredocs whose closing marker is recognised only at the start of a line (and keeps its
  indentation as part of the token), ``#``/``//`` comments that swallow their newline, ``/* */`` comments, and the
  scanner's fallbacks for bytes it cannot match (``TokenInvalid``, ``TokenBadUTF8``). Like hclwrite we count a tab
  between tokens as one space, and a UTF-8 byte-order mark as three.
* ``format_tokens`` runs hclwrite's three passes: indentation by an "indent stack" of bracket counts per line, the
  spacing rules of ``spaceAfterToken`` (including 1.6.6's quirks: ``! x`` keeps a space after the bang, ``%{if x}``
  loses the inner spaces, a for-expression's ``:`` gets one before it), then vertical alignment of ``=`` and of
  trailing comments across runs of consecutive lines, measured in grapheme clusters.

Input that does not parse is still formatted (hclwrite ignores syntax errors); Packer refuses it earlier, see
``formatter.py``. Newer hcl versions (Packer 1.7+) drop the space after ``!`` and know ``::``; we follow 1.6.6.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

__all__ = ["Token", "TokenType", "format_hcl", "format_tokens", "lex", "render"]


class TokenType(Enum):
    """hclsyntax's token types (only the distinctions that the scanner or the formatter make)."""

    OBRACE = "{"
    CBRACE = "}"
    OBRACK = "["
    CBRACK = "]"
    OPAREN = "("
    CPAREN = ")"
    OQUOTE = "«"
    CQUOTE = "»"
    OHEREDOC = "H"
    CHEREDOC = "h"
    STAR = "*"
    SLASH = "/"
    PLUS = "+"
    MINUS = "-"
    PERCENT = "%"
    EQUAL = "="
    EQUAL_OP = "=="
    NOT_EQUAL = "!="
    LESS_THAN = "<"
    LESS_THAN_EQ = "<="
    GREATER_THAN = ">"
    GREATER_THAN_EQ = ">="
    AND = "&&"
    OR = "||"
    BANG = "!"
    DOT = "."
    COMMA = ","
    ELLIPSIS = "..."
    FAT_ARROW = "=>"
    QUESTION = "?"
    COLON = ":"
    TEMPLATE_INTERP = "${"
    TEMPLATE_CONTROL = "%{"
    TEMPLATE_SEQ_END = "∎"
    QUOTED_LIT = "Q"
    STRING_LIT = "S"
    NUMBER_LIT = "N"
    IDENT = "I"
    COMMENT = "C"
    NEWLINE = "\n"
    EOF = "␄"
    BITWISE_AND = "&"
    BITWISE_OR = "|"
    BITWISE_NOT = "~"
    BITWISE_XOR = "^"
    APOSTROPHE = "'"
    BACKTICK = "`"
    SEMICOLON = ";"
    INVALID = "�"
    BAD_UTF8 = "💩"
    QUOTED_NEWLINE = "␤"
    NIL = "\x00"


T = TokenType

# Single characters that the scanner's SelfToken rule turns into a token of their own type.
_SELF_TOKENS = {
    "[": T.OBRACK,
    "]": T.CBRACK,
    "(": T.OPAREN,
    ")": T.CPAREN,
    ".": T.DOT,
    ",": T.COMMA,
    "*": T.STAR,
    "/": T.SLASH,
    "%": T.PERCENT,
    "+": T.PLUS,
    "-": T.MINUS,
    "=": T.EQUAL,
    "<": T.LESS_THAN,
    ">": T.GREATER_THAN,
    "!": T.BANG,
    "?": T.QUESTION,
    ":": T.COLON,
    "&": T.BITWISE_AND,
    "|": T.BITWISE_OR,
    "~": T.BITWISE_NOT,
    "^": T.BITWISE_XOR,
    ";": T.SEMICOLON,
    "`": T.BACKTICK,
    "'": T.APOSTROPHE,
}
_OPERATORS = {
    "...": T.ELLIPSIS,
    "==": T.EQUAL_OP,
    "!=": T.NOT_EQUAL,
    ">=": T.GREATER_THAN_EQ,
    "<=": T.LESS_THAN_EQ,
    "&&": T.AND,
    "||": T.OR,
    "=>": T.FAT_ARROW,
}
# NumberLit = digit (NumberLitContinue* not ending in '.'), NumberLitContinue = digit | '.' | [eE][+-]?digit
_NUMBER = re.compile(r"[0-9](?:(?:[0-9.]|[eE][+-]?[0-9])*(?:[0-9]|[eE][+-]?[0-9]))?")
# Go's unicode.IsSpace, which bytes.TrimSpace uses on a heredoc line before comparing it with the marker.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_GO_SPACE += "\u2028\u2029\u202f\u205f\u3000"


@dataclass(slots=True)
class Token:
    """One hclsyntax token and the number of spaces written before it (all that formatting changes)."""

    type: TokenType
    text: str
    spaces_before: int = 0


@functools.lru_cache(maxsize=4096)
def _is_id_start(ch: str) -> bool:
    return ch == "_" or ch.isidentifier()


@functools.lru_cache(maxsize=4096)
def _is_id_continue(ch: str) -> bool:
    return ch == "-" or ("_" + ch).isidentifier()


def _is_broken(ch: str) -> bool:
    """A byte that is not valid UTF-8 (decoded with ``surrogateescape``): hclsyntax's BrokenUTF8."""
    return "\udc80" <= ch <= "\udcff"


@dataclass
class _Heredoc:
    marker: str
    start_of_line: bool = True


class _Scanner:
    """The state of hclsyntax's scanner: a call stack of machines, brace counts and open heredocs."""

    def __init__(self, src: str) -> None:
        self.bom = 0
        if src.startswith("\ufeff"):
            src = src[1:]
            self.bom = 3  # the BOM's three bytes count as spaces before the first token
        self.src = src
        self.n = len(src)
        self.tokens: list[Token] = []
        self.last_end = 0
        self.modes: list[str] = ["main"]
        self.braces = 0
        self.ret_braces: list[int] = []
        self.heredocs: list[_Heredoc] = []

    def emit(self, type_: TokenType, start: int, end: int) -> None:
        spaces = start - self.last_end
        if not self.tokens:
            spaces += self.bom
        self.tokens.append(Token(type_, self.src[start:end], spaces))
        self.last_end = end

    def run(self) -> list[Token]:
        p = 0
        while p < self.n:
            mode = self.modes[-1]
            if mode == "main":
                p = self._main(p)
            elif mode == "string":
                p = self._string(p)
            else:
                p = self._heredoc(p)
        self.emit(T.EOF, self.n, self.n)
        return self.tokens

    # -- shared actions ---------------------------------------------------------------------------------------------
    def _begin_sequence(self, p: int) -> int | None:
        """``${`` / ``%{`` (optionally ``~``) open a template sequence scanned by the main machine."""
        src = self.src
        if src[p] in "$%" and p + 1 < self.n and src[p + 1] == "{":
            end = p + 3 if p + 2 < self.n and src[p + 2] == "~" else p + 2
            self.emit(T.TEMPLATE_INTERP if src[p] == "$" else T.TEMPLATE_CONTROL, p, end)
            self.braces += 1
            self.ret_braces.append(self.braces)
            if self.heredocs:
                self.heredocs[-1].start_of_line = False
            self.modes.append("main")
            return end
        return None

    def _close_sequence(self) -> bool:
        if self.ret_braces and self.ret_braces[-1] == self.braces:
            self.ret_braces.pop()
            self.braces -= 1
            self.modes.pop()
            return True
        return False

    # -- main machine -----------------------------------------------------------------------------------------------
    def _main(self, p: int) -> int:
        src, n = self.src, self.n
        c = src[p]
        if c in " \t":
            while p < n and src[p] in " \t":
                p += 1
            return p
        if "0" <= c <= "9":
            m = _NUMBER.match(src, p)
            assert m is not None
            self.emit(T.NUMBER_LIT, p, m.end())
            return m.end()
        if _is_id_start(c):
            q = p + 1
            while q < n and _is_id_continue(src[q]):
                q += 1
            self.emit(T.IDENT, p, q)
            return q
        if c == "#" or (c == "/" and src.startswith("//", p)):
            q = src.find("\n", p)
            q = n if q < 0 else q + 1
            self.emit(T.COMMENT, p, q)
            return q
        if c == "/" and src.startswith("/*", p):
            q = src.find("*/", p + 2)
            if q >= 0:
                self.emit(T.COMMENT, p, q + 2)
                return q + 2
        if c == "\n" or (c == "\r" and src.startswith("\r\n", p)):
            q = p + (1 if c == "\n" else 2)
            self.emit(T.NEWLINE, p, q)
            return q
        if c == "<" and src.startswith("<<", p):
            intro_end = self._heredoc_intro(p)
            if intro_end is not None:
                return intro_end
        for op, type_ in _OPERATORS.items():
            if src.startswith(op, p):
                self.emit(type_, p, p + len(op))
                return p + len(op)
        if c == "{":
            self.emit(T.OBRACE, p, p + 1)
            self.braces += 1
            return p + 1
        if c == "}":
            if self.ret_braces and self.ret_braces[-1] == self.braces:
                self.emit(T.TEMPLATE_SEQ_END, p, p + 1)
                self._close_sequence()
            else:
                self.emit(T.CBRACE, p, p + 1)
                self.braces -= 1
            return p + 1
        if c == "~" and src.startswith("~}", p):
            # Always a sequence end, even when it cannot close one (the parser reports that).
            self.emit(T.TEMPLATE_SEQ_END, p, p + 2)
            if not self._close_sequence():
                self.braces -= 1
            return p + 2
        if c == '"':
            self.emit(T.OQUOTE, p, p + 1)
            self.modes.append("string")
            return p + 1
        if c in _SELF_TOKENS:
            self.emit(_SELF_TOKENS[c], p, p + 1)
            return p + 1
        self.emit(T.BAD_UTF8 if _is_broken(c) else T.INVALID, p, p + 1)
        return p + 1

    def _heredoc_intro(self, p: int) -> int | None:
        """``<<EOT`` or ``<<-EOT`` and the newline that must follow, else None (then ``<`` is a LessThan)."""
        src, n = self.src, self.n
        q = p + 2
        if q < n and src[q] == "-":
            q += 1
        if q >= n or not _is_id_start(src[q]):
            return None
        start = q
        q += 1
        while q < n and _is_id_continue(src[q]):
            q += 1
        marker = src[start:q]
        if src.startswith("\n", q):
            end = q + 1
        elif src.startswith("\r\n", q):
            end = q + 2
        else:
            return None
        self.emit(T.OHEREDOC, p, end)
        self.heredocs.append(_Heredoc(marker))
        self.modes.append("heredoc")
        return end

    # -- quoted template ----------------------------------------------------------------------------------------------
    def _string(self, p: int) -> int:
        src, n = self.src, self.n
        c = src[p]
        q = self._begin_sequence(p)
        if q is not None:
            return q
        if c == '"':
            self.emit(T.CQUOTE, p, p + 1)
            self.modes.pop()
            return p + 1
        if c in "$%":
            if p + 1 >= n:
                self.emit(T.INVALID, p, p + 1)
                return p + 1
            end = p + 1
            if src.startswith(c + "{", p + 1):  # "$${" / "%%{" escapes
                end = p + 4 if src.startswith("~", p + 3) else p + 3
            self.emit(T.QUOTED_LIT, p, end)
            return end
        if c in "\r\n":
            q = p
            while q < n and src[q] in "\r\n":
                q += 1
            self.emit(T.QUOTED_NEWLINE, p, q)
            return q
        if _is_broken(c):
            self.emit(T.BAD_UTF8, p, p + 1)
            return p + 1
        q = p
        while q < n:
            ch = src[q]
            if ch == "\\":
                if q + 1 < n and src[q + 1] not in "\r\n" and not _is_broken(src[q + 1]):
                    q += 2
                    continue
                break
            if ch in '$%"\r\n' or _is_broken(ch):
                break
            q += 1
        if q == p:  # a backslash that escapes nothing
            self.emit(T.INVALID, p, p + 1)
            return p + 1
        self.emit(T.QUOTED_LIT, p, q)
        return q

    # -- heredoc template ---------------------------------------------------------------------------------------------
    def _heredoc(self, p: int) -> int:
        src, n = self.src, self.n
        doc = self.heredocs[-1]
        q = self._begin_sequence(p)
        if q is not None:
            return q
        c = src[p]
        if c in "$%":
            if p + 1 >= n:
                self.emit(T.INVALID, p, n)
                return n
            end = p + 1
            if src.startswith(c + "{", p + 1):
                end = p + 4 if src.startswith("~", p + 3) else p + 3
            doc.start_of_line = False
            self.emit(T.STRING_LIT, p, end)
            return end
        q = p
        while q < n and src[q] not in "$%\r\n" and not _is_broken(src[q]):
            q += 1
        eol = 1 if src.startswith("\n", q) else 2 if src.startswith("\r\n", q) else 0
        if eol:
            if doc.start_of_line and src[p:q].strip(_GO_SPACE) == doc.marker:
                self.emit(T.CHEREDOC, p, q)
                self.emit(T.NEWLINE, q, q + eol)
                self.heredocs.pop()
                self.modes.pop()
                return q + eol
            doc.start_of_line = True
            self.emit(T.STRING_LIT, p, q + eol)
            return q + eol
        if q > p:
            doc.start_of_line = False
            self.emit(T.STRING_LIT, p, q)
            return q
        if _is_broken(c):
            self.emit(T.BAD_UTF8, p, p + 1)
            return p + 1
        # A lone carriage return: no heredoc rule matches, the scanner stops and the rest is one invalid token.
        self.emit(T.INVALID, p, n)
        return n


def lex(src: str) -> list[Token]:
    """Tokens of HCL native syntax as hclsyntax's ``LexConfig`` scans them, ending with an EOF token."""
    return _Scanner(src).run()


# -- formatting ----------------------------------------------------------------------------------------------------
_OPENERS = {T.OBRACE, T.OBRACK, T.OPAREN, T.TEMPLATE_CONTROL, T.TEMPLATE_INTERP}
_CLOSERS = {T.CBRACE, T.CBRACK, T.CPAREN, T.TEMPLATE_SEQ_END}
_NIL = Token(T.NIL, "")


def _bracket_change(tok: Token) -> int:
    if tok.type in _OPENERS:
        return 1
    if tok.type in _CLOSERS:
        return -1
    return 0


def _is_newline(tok: Token) -> bool:
    """Newlines, and single-line comments, which end in (and so count as) one."""
    return tok.type is T.NEWLINE or (tok.type is T.COMMENT and tok.text.endswith("\n"))


@dataclass
class _Line:
    lead: list[Token]
    assign: list[Token] | None = None
    comment: list[Token] | None = None


def _lines(tokens: list[Token]) -> list[_Line]:
    """Split into lines, each with up to three cells: lead, ``= expression`` (assign) and trailing comment."""
    lines: list[_Line] = []
    current: list[Token] = []
    for tok in tokens:
        if tok.type is T.EOF:
            break
        current.append(tok)
        if _is_newline(tok):
            lines.append(_Line(current))
            current = []
    lines.append(_Line(current))
    for line in lines:
        lead = line.lead
        if not lead:
            continue
        if len(lead) > 1 and lead[-1].type is T.COMMENT:
            line.comment = lead[-1:]
            lead = line.lead = lead[:-1]
        for i, tok in enumerate(lead):
            if i > 0 and tok.type is T.EQUAL:
                # Only a whole expression on this line becomes an aligned cell; an opening bracket means the
                # value goes on over several lines.
                if sum(_bracket_change(t) for t in lead[i:]) == 0:
                    line.assign = lead[i:]
                    line.lead = lead[:i]
                break
    return lines


def _format_indent(lines: list[_Line]) -> None:
    indents: list[int] = []
    for line in lines:
        if not line.lead:
            continue
        first = line.lead[0]
        if first.type is T.NEWLINE:
            first.spaces_before = 0
            continue
        net = 0
        for tok in line.lead:
            net += _bracket_change(tok)
            if tok.type is T.OHEREDOC:
                break
        for tok in line.assign or ():
            net += _bracket_change(tok)
        if net > 0:
            first.spaces_before = 2 * len(indents)
            indents.append(net)
            continue
        closed = -net
        while closed > 0 and indents:
            if closed > indents[-1]:
                closed -= indents.pop()
            elif closed < indents[-1]:
                indents[-1] -= closed
                closed = 0
            else:
                indents.pop()
                closed = 0
        first.spaces_before = 2 * len(indents)


_NEGATION_BEFORE = {
    T.NIL,
    T.OPAREN,
    T.OBRACE,
    T.OBRACK,
    T.EQUAL,
    T.COLON,
    T.COMMA,
    T.QUESTION,
    T.PLUS,
    T.STAR,
    T.SLASH,
    T.PERCENT,
    T.MINUS,
    T.EQUAL_OP,
    T.NOT_EQUAL,
    T.GREATER_THAN,
    T.GREATER_THAN_EQ,
    T.LESS_THAN,
    T.LESS_THAN_EQ,
    T.AND,
    T.OR,
    T.BANG,
}
_TEMPLATE_SUBJECTS = {T.QUOTED_LIT, T.STRING_LIT, T.OQUOTE, T.OHEREDOC}
_TEMPLATE_AFTERS = {T.QUOTED_LIT, T.STRING_LIT, T.CQUOTE, T.CHEREDOC}


def _space_after(subject: Token, before: Token, after: Token) -> bool:
    """hclwrite v2.6.0's ``spaceAfterToken``, rule for rule and in the same order."""
    s, a = subject.type, after.type
    if a is T.NEWLINE or a is T.NIL:
        return False
    if s is T.IDENT and a is T.OPAREN:
        return False
    if s is T.DOT or a is T.DOT:
        return False
    if a is T.COMMA or a is T.ELLIPSIS:
        return False
    if s is T.COMMA:
        return True
    if s in _TEMPLATE_SUBJECTS or a in _TEMPLATE_AFTERS:
        return False
    if s is T.IDENT and subject.text == "in" and before.type is T.IDENT:
        return True
    if a is T.OBRACK and (s is T.IDENT or s is T.NUMBER_LIT or _bracket_change(subject) < 0):
        return False
    if s is T.MINUS:
        return before.type not in _NEGATION_BEFORE
    if s is T.OBRACE or a is T.CBRACE:
        return not (s is T.OBRACE and a is T.CBRACE)
    if (s is T.TEMPLATE_INTERP or s is T.TEMPLATE_CONTROL) and a is T.OBRACE:
        return True
    if s is T.CBRACE and a is T.TEMPLATE_SEQ_END:
        return True
    if s is T.TEMPLATE_SEQ_END and (a is T.TEMPLATE_INTERP or a is T.TEMPLATE_CONTROL):
        return False
    if _bracket_change(subject) > 0:
        return False
    if _bracket_change(after) < 0:
        return False
    return True


def _format_cell_spaces(cell: list[Token]) -> None:
    for i in range(len(cell) - 1):
        subject = cell[i]
        before = cell[i - 1] if i > 0 else _NIL
        after = cell[i + 1]
        after.spaces_before = 1 if _space_after(subject, before, after) else 0


def _format_spaces(lines: list[_Line]) -> None:
    for line in lines:
        _format_cell_spaces(line.lead)
        if line.assign:
            line.assign[0].spaces_before = 1
            _format_cell_spaces(line.assign)


def _columns(cell: list[Token] | None) -> int:
    return sum(tok.spaces_before + grapheme_count(tok.text) for tok in cell or ())


def _format_cells(lines: list[_Line]) -> None:
    """Align the ``=`` of consecutive single-line attributes, then the trailing comments of consecutive lines."""

    def align(cell_of: str, width_of: str) -> None:
        start = -1
        widest = 0

        def close(end: int) -> None:
            for chain_line in lines[start:end]:
                cell = getattr(chain_line, cell_of)
                width = sum(_columns(getattr(chain_line, name)) for name in width_of.split())
                cell[0].spaces_before = widest - width + 1

        for i, line in enumerate(lines):
            if getattr(line, cell_of) is None:
                if start != -1:
                    close(i)
                    start, widest = -1, 0
            else:
                if start == -1:
                    start = i
                width = sum(_columns(getattr(line, name)) for name in width_of.split())
                widest = max(widest, width)
        if start != -1:
            close(len(lines))

    align("assign", "lead")
    align("comment", "lead assign")


def format_tokens(tokens: list[Token]) -> None:
    """Rewrite ``spaces_before`` of the tokens in place into the canonical layout (hclwrite's ``format``)."""
    lines = _lines(tokens)
    _format_indent(lines)
    _format_spaces(lines)
    _format_cells(lines)


def render(tokens: list[Token]) -> str:
    return "".join(" " * tok.spaces_before + tok.text for tok in tokens)


def format_hcl(src: bytes) -> bytes:
    """``hclwrite.Format``: the canonical layout of HCL native syntax. Only whitespace between tokens changes."""
    tokens = lex(src.decode("utf-8", "surrogateescape"))
    format_tokens(tokens)
    return render(tokens).encode("utf-8", "surrogateescape")


# -- grapheme clusters ---------------------------------------------------------------------------------------------
_REGIONAL = range(0x1F1E6, 0x1F200)


@functools.lru_cache(maxsize=4096)
def _extends(ch: str) -> bool:
    """Characters that join the grapheme cluster before them (Extend, SpacingMark, ZWJ, emoji modifiers)."""
    if ch in "\u200c\u200d":
        return True
    cp = ord(ch)
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
        return True
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def _hangul_kind(ch: str) -> str:
    cp = ord(ch)
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return ""


_HANGUL_JOINS = {("L", "L"), ("L", "V"), ("L", "LV"), ("L", "LVT"), ("LV", "V"), ("LV", "T"), ("V", "V")}
_HANGUL_JOINS |= {("V", "T"), ("LVT", "T"), ("T", "T")}


def grapheme_count(text: str) -> int:
    """How many columns hclwrite counts for ``text``: extended grapheme clusters (go-textseg), approximated.

    ASCII is exact (``\\r\\n`` is one cluster); combining marks, joiners, emoji modifiers, regional-indicator pairs and
    Hangul syllable sequences join the cluster before them.
    """
    if text.isascii():
        return len(text) - text.count("\r\n")
    count = 0
    prev = ""
    regional_open = False
    for ch in text:
        cp = ord(ch)
        if prev and prev != "\r" and prev != "\n" and ch not in "\r\n":
            if _extends(ch) or (prev == "\u200d" and (cp >= 0x1F000 or unicodedata.category(ch) == "So")):
                prev = ch
                continue
            if cp in _REGIONAL and regional_open:
                regional_open = False
                prev = ch
                continue
            if (_hangul_kind(prev), _hangul_kind(ch)) in _HANGUL_JOINS:
                prev = ch
                continue
        elif prev == "\r" and ch == "\n":
            prev = ch
            continue
        regional_open = cp in _REGIONAL
        count += 1
        prev = ch
    return count
