"""gobwas/glob v0.2.3 patterns without separators: how Packer 1.6.6 matches HCL2 ``-only``/``-except`` names.

``*`` and ``**`` match any run of characters (dots included: no separators are given), ``?`` one character,
``[abc]``/``[!abc]``/``[a-z]``/``[!a-z]`` a class, ``{a,b}`` alternatives, and ``\\`` escapes the next character.
Since the command line already splits ``-only=a,b`` at commas, ``{a,b}`` never arrives whole; an unclosed ``{`` is
accepted as gobwas accepts it. Malformed classes fail with gobwas's messages, which Packer prints as
``Invalid -only pattern PATTERN: MESSAGE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packer_py.errors import PackerPyError


class GlobError(PackerPyError):
    """A pattern gobwas/glob refuses to compile; ``str()`` is gobwas's message."""


_TEXT_BREAKERS = "?*[{"
_TERMS_BREAKERS = "?*[{},"


@dataclass
class _Lexer:
    data: str
    pos: int = 0
    terms: int = 0

    def read(self) -> str:
        if self.pos >= len(self.data):
            return ""
        ch = self.data[self.pos]
        self.pos += 1
        return ch

    def peek(self) -> str:
        return self.data[self.pos] if self.pos < len(self.data) else ""

    def text(self, breakers: str) -> str:
        out: list[str] = []
        escaped = False
        while self.pos < len(self.data):
            ch = self.data[self.pos]
            if not escaped:
                if ch == "\\":
                    escaped = True
                    self.pos += 1
                    continue
                if ch in breakers:
                    break
            escaped = False
            out.append(ch)
            self.pos += 1
        return "".join(out)


def _range(lex: _Lexer) -> str:
    """One ``[...]`` class (after ``[``), as a regular expression class."""
    negate = False
    lo = hi = chars = ""
    want_hi = want_close = False
    while True:
        ch = lex.read()
        if ch == "":
            raise GlobError("unexpected end of input")
        if want_close:
            if ch != "]":
                raise GlobError("expected close range character")
            break
        if want_hi:
            hi = ch
            want_close = True
            continue
        if not negate and ch == "!":
            negate = True
            continue
        if lex.peek() == "-":
            lex.read()
            lo = ch
            want_hi = True
            continue
        lex.pos -= 1
        chars = lex.text("]")
        want_close = True
    if hi:
        if hi < lo:
            raise GlobError(f"hi character '{hi}' should be greater than lo '{lo}'")
    if bool(chars) == bool(lo and hi):
        raise GlobError("could not parse range")
    body = f"{re.escape(lo)}-{re.escape(hi)}" if hi else "".join(re.escape(c) for c in chars)
    return f"[{'^' if negate else ''}{body}]"


def compile_glob(pattern: str) -> re.Pattern[str]:
    """The pattern as an anchored regular expression; raises ``GlobError`` as ``glob.Compile`` fails."""
    lex = _Lexer(pattern)
    out: list[str] = []
    depth = 0
    while True:
        ch = lex.read()
        if ch == "":
            break
        if ch == "{":
            depth += 1
            out.append("(?:")
        elif ch == "," and depth:
            out.append("|")
        elif ch == "}" and depth:
            depth -= 1
            out.append(")")
        elif ch == "[":
            out.append(_range(lex))
        elif ch == "?":
            out.append(".")
        elif ch == "*":
            if lex.peek() == "*":
                lex.read()
            out.append(".*")
        else:
            lex.pos -= 1
            out.append(re.escape(lex.text(_TERMS_BREAKERS if depth else _TEXT_BREAKERS)))
    out.append(")" * depth)
    return re.compile("".join(out), re.DOTALL)


def glob_matches(patterns: list[re.Pattern[str]], name: str) -> bool:
    return any(p.fullmatch(name) for p in patterns)


__all__ = ["GlobError", "compile_glob", "glob_matches"]
