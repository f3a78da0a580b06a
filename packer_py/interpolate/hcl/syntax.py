"""HCL native syntax: scanner, parser and AST, with hashicorp/hcl v2.6.0's ranges and parse diagnostics.

Packer 1.6.6 parses ``*.pkr.hcl`` files with ``hclsyntax`` of hashicorp/hcl v2.6.0; its parse errors reach users
verbatim (``Error: Argument or block definition required`` + the source line), so this module reproduces that
parser's grammar, recovery and wording rather than delegating to a generic grammar. Ranges are 1-based lines and
columns (columns count characters, HCL counts grapheme clusters: the same for nearly all text) plus a 0-based
character offset, as ``hcl.Range`` keeps them, because diagnostics print ``FILE:4,3-13`` and quote source lines.

Public entry points: ``parse_config(text, filename)`` → ``(Body, diags)``, ``parse_expression(text, filename)`` →
``(Expr, diags)``. Evaluation lives in ``evaluator.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from packer_py.interpolate.hcl.values import DYNAMIC_VAL, Value, parse_number_val, string_val

# ---------------------------------------------------------------------------------------------------------------
# positions and diagnostics


@dataclass(frozen=True)
class SrcPos:
    line: int = 1
    column: int = 1
    byte: int = 0


@dataclass(frozen=True)
class Range:
    """``hcl.Range``: ``filename`` plus start (inclusive) and end (exclusive) positions."""

    filename: str
    start: SrcPos
    end: SrcPos

    def __str__(self) -> str:
        if self.start.line == self.end.line:
            return f"{self.filename}:{self.start.line},{self.start.column}-{self.end.column}"
        return f"{self.filename}:{self.start.line},{self.start.column}-{self.end.line},{self.end.column}"

    @property
    def empty(self) -> bool:
        return self.start.byte == self.end.byte

    def contains_offset(self, offset: int) -> bool:
        return self.start.byte <= offset < self.end.byte

    def overlaps(self, other: Range) -> bool:
        if self.empty or other.empty:
            return (
                self.start.byte <= other.end.byte
                and other.start.byte <= self.end.byte
                and (self.start.byte == other.start.byte or not (self.empty and other.empty))
            )
        return self.start.byte < other.end.byte and other.start.byte < self.end.byte


def between(a: Range, b: Range) -> Range:
    """``hcl.RangeBetween``."""
    return Range(a.filename, a.start, b.end)


def range_over(a: Range, b: Range) -> Range:
    """``hcl.RangeOver``: covers both ranges (an empty one is ignored)."""
    if a.empty:
        return b
    if b.empty:
        return a
    start = a.start if a.start.byte < b.start.byte else b.start
    end = a.end if a.end.byte > b.end.byte else b.end
    return Range(a.filename, start, end)


@dataclass
class HclDiagnostic:
    """``hcl.Diagnostic``. ``expression``/``eval_ctx`` let the text writer print ``with var.x as "a".`` lines."""

    severity: Literal["error", "warning"]
    summary: str
    detail: str = ""
    subject: Range | None = None
    context: Range | None = None
    expression: object | None = field(default=None, repr=False, compare=False)
    eval_ctx: object | None = field(default=None, repr=False, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def err(summary: str, detail: str, subject: Range | None = None, context: Range | None = None) -> HclDiagnostic:
    return HclDiagnostic("error", summary, detail, subject, context)


def has_errors(diags: list[HclDiagnostic]) -> bool:
    return any(d.is_error for d in diags)


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def name_suggestion(given: str, suggestions: list[str]) -> str:
    """hclsyntax's ``nameSuggestion``: the first candidate within edit distance 2."""
    for s in suggestions:
        if levenshtein(given, s) < 3:
            return s
    return ""


# ---------------------------------------------------------------------------------------------------------------
# tokens

T_OBRACE, T_CBRACE, T_OBRACK, T_CBRACK, T_OPAREN, T_CPAREN = "{", "}", "[", "]", "(", ")"
T_OQUOTE, T_CQUOTE, T_OHEREDOC, T_CHEREDOC = "«", "»", "H", "h"
T_STAR, T_SLASH, T_PLUS, T_MINUS, T_PERCENT = "*", "/", "+", "-", "%"
T_EQUAL, T_EQUALOP, T_NOTEQUAL, T_LT, T_LE, T_GT, T_GE = "=", "≔", "≠", "<", "≤", ">", "≥"
T_AND, T_OR, T_BANG, T_DOT, T_COMMA, T_ELLIPSIS, T_FATARROW, T_QUESTION, T_COLON = (
    "∧",
    "∨",
    "!",
    ".",
    ",",
    "…",
    "⇒",
    "?",
    ":",
)
T_INTERP, T_CONTROL, T_SEQEND = "∫", "λ", "∎"
T_QUOTEDLIT, T_STRINGLIT, T_NUMBER, T_IDENT, T_COMMENT, T_NEWLINE, T_EOF = "Q", "S", "N", "I", "C", "\n", "␄"
T_BITAND, T_BITOR, T_BITNOT, T_BITXOR = "&", "|", "~", "^"
T_APOSTROPHE, T_BACKTICK, T_SEMICOLON = "'", "`", ";"
T_INVALID, T_BADUTF8, T_QUOTEDNEWLINE = "�", "💩", "␤"

_SELF = set("[]().,*/%+-=<>!?:&|~^;`'")
_TWO = {"==": T_EQUALOP, "!=": T_NOTEQUAL, ">=": T_GE, "<=": T_LE, "&&": T_AND, "||": T_OR, "=>": T_FATARROW}


@dataclass
class Token:
    type: str
    text: str
    range: Range


def _is_id_start(ch: str) -> bool:
    return ch == "_" or ch.isidentifier()


def _is_id_continue(ch: str) -> bool:
    return ch == "-" or ("a" + ch).isidentifier()


class _Scanner:
    """A hand-written equivalent of hclsyntax's Ragel scanner (``scan_tokens.rl``)."""

    def __init__(self, src: str, filename: str, start: SrcPos) -> None:
        self.src = src
        self.filename = filename
        self.tokens: list[Token] = []
        self.line = start.line
        self.col = start.column
        self.base = start.byte
        self.pos = 0  # next unconsumed character

    def emit(self, ty: str, start: int, end: int) -> None:
        # positions advance only through emitted tokens and skipped spaces, as in tokenAccum
        self._advance_to(start)
        sp = SrcPos(self.line, self.col, self.base + start)
        text = self.src[start:end]
        nl = text.count("\n")
        if nl:
            self.line += nl
            self.col = len(text) - text.rfind("\n")
        else:
            self.col += len(text)
        self._cursor = end
        self.tokens.append(Token(ty, text, Range(self.filename, sp, SrcPos(self.line, self.col, self.base + end))))

    _cursor = 0

    def _advance_to(self, start: int) -> None:
        # only spaces/tabs are skipped between tokens
        self.col += start - self._cursor
        self._cursor = start

    # -- modes -------------------------------------------------------------------------------------------------

    def scan(self, mode: str = "normal") -> list[Token]:
        src = self.src
        n = len(src)
        stack: list[str] = ["bare" if mode == "template" else "main"]
        braces = 0
        ret_braces: list[int] = []
        heredocs: list[list[Any]] = []  # [marker, start_of_line]
        i = 0
        while i < n:
            m = stack[-1]
            ch = src[i]
            if m == "main":
                if ch in " \t":
                    j = i
                    while j < n and src[j] in " \t":
                        j += 1
                    i = j
                    continue
                if ch.isdigit() and ch.isascii():
                    j = i + 1
                    while j < n:
                        c = src[j]
                        if c.isascii() and c.isdigit() or c == ".":
                            j += 1
                        elif c in "eE":
                            k = j + 1
                            if k < n and src[k] in "+-":
                                k += 1
                            if k < n and src[k].isascii() and src[k].isdigit():
                                j = k + 1
                            else:
                                break
                        else:
                            break
                    while src[j - 1] == ".":
                        j -= 1
                    self.emit(T_NUMBER, i, j)
                    i = j
                    continue
                if _is_id_start(ch):
                    j = i + 1
                    while j < n and _is_id_continue(src[j]):
                        j += 1
                    self.emit(T_IDENT, i, j)
                    i = j
                    continue
                if ch == "#" or src.startswith("//", i):
                    j = src.find("\n", i)
                    j = n if j < 0 else j + 1
                    self.emit(T_COMMENT, i, j)
                    i = j
                    continue
                if src.startswith("/*", i):
                    j = src.find("*/", i + 2)
                    if j >= 0:
                        self.emit(T_COMMENT, i, j + 2)
                        i = j + 2
                        continue
                if ch == "\n":
                    self.emit(T_NEWLINE, i, i + 1)
                    i += 1
                    continue
                if ch == "\r" and i + 1 < n and src[i + 1] == "\n":
                    self.emit(T_NEWLINE, i, i + 2)
                    i += 2
                    continue
                if src.startswith("...", i):
                    self.emit(T_ELLIPSIS, i, i + 3)
                    i += 3
                    continue
                two = src[i : i + 2]
                if two in _TWO:
                    self.emit(_TWO[two], i, i + 2)
                    i += 2
                    continue
                if ch == "<" and src.startswith("<<", i):
                    j = i + 2
                    if j < n and src[j] == "-":
                        j += 1
                    k = j
                    if k < n and _is_id_start(src[k]):
                        k += 1
                        while k < n and _is_id_continue(src[k]):
                            k += 1
                        marker = src[j:k]
                        end = k
                        if src.startswith("\r\n", k):
                            end = k + 2
                        elif src.startswith("\n", k):
                            end = k + 1
                        if end > k:
                            self.emit(T_OHEREDOC, i, end)
                            heredocs.append([marker, True])
                            stack.append("heredoc")
                            i = end
                            continue
                if ch == "{":
                    self.emit(T_OBRACE, i, i + 1)
                    braces += 1
                    i += 1
                    continue
                if ch == "}" or src.startswith("~}", i):
                    width = 1 if ch == "}" else 2
                    if ret_braces and ret_braces[-1] == braces:
                        self.emit(T_SEQEND, i, i + width)
                        braces -= 1
                        ret_braces.pop()
                        stack.pop()
                    else:
                        self.emit(T_SEQEND if width == 2 else T_CBRACE, i, i + width)
                        braces -= 1
                    i += width
                    continue
                if ch == '"':
                    self.emit(T_OQUOTE, i, i + 1)
                    stack.append("string")
                    i += 1
                    continue
                if ch in _SELF:
                    self.emit(ch, i, i + 1)
                    i += 1
                    continue
                self.emit(T_INVALID, i, i + 1)
                i += 1
                continue

            # template modes: string, heredoc, bare
            if src.startswith("${", i) or src.startswith("%{", i):
                j = i + 2
                if j < n and src[j] == "~":
                    j += 1
                self.emit(T_INTERP if ch == "$" else T_CONTROL, i, j)
                braces += 1
                ret_braces.append(braces)
                if heredocs and m == "heredoc":
                    heredocs[-1][1] = False
                stack.append("main")
                i = j
                continue
            if m == "string":
                if ch == '"':
                    self.emit(T_CQUOTE, i, i + 1)
                    stack.pop()
                    i += 1
                    continue
                if ch in "\r\n":
                    j = i
                    while j < n and src[j] in "\r\n":
                        j += 1
                    self.emit(T_QUOTEDNEWLINE, i, j)
                    i = j
                    continue
                seq_end = self._template_not_seq(i)
                if seq_end is not None:
                    self.emit(T_QUOTEDLIT, i, seq_end)
                    i = seq_end
                    continue
                if ch in "$%":
                    self.emit(T_INVALID, i, i + 1)
                    i += 1
                    continue
                j = i
                while j < n:
                    c = src[j]
                    if c == "\\":
                        if j + 1 < n and src[j + 1] not in "\r\n":
                            j += 2
                            continue
                        break
                    if c in '$%"\r\n':
                        break
                    j += 1
                if j == i:  # a lone backslash before a newline or the end
                    self.emit(T_INVALID, i, i + 1)
                    i += 1
                    continue
                self.emit(T_QUOTEDLIT, i, j)
                i = j
                continue
            # heredoc and bare templates
            seq_end = self._template_not_seq(i)
            if seq_end is not None:
                j = seq_end
            else:
                j = i
                while j < n and src[j] not in "$%\r\n":
                    j += 1
                if j == i and ch in "$%":  # "$" at the very end
                    j = i + 1
            eol = j
            if src.startswith("\r\n", j):
                eol = j + 2
            elif src.startswith("\n", j):
                eol = j + 1
            if m == "heredoc":
                doc = heredocs[-1]
                if eol > j:
                    if doc[1] and src[i:j].strip() == doc[0]:
                        self.emit(T_CHEREDOC, i, j)
                        self.emit(T_NEWLINE, j, eol)
                        heredocs.pop()
                        stack.pop()
                        i = eol
                        continue
                    doc[1] = True
                else:
                    doc[1] = False
                if eol == i:  # nothing matched (cannot happen) — avoid looping
                    eol = i + 1
                self.emit(T_STRINGLIT, i, eol)
                i = eol
                continue
            if eol == i:
                eol = i + 1
            self.emit(T_STRINGLIT, i, eol)
            i = eol
        self._advance_to(n)
        self.emit(T_EOF, n, n)
        return self.tokens

    def _template_not_seq(self, i: int) -> int | None:
        """``TemplateNotInterp``/``TemplateNotControl``: ``$`` or ``%`` not starting a sequence (``$${`` escapes)."""
        src = self.src
        ch = src[i]
        if ch not in "$%" or i + 1 >= len(src):
            return None
        nxt = src[i + 1]
        if nxt == "{":
            return None
        if nxt == ch and src.startswith("{", i + 2):
            j = i + 3
            if j < len(src) and src[j] == "~":
                j += 1
            return j
        return i + 1


def lex(src: str, filename: str, start: SrcPos = SrcPos(), mode: str = "normal") -> list[Token]:
    if src.startswith("\ufeff"):
        src = src[1:]
    return _Scanner(src, filename, start).scan(mode)


def check_invalid_tokens(tokens: list[Token]) -> list[HclDiagnostic]:
    """``checkInvalidTokens``: the scanner's error tokens become diagnostics before parsing."""
    diags: list[HclDiagnostic] = []
    told: dict[str, int] = {}
    for tok in tokens:
        t = tok.type
        count = told.get(t, 0)
        if t in (T_BITAND, T_BITOR, T_BITXOR, T_BITNOT):
            bit = sum(told.get(x, 0) for x in (T_BITAND, T_BITOR, T_BITXOR, T_BITNOT))
            if bit < 4:
                suggestion = {
                    T_BITAND: ' Did you mean boolean AND ("&&")?',
                    T_BITOR: ' Did you mean boolean OR ("&&")?',
                    T_BITNOT: ' Did you mean boolean NOT ("!")?',
                }.get(t, "")
                diags.append(
                    err("Unsupported operator", f"Bitwise operators are not supported.{suggestion}", tok.range)
                )
                told[t] = count + 1
        elif t == T_BACKTICK:
            if count % 2 == 0:
                diags.append(
                    err(
                        "Invalid character",
                        'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, '
                        'like "<<EOT".',
                        tok.range,
                    )
                )
            if count <= 2:
                told[t] = count + 1
        elif t == T_APOSTROPHE:
            if count % 2 == 0:
                diags.append(
                    err(
                        "Invalid character",
                        'Single quotes are not valid. Use double quotes (") to enclose strings.',
                        tok.range,
                    )
                )
            if count <= 2:
                told[t] = count + 1
        elif t == T_SEMICOLON:
            if count < 1:
                diags.append(
                    err(
                        "Invalid character",
                        'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas '
                        "to separate items in collection values.",
                        tok.range,
                    )
                )
                told[t] = 1
        elif t == T_QUOTEDNEWLINE:
            diags.append(
                err(
                    "Invalid multi-line string",
                    "Quoted strings may not be split over multiple lines. To produce a multi-line string, either use "
                    'the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.',
                    tok.range,
                )
            )
        elif t == T_INVALID:
            diags.append(err("Invalid character", "This character is not used within the language.", tok.range))
    return diags


# ---------------------------------------------------------------------------------------------------------------
# AST


class Expr:
    """Base of expression nodes. ``range`` is the whole expression; ``start_range`` where diagnostics point."""

    range: Range

    @property
    def start_range(self) -> Range:
        return self.range


class _OpenedExpr(Expr):
    """An expression that begins with an opening bracket or directive: hclsyntax's ``StartRange`` is its
    ``OpenRange``, so diagnostics point there."""

    open_range: Range

    @property
    def start_range(self) -> Range:
        return self.open_range


@dataclass
class LiteralValue(Expr):
    val: Value
    range: Range


@dataclass
class TraverseRoot:
    name: str
    range: Range


@dataclass
class TraverseAttr:
    name: str
    range: Range


@dataclass
class TraverseIndex:
    key: Value
    range: Range


Traverser = TraverseRoot | TraverseAttr | TraverseIndex


@dataclass
class ScopeTraversal(Expr):
    traversal: list[Traverser]
    range: Range


@dataclass
class RelativeTraversal(Expr):
    source: Expr
    traversal: list[Traverser]
    range: Range


@dataclass
class FunctionCall(Expr):
    name: str
    args: list[Expr]
    expand_final: bool
    name_range: Range
    open_range: Range
    close_range: Range

    @property
    def range(self) -> Range:  # type: ignore[override]
        return between(self.name_range, self.close_range)

    @property
    def start_range(self) -> Range:
        return between(self.name_range, self.open_range)


@dataclass
class Conditional(Expr):
    condition: Expr
    true_result: Expr
    false_result: Expr
    range: Range

    @property
    def start_range(self) -> Range:
        return self.condition.start_range


@dataclass
class BinaryOp(Expr):
    lhs: Expr
    op: str
    rhs: Expr
    range: Range

    @property
    def start_range(self) -> Range:
        return self.lhs.start_range


@dataclass
class UnaryOp(Expr):
    op: str
    val: Expr
    range: Range
    symbol_range: Range


@dataclass
class TupleCons(_OpenedExpr):
    exprs: list[Expr]
    range: Range
    open_range: Range


@dataclass
class ObjectConsKey(Expr):
    wrapped: Expr
    force_non_literal: bool

    @property
    def range(self) -> Range:  # type: ignore[override]
        return self.wrapped.range

    @property
    def start_range(self) -> Range:
        return self.wrapped.start_range


@dataclass
class ObjectCons(_OpenedExpr):
    items: list[tuple[ObjectConsKey, Expr]]
    range: Range
    open_range: Range


@dataclass
class Template(Expr):
    parts: list[Expr]
    range: Range

    @property
    def start_range(self) -> Range:
        return self.parts[0].start_range

    def is_string_literal(self) -> bool:
        return len(self.parts) == 1 and isinstance(self.parts[0], LiteralValue)


@dataclass
class TemplateWrap(Expr):
    wrapped: Expr
    range: Range


@dataclass
class ForExpr(_OpenedExpr):
    key_var: str
    val_var: str
    coll: Expr
    key: Expr | None
    val: Expr
    cond: Expr | None
    group: bool
    range: Range
    open_range: Range
    close_range: Range


@dataclass
class TemplateJoin(Expr):
    tuple: ForExpr

    @property
    def range(self) -> Range:  # type: ignore[override]
        return self.tuple.range

    @property
    def start_range(self) -> Range:
        return self.tuple.start_range


@dataclass
class IndexExpr(_OpenedExpr):
    collection: Expr
    key: Expr
    range: Range
    open_range: Range
    bracket_range: Range


@dataclass(eq=False)
class AnonSymbol(Expr):
    range: Range


@dataclass
class Splat(Expr):
    source: Expr
    each: Expr
    item: AnonSymbol
    range: Range
    marker_range: Range

    @property
    def start_range(self) -> Range:
        return self.marker_range


@dataclass
class Attribute:
    name: str
    expr: Expr
    range: Range
    name_range: Range
    equals_range: Range


@dataclass
class Block:
    type: str
    labels: list[str]
    body: Body
    type_range: Range
    label_ranges: list[Range]
    open_brace_range: Range
    close_brace_range: Range
    def_range_override: Range | None = None
    """A block read from HCL JSON: its ``DefRange`` is the opening brace of its object (or array)."""

    @property
    def range(self) -> Range:
        return between(self.type_range, self.close_brace_range)

    @property
    def def_range(self) -> Range:
        """``Block.DefRange``: the header up to the last label (or the type when there is none)."""
        if self.def_range_override is not None:
            return self.def_range_override
        last = self.label_ranges[-1] if self.label_ranges else self.type_range
        return between(self.type_range, last)


@dataclass
class Body:
    attributes: dict[str, Attribute]
    blocks: list[Block]
    range: Range
    end_range: Range
    hidden_attrs: frozenset[str] = frozenset()
    hidden_blocks: frozenset[str] = frozenset()

    def missing_item_range(self) -> Range:
        return Range(self.range.filename, self.range.start, self.range.start)


# ---------------------------------------------------------------------------------------------------------------
# parser

_BINARY_LEVELS: list[dict[str, str]] = [
    {T_OR: "||"},
    {T_AND: "&&"},
    {T_EQUALOP: "==", T_NOTEQUAL: "!="},
    {T_GT: ">", T_GE: ">=", T_LT: "<", T_LE: "<="},
    {T_PLUS: "+", T_MINUS: "-"},
    {T_STAR: "*", T_SLASH: "/", T_PERCENT: "%"},
]

_OPPOSITE = {
    T_OBRACE: T_CBRACE,
    T_OBRACK: T_CBRACK,
    T_OPAREN: T_CPAREN,
    T_OQUOTE: T_CQUOTE,
    T_OHEREDOC: T_CHEREDOC,
    T_CBRACE: T_OBRACE,
    T_CBRACK: T_OBRACK,
    T_CPAREN: T_OPAREN,
    T_CQUOTE: T_OQUOTE,
    T_CHEREDOC: T_OHEREDOC,
    T_CONTROL: T_SEQEND,
    T_INTERP: T_SEQEND,
    T_SEQEND: T_INTERP,
}


@dataclass
class _TLiteral:
    val: str
    range: Range


@dataclass
class _TInterp:
    expr: Expr
    range: Range


@dataclass
class _TIf:
    cond: Expr
    range: Range


@dataclass
class _TFor:
    key_var: str
    val_var: str
    coll: Expr
    range: Range


@dataclass
class _TEndCtrl:
    kind: str  # "endif" | "else" | "endfor"
    range: Range


@dataclass
class _TEnd:
    range: Range


_DEFINITION_REQUIRED = "An argument or block definition is required here."
_USE_EQUALS = ' To set an argument, use the equals sign "=" to introduce the argument value.'


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.next_index = 0
        self.newlines: list[bool] = [True]
        self.recovery = False

    # -- peeker ------------------------------------------------------------------------------------------------

    def _next(self) -> tuple[Token, int]:
        toks = self.tokens
        for i in range(self.next_index, len(toks)):
            tok = toks[i]
            if tok.type == T_COMMENT:
                if self.newlines[-1] and tok.text.endswith("\n"):
                    return Token(T_NEWLINE, "\n", tok.range), i + 1
                continue
            if tok.type == T_NEWLINE and not self.newlines[-1]:
                continue
            return tok, i + 1
        return toks[-1], len(toks)

    def peek(self) -> Token:
        return self._next()[0]

    def read(self) -> Token:
        tok, self.next_index = self._next()
        return tok

    def prev_range(self) -> Range:
        if self.next_index == 0:
            return self.peek().range
        return self.tokens[self.next_index - 1].range

    def push_nl(self, include: bool) -> None:
        self.newlines.append(include)

    def pop_nl(self) -> None:
        self.newlines.pop()

    def recover(self, end: str) -> Token:
        start = _OPPOSITE.get(end)
        self.recovery = True
        nest = 0
        while True:
            tok = self.read()
            ty = tok.type
            if end == T_SEQEND and ty == T_CONTROL:
                ty = T_INTERP
            if ty == start:
                nest += 1
            elif ty == end:
                if nest < 1:
                    return tok
                nest -= 1
            elif ty == T_EOF:
                return tok

    def recover_after_body_item(self) -> None:
        self.recovery = True
        stack: list[str] = []
        while True:
            tok = self.read()
            ty = tok.type
            if ty == T_NEWLINE:
                if not stack:
                    return
            elif ty == T_EOF:
                return
            elif ty in (T_OBRACE, T_OBRACK, T_OPAREN, T_OQUOTE, T_OHEREDOC, T_INTERP, T_CONTROL):
                stack.append(ty)
            elif ty in (T_CBRACE, T_CBRACK, T_CPAREN, T_CQUOTE, T_CHEREDOC):
                opener = _OPPOSITE[ty]
                while stack and stack[-1] != opener:
                    stack.pop()
                if stack:
                    stack.pop()
            elif ty == T_SEQEND:
                while stack and stack[-1] not in (T_INTERP, T_CONTROL):
                    stack.pop()
                if stack:
                    stack.pop()

    # -- bodies ------------------------------------------------------------------------------------------------

    def parse_body(self, end: str) -> tuple[Body, list[HclDiagnostic]]:
        attrs: dict[str, Attribute] = {}
        blocks: list[Block] = []
        diags: list[HclDiagnostic] = []
        start_range = self.prev_range()
        while True:
            nxt = self.peek()
            if nxt.type == end:
                end_range = nxt.range
                self.read()
                break
            if nxt.type == T_NEWLINE:
                self.read()
                continue
            if nxt.type == T_IDENT:
                item, item_diags = self.parse_body_item()
                diags += item_diags
                if isinstance(item, Block):
                    blocks.append(item)
                elif isinstance(item, Attribute):
                    if item.name in attrs:
                        existing = attrs[item.name]
                        diags.append(
                            err(
                                "Attribute redefined",
                                f"The argument {_goq(item.name)} was already set at {existing.name_range}. Each "
                                "argument may be set only once.",
                                item.name_range,
                            )
                        )
                    else:
                        attrs[item.name] = item
                continue
            bad = self.read()
            if not self.recovery:
                if bad.type == T_OQUOTE:
                    diags.append(err("Invalid argument name", "Argument names must not be quoted.", bad.range))
                else:
                    diags.append(err("Argument or block definition required", _DEFINITION_REQUIRED, bad.range))
            end_range = self.prev_range()
            self.recover(end)
            break
        rng = between(start_range, end_range)
        return Body(attrs, blocks, rng, Range(end_range.filename, end_range.end, end_range.end)), diags

    def _not_a_body_item(self, tok: Token, detail: str) -> tuple[None, list[HclDiagnostic]]:
        """A body item that is neither an argument nor a block: skip the rest of it (to the end of its line, with
        brackets balanced) and report it at its first token."""
        self.recover_after_body_item()
        return None, [err("Argument or block definition required", detail, tok.range)]

    def parse_body_item(self) -> tuple[Attribute | Block | None, list[HclDiagnostic]]:
        ident = self.read()
        if ident.type != T_IDENT:
            return self._not_a_body_item(ident, _DEFINITION_REQUIRED)
        nxt = self.peek()
        if nxt.type == T_EQUAL:
            return self.finish_attribute(ident, False)
        if nxt.type in (T_OQUOTE, T_OBRACE, T_IDENT):
            return self.finish_block(ident)
        return self._not_a_body_item(ident, _DEFINITION_REQUIRED + _USE_EQUALS)

    def parse_single_attr_body(self, end: str) -> tuple[Body | None, list[HclDiagnostic]]:
        ident = self.read()
        if ident.type != T_IDENT:
            return self._not_a_body_item(ident, _DEFINITION_REQUIRED)
        nxt = self.peek()
        if nxt.type == T_EQUAL:
            attr, diags = self.finish_attribute(ident, True)
            assert isinstance(attr, Attribute)
            r = attr.range
            return Body({ident.text: attr}, [], r, Range(r.filename, r.end, r.end)), diags
        if nxt.type in (T_OQUOTE, T_OBRACE, T_IDENT):
            self.recover_after_body_item()
            return None, [
                err(
                    "Argument definition required",
                    "A single-line block definition can contain only a single argument. If you meant to define "
                    f"argument {_goq(ident.text)}, use an equals sign to assign it a value. To define a nested block, "
                    "place it on a line of its own within its parent block.",
                    between(ident.range, nxt.range),
                )
            ]
        return self._not_a_body_item(ident, _DEFINITION_REQUIRED + _USE_EQUALS)

    def finish_attribute(self, ident: Token, single_line: bool) -> tuple[Attribute, list[HclDiagnostic]]:
        eq = self.read()
        expr, diags = self.parse_expression()
        if self.recovery and has_errors(diags):
            end_range = self.prev_range()
            self.recover_after_body_item()
        else:
            end_range = self.prev_range()
            if not single_line:
                end = self.peek()
                if end.type not in (T_NEWLINE, T_EOF):
                    if not self.recovery:
                        summary = "Missing newline after argument"
                        detail = "An argument definition must end with a newline."
                        if end.type == T_COMMA:
                            summary = "Unexpected comma after argument"
                            detail = "Argument definitions must be separated by newlines, not commas. " + detail
                        diags.append(err(summary, detail, end.range, between(ident.range, end.range)))
                    end_range = self.prev_range()
                    self.recover_after_body_item()
                else:
                    end_range = self.prev_range()
                    self.read()
        return Attribute(ident.text, expr, between(ident.range, end_range), ident.range, eq.range), diags

    def finish_block(self, ident: Token) -> tuple[Block, list[HclDiagnostic]]:
        diags: list[HclDiagnostic] = []
        labels: list[str] = []
        label_ranges: list[Range] = []
        while True:
            tok = self.peek()
            if tok.type == T_OBRACE:
                obrace = self.read()
                break
            if tok.type == T_OQUOTE:
                label, lrange, ldiags = self.parse_quoted_string_literal()
                diags += ldiags
                labels.append(label)
                label_ranges.append(lrange)
                continue
            if tok.type == T_IDENT:
                tok = self.read()
                labels.append(tok.text)
                label_ranges.append(tok.range)
                continue
            ctx = between(ident.range, tok.range)
            if tok.type == T_EQUAL:
                diags.append(
                    err(
                        "Invalid block definition",
                        'The equals sign "=" indicates an argument definition, and must not be used when defining a '
                        "block.",
                        tok.range,
                        ctx,
                    )
                )
            elif tok.type == T_NEWLINE:
                diags.append(
                    err(
                        "Invalid block definition",
                        'A block definition must have block content delimited by "{" and "}", starting on the same '
                        "line as the block header.",
                        tok.range,
                        ctx,
                    )
                )
            elif not self.recovery:
                diags.append(
                    err(
                        "Invalid block definition",
                        'Either a quoted string block label or an opening brace ("{") is expected here.',
                        tok.range,
                        ctx,
                    )
                )
            self.recover_after_body_item()
            r = ident.range
            return Block(ident.text, labels, Body({}, [], r, r), r, label_ranges, r, r), diags

        body: Body | None
        if self.peek().type in (T_NEWLINE, T_EOF, T_CBRACE):
            body, bdiags = self.parse_body(T_CBRACE)
        else:
            body, bdiags = self.parse_single_attr_body(T_CBRACE)
            nxt = self.peek()
            if nxt.type == T_CBRACE:
                self.read()
            elif nxt.type == T_COMMA:
                diags.append(
                    err(
                        "Invalid single-argument block definition",
                        "Single-line block syntax can include only one argument definition. To define multiple "
                        "arguments, use the multi-line block syntax with one argument definition per line.",
                        nxt.range,
                    )
                )
                self.recover(T_CBRACE)
            elif nxt.type == T_NEWLINE:
                diags.append(
                    err(
                        "Invalid single-argument block definition",
                        "An argument definition on the same line as its containing block creates a single-line block "
                        "definition, which must also be closed on the same line. Place the block's closing brace "
                        "immediately after the argument definition.",
                        nxt.range,
                    )
                )
                self.recover(T_CBRACE)
            else:
                if not self.recovery:
                    diags.append(
                        err(
                            "Invalid single-argument block definition",
                            "A single-line block definition must end with a closing brace immediately after its "
                            "single argument definition.",
                            nxt.range,
                        )
                    )
                self.recover(T_CBRACE)
        diags += bdiags
        cbrace_range = self.prev_range()
        eol = self.peek()
        if eol.type in (T_NEWLINE, T_EOF):
            self.read()
        else:
            if not self.recovery:
                diags.append(
                    err(
                        "Missing newline after block definition",
                        "A block definition must end with a newline.",
                        eol.range,
                        between(ident.range, eol.range),
                    )
                )
            self.recover_after_body_item()
        if body is None:
            r = between(obrace.range, cbrace_range)
            body = Body({}, [], r, cbrace_range)
        return Block(ident.text, labels, body, ident.range, label_ranges, obrace.range, cbrace_range), diags

    # -- expressions -------------------------------------------------------------------------------------------

    def parse_expression(self) -> tuple[Expr, list[HclDiagnostic]]:
        start_range = self.peek().range
        cond, diags = self.parse_binary(0)
        if self.recovery and has_errors(diags):
            return cond, diags
        if self.peek().type != T_QUESTION:
            return cond, diags
        self.read()
        true_expr, tdiags = self.parse_expression()
        diags += tdiags
        if self.recovery and has_errors(tdiags):
            return cond, diags
        colon = self.peek()
        if colon.type != T_COLON:
            diags.append(
                err(
                    "Missing false expression in conditional",
                    "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
                    colon.range,
                    between(start_range, colon.range),
                )
            )
            return cond, diags
        self.read()
        false_expr, fdiags = self.parse_expression()
        diags += fdiags
        if self.recovery and has_errors(fdiags):
            return cond, diags
        return Conditional(cond, true_expr, false_expr, between(start_range, false_expr.range)), diags

    def parse_binary(self, level: int) -> tuple[Expr, list[HclDiagnostic]]:
        if level == len(_BINARY_LEVELS):
            return self.parse_with_traversals()
        ops = _BINARY_LEVELS[level]
        lhs, diags = self.parse_binary(level + 1)
        if self.recovery and has_errors(diags):
            return lhs, diags
        op: str | None = None
        rhs: Expr | None = None
        while True:
            nxt = self.peek()
            if nxt.type not in ops:
                break
            if op is not None and rhs is not None:
                lhs = BinaryOp(lhs, op, rhs, between(lhs.range, rhs.range))
            op = ops[nxt.type]
            self.read()
            rhs, rdiags = self.parse_binary(level + 1)
            diags += rdiags
            if self.recovery and has_errors(rdiags):
                return lhs, diags
        if op is None or rhs is None:
            return lhs, diags
        return BinaryOp(lhs, op, rhs, between(lhs.range, rhs.range)), diags

    def parse_with_traversals(self) -> tuple[Expr, list[HclDiagnostic]]:
        term, diags = self.parse_term()
        ret, more = self.parse_traversals(term)
        return ret, diags + more

    def parse_traversals(self, frm: Expr) -> tuple[Expr, list[HclDiagnostic]]:
        diags: list[HclDiagnostic] = []
        ret = frm
        while True:
            nxt = self.peek()
            if nxt.type == T_DOT:
                dot = self.read()
                attr = self.peek()
                if attr.type == T_IDENT:
                    attr = self.read()
                    rng = between(dot.range, attr.range)
                    ret = _make_relative(ret, TraverseAttr(attr.text, rng), rng)
                elif attr.type == T_NUMBER:
                    num = self.read()
                    rng = between(dot.range, num.range)
                    if "." in num.text:
                        first, second = num.text.split(".", 1)
                        diags.append(
                            err(
                                "Invalid legacy index syntax",
                                "When using the legacy index syntax, chaining two indexes together is not permitted. "
                                f"Use the proper index syntax instead, like [{first}][{second}].",
                                num.range,
                            )
                        )
                        ret = _make_relative(ret, TraverseIndex(DYNAMIC_VAL, rng), rng)
                        continue
                    val, ndiags = _number_lit(num)
                    diags += ndiags
                    ret = _make_relative(ret, TraverseIndex(val, rng), rng)
                elif attr.type == T_STAR:
                    marker = self.read()
                    trav: list[Traverser] = []
                    first_range = self.peek().range
                    last_range = marker.range
                    broke = False
                    while self.peek().type == T_DOT:
                        d2 = self.read()
                        if self.peek().type == T_NUMBER:
                            num = self.read()
                            r2 = between(d2.range, num.range)
                            if "." in num.text:
                                a, b = num.text.split(".", 1)
                                diags.append(
                                    err(
                                        "Invalid legacy index syntax",
                                        "When using the legacy index syntax, chaining two indexes together is not "
                                        "permitted. Use the proper index syntax with a full splat expression [*] "
                                        f"instead, like [{a}][{b}].",
                                        attr.range,
                                    )
                                )
                                trav.append(TraverseIndex(DYNAMIC_VAL, r2))
                            else:
                                val, ndiags = _number_lit(num)
                                diags += ndiags
                                trav.append(TraverseIndex(val, r2))
                            last_range = num.range
                            continue
                        if self.peek().type != T_IDENT:
                            if not self.recovery:
                                if self.peek().type == T_STAR:
                                    diags.append(
                                        err(
                                            "Nested splat expression not allowed",
                                            "A splat expression (*) cannot be used inside another attribute-only "
                                            "splat expression.",
                                            self.peek().range,
                                        )
                                    )
                                else:
                                    diags.append(
                                        err(
                                            "Invalid attribute name",
                                            "An attribute name is required after a dot.",
                                            attr.range,
                                        )
                                    )
                            self.recovery = True
                            broke = True
                            break
                        at = self.read()
                        trav.append(TraverseAttr(at.text, between(d2.range, at.range)))
                        last_range = at.range
                    item = AnonSymbol(between(dot.range, marker.range))
                    each: Expr = item if not trav else RelativeTraversal(item, trav, between(first_range, last_range))
                    ret = Splat(ret, each, item, between(frm.range, last_range), between(dot.range, marker.range))
                    if broke:
                        continue
                else:
                    diags.append(
                        err("Invalid attribute name", "An attribute name is required after a dot.", attr.range)
                    )
                    self.recovery = True
            elif nxt.type == T_OBRACK:
                opn = self.read()
                if self.peek().type == T_STAR:
                    self.read()
                    close = self.read()
                    if close.type != T_CBRACK and not self.recovery:
                        diags.append(
                            err(
                                "Missing close bracket on splat index",
                                "The star for a full splat operator must be immediately followed by a closing "
                                'bracket ("]").',
                                close.range,
                            )
                        )
                        close = self.recover(T_CBRACK)
                    item = AnonSymbol(between(opn.range, close.range))
                    each, ndiags = self.parse_traversals(item)
                    diags += ndiags
                    ret = Splat(ret, each, item, between(frm.range, each.range), between(opn.range, close.range))
                else:
                    self.push_nl(False)
                    key, kdiags = self.parse_expression()
                    diags += kdiags
                    if self.recovery and has_errors(kdiags):
                        close = self.recover(T_CBRACK)
                    else:
                        close = self.read()
                        if close.type != T_CBRACK and not self.recovery:
                            diags.append(
                                err(
                                    "Missing close bracket on index",
                                    'The index operator must end with a closing bracket ("]").',
                                    close.range,
                                )
                            )
                            close = self.recover(T_CBRACK)
                    self.pop_nl()
                    rng = between(opn.range, close.range)
                    if isinstance(key, LiteralValue):
                        ret = _make_relative(ret, TraverseIndex(key.val, rng), rng)
                    elif isinstance(key, Template) and key.is_string_literal():
                        lit = key.parts[0]
                        assert isinstance(lit, LiteralValue)
                        ret = _make_relative(ret, TraverseIndex(lit.val, rng), rng)
                    else:
                        ret = IndexExpr(ret, key, between(frm.range, rng), opn.range, rng)
            else:
                break
        return ret, diags

    def parse_term(self) -> tuple[Expr, list[HclDiagnostic]]:
        start = self.peek()
        t = start.type
        if t == T_OPAREN:
            self.read()
            self.push_nl(False)
            expr, diags = self.parse_expression()
            if has_errors(diags):
                self.recover(T_CPAREN)
                self.pop_nl()
                return expr, diags
            close = self.peek()
            if close.type != T_CPAREN:
                diags.append(
                    err(
                        "Unbalanced parentheses",
                        "Expected a closing parenthesis to terminate the expression.",
                        close.range,
                        between(start.range, close.range),
                    )
                )
                self.recovery = True
            self.read()
            self.pop_nl()
            return expr, diags
        if t == T_NUMBER:
            tok = self.read()
            val, diags = _number_lit(tok)
            return LiteralValue(val, tok.range), diags
        if t == T_IDENT:
            tok = self.read()
            if self.peek().type == T_OPAREN:
                return self.finish_function_call(tok)
            from packer_py.interpolate.hcl.types import DYNAMIC
            from packer_py.interpolate.hcl.values import FALSE, TRUE, null_val

            if tok.text == "true":
                return LiteralValue(TRUE, tok.range), []
            if tok.text == "false":
                return LiteralValue(FALSE, tok.range), []
            if tok.text == "null":
                return LiteralValue(null_val(DYNAMIC), tok.range), []
            return ScopeTraversal([TraverseRoot(tok.text, tok.range)], tok.range), []
        if t in (T_OQUOTE, T_OHEREDOC):
            opn = self.read()
            closer = _OPPOSITE[opn.type]
            exprs, passthru, _, diags = self.parse_template_inner(
                closer, opn.type == T_OHEREDOC and opn.text.startswith("<<-")
            )
            close_range = self.prev_range()
            if passthru:
                return TemplateWrap(exprs[0], between(opn.range, close_range)), diags
            return Template(exprs, between(opn.range, close_range)), diags
        if t in (T_MINUS, T_BANG):
            tok = self.read()
            operand, diags = self.parse_with_traversals()
            op = "neg" if t == T_MINUS else "!"
            return UnaryOp(op, operand, between(tok.range, operand.range), tok.range), diags
        if t == T_OBRACK:
            return self.parse_tuple_cons()
        if t == T_OBRACE:
            return self.parse_object_cons()
        diags = []
        if not self.recovery:
            diags.append(
                err(
                    "Invalid expression",
                    "Expected the start of an expression, but found an invalid expression token.",
                    start.range,
                )
            )
        self.recovery = True
        return LiteralValue(DYNAMIC_VAL, start.range), diags

    def finish_function_call(self, name: Token) -> tuple[Expr, list[HclDiagnostic]]:
        opn = self.read()
        args: list[Expr] = []
        diags: list[HclDiagnostic] = []
        expand = False
        self.push_nl(False)
        while True:
            tok = self.peek()
            if tok.type == T_CPAREN:
                close = self.read()
                break
            arg, adiags = self.parse_expression()
            args.append(arg)
            diags += adiags
            if self.recovery and has_errors(adiags):
                close = self.recover(T_CPAREN)
                break
            sep = self.read()
            if sep.type == T_CPAREN:
                close = sep
                break
            if sep.type == T_ELLIPSIS:
                expand = True
                if self.peek().type != T_CPAREN:
                    if not self.recovery:
                        diags.append(
                            err(
                                "Missing closing parenthesis",
                                "An expanded function argument (with ...) must be immediately followed by closing "
                                "parentheses.",
                                sep.range,
                                between(name.range, sep.range),
                            )
                        )
                    close = self.recover(T_CPAREN)
                else:
                    close = self.read()
                break
            if sep.type != T_COMMA:
                diags.append(
                    err(
                        "Missing argument separator",
                        "A comma is required to separate each function argument from the next.",
                        sep.range,
                        between(name.range, sep.range),
                    )
                )
                close = self.recover(T_CPAREN)
                break
            if self.peek().type == T_CPAREN:
                close = self.read()
                break
        self.pop_nl()
        return FunctionCall(name.text, args, expand, name.range, opn.range, close.range), diags

    def parse_tuple_cons(self) -> tuple[Expr, list[HclDiagnostic]]:
        opn = self.read()
        self.push_nl(False)
        try:
            if self.peek().type == T_IDENT and self.peek().text == "for":
                return self.finish_for(opn)
            diags: list[HclDiagnostic] = []
            exprs: list[Expr] = []
            while True:
                nxt = self.peek()
                if nxt.type == T_CBRACK:
                    close = self.read()
                    break
                expr, ediags = self.parse_expression()
                exprs.append(expr)
                diags += ediags
                if self.recovery and has_errors(ediags):
                    close = self.recover(T_CBRACK)
                    break
                nxt = self.peek()
                if nxt.type == T_CBRACK:
                    close = self.read()
                    break
                if nxt.type != T_COMMA:
                    if not self.recovery:
                        diags.append(
                            err(
                                "Missing item separator",
                                "Expected a comma to mark the beginning of the next item.",
                                nxt.range,
                                between(opn.range, nxt.range),
                            )
                        )
                    close = self.recover(T_CBRACK)
                    break
                self.read()
            return TupleCons(exprs, between(opn.range, close.range), opn.range), diags
        finally:
            self.pop_nl()

    def parse_object_cons(self) -> tuple[Expr, list[HclDiagnostic]]:
        opn = self.read()
        self.push_nl(False)
        is_for = self.peek().type == T_IDENT and self.peek().text == "for"
        self.pop_nl()
        if is_for:
            return self.finish_for(opn)
        self.push_nl(True)
        try:
            diags: list[HclDiagnostic] = []
            items: list[tuple[ObjectConsKey, Expr]] = []
            while True:
                nxt = self.peek()
                if nxt.type == T_NEWLINE:
                    self.read()
                    continue
                if nxt.type == T_CBRACE:
                    close = self.read()
                    break
                force = self.peek().type == T_OPAREN
                key, kdiags = self.parse_expression()
                diags += kdiags
                if self.recovery and has_errors(kdiags):
                    close = self.recover(T_CBRACE)
                    break
                okey = ObjectConsKey(key, force)
                nxt = self.peek()
                if nxt.type not in (T_EQUAL, T_COLON):
                    if not self.recovery:
                        ctx = between(opn.range, nxt.range)
                        if nxt.type in (T_NEWLINE, T_COMMA):
                            diags.append(
                                err(
                                    "Missing attribute value",
                                    'Expected an attribute value, introduced by an equals sign ("=").',
                                    nxt.range,
                                    ctx,
                                )
                            )
                        elif nxt.type == T_IDENT:
                            diags.append(
                                err(
                                    "Missing key/value separator",
                                    'Expected an equals sign ("=") to mark the beginning of the attribute value. If '
                                    "you intended to given an attribute name containing periods or spaces, write the "
                                    "name in quotes to create a string literal.",
                                    nxt.range,
                                    ctx,
                                )
                            )
                        else:
                            diags.append(
                                err(
                                    "Missing key/value separator",
                                    'Expected an equals sign ("=") to mark the beginning of the attribute value.',
                                    nxt.range,
                                    ctx,
                                )
                            )
                    close = self.recover(T_CBRACE)
                    break
                self.read()
                value, vdiags = self.parse_expression()
                diags += vdiags
                if self.recovery and has_errors(vdiags):
                    close = self.recover(T_CBRACE)
                    break
                items.append((okey, value))
                nxt = self.peek()
                if nxt.type == T_CBRACE:
                    close = self.read()
                    break
                if nxt.type not in (T_COMMA, T_NEWLINE):
                    if not self.recovery:
                        diags.append(
                            err(
                                "Missing attribute separator",
                                "Expected a newline or comma to mark the beginning of the next attribute.",
                                nxt.range,
                                between(opn.range, nxt.range),
                            )
                        )
                    close = self.recover(T_CBRACE)
                    break
                self.read()
            return ObjectCons(items, between(opn.range, close.range), opn.range), diags
        finally:
            self.pop_nl()

    def finish_for(self, opn: Token) -> tuple[Expr, list[HclDiagnostic]]:
        self.push_nl(False)
        try:
            return self._finish_for(opn)
        finally:
            self.pop_nl()

    def _for_fail(
        self, opn: Token, close_type: str, detail: str, diags: list[HclDiagnostic]
    ) -> tuple[Expr, list[HclDiagnostic]]:
        if not self.recovery:
            nxt = self.peek()
            diags.append(err("Invalid 'for' expression", detail, nxt.range, between(opn.range, nxt.range)))
        close = self.recover(close_type)
        return LiteralValue(DYNAMIC_VAL, between(opn.range, close.range)), diags

    def _finish_for(self, opn: Token) -> tuple[Expr, list[HclDiagnostic]]:
        self.read()  # "for"
        make_obj = opn.type == T_OBRACE
        close_type = T_CBRACE if make_obj else T_CBRACK
        diags: list[HclDiagnostic] = []
        key_name = ""
        if self.peek().type != T_IDENT:
            return self._for_fail(opn, close_type, "For expression requires variable name after 'for'.", diags)
        val_name = self.read().text
        if self.peek().type == T_COMMA:
            key_name = val_name
            self.read()
            if self.peek().type != T_IDENT:
                return self._for_fail(
                    opn, close_type, "For expression requires value variable name after comma.", diags
                )
            val_name = self.read().text
        if not (self.peek().type == T_IDENT and self.peek().text == "in"):
            return self._for_fail(
                opn, close_type, "For expression requires the 'in' keyword after its name declarations.", diags
            )
        self.read()
        coll, cdiags = self.parse_expression()
        diags += cdiags
        if self.recovery and has_errors(cdiags):
            close = self.recover(close_type)
            return LiteralValue(DYNAMIC_VAL, between(opn.range, close.range)), diags
        if self.peek().type != T_COLON:
            return self._for_fail(
                opn, close_type, "For expression requires a colon after the collection expression.", diags
            )
        self.read()
        key_expr: Expr | None = None
        kdiags: list[HclDiagnostic] = []
        val_expr, vdiags = self.parse_expression()
        if self.peek().type == T_FATARROW:
            self.read()
            key_expr, kdiags = val_expr, vdiags
            val_expr, vdiags = self.parse_expression()
        diags += kdiags + vdiags
        if self.recovery and (has_errors(kdiags) or has_errors(vdiags)):
            close = self.recover(close_type)
            return LiteralValue(DYNAMIC_VAL, between(opn.range, close.range)), diags
        group = False
        ellipsis: Token | None = None
        if self.peek().type == T_ELLIPSIS:
            ellipsis = self.read()
            group = True
        cond: Expr | None = None
        if self.peek().type == T_IDENT and self.peek().text == "if":
            self.read()
            cond, cdiags = self.parse_expression()
            diags += cdiags
            if self.recovery and has_errors(cdiags):
                close = self.recover(close_type)
                return LiteralValue(DYNAMIC_VAL, between(opn.range, close.range)), diags
        if self.peek().type == close_type:
            close = self.read()
        else:
            if not self.recovery:
                nxt = self.peek()
                diags.append(
                    err(
                        "Invalid 'for' expression",
                        "Extra characters after the end of the 'for' expression.",
                        nxt.range,
                        between(opn.range, nxt.range),
                    )
                )
            close = self.recover(close_type)
        whole = between(opn.range, close.range)
        if not make_obj:
            if key_expr is not None:
                diags.append(
                    err(
                        "Invalid 'for' expression",
                        "Key expression is not valid when building a tuple.",
                        key_expr.range,
                        whole,
                    )
                )
            if group and ellipsis is not None:
                diags.append(
                    err(
                        "Invalid 'for' expression",
                        "Grouping ellipsis (...) cannot be used when building a tuple.",
                        ellipsis.range,
                        whole,
                    )
                )
        elif key_expr is None:
            diags.append(
                err(
                    "Invalid 'for' expression",
                    "Key expression is required when building an object.",
                    val_expr.range,
                    whole,
                )
            )
        return (
            ForExpr(key_name, val_name, coll, key_expr, val_expr, cond, group, whole, opn.range, close.range),
            diags,
        )

    def parse_quoted_string_literal(self) -> tuple[str, Range, list[HclDiagnostic]]:
        oquote = self.read()
        if oquote.type != T_OQUOTE:
            return "", oquote.range, [err("Invalid string literal", "A quoted string is required here.", oquote.range)]
        diags: list[HclDiagnostic] = []
        out: list[str] = []
        cquote = oquote
        while True:
            tok = self.read()
            if tok.type == T_CQUOTE:
                cquote = tok
                break
            if tok.type == T_QUOTEDLIT:
                s, sdiags = _string_literal_token(tok, quoted=True)
                diags += sdiags
                out.append(s)
            elif tok.type in (T_CONTROL, T_INTERP):
                which = "%" if tok.type == T_CONTROL else "$"
                diags.append(
                    err(
                        "Invalid string literal",
                        f"Template sequences are not allowed in this string. To include a literal {_goq(which)}, "
                        f'double it (as "{which}{which}") to escape it.',
                        tok.range,
                        between(oquote.range, tok.range),
                    )
                )
                out.append(which + "{ ... }")
                self.recover(T_SEQEND)
            elif tok.type == T_EOF:
                diags.append(
                    err(
                        "Unterminated string literal",
                        "Unable to find the closing quote mark before the end of the file.",
                        tok.range,
                        between(oquote.range, tok.range),
                    )
                )
                cquote = tok
                break
            else:
                diags.append(
                    err(
                        "Invalid string literal",
                        "This item is not valid in a string literal.",
                        tok.range,
                        between(oquote.range, tok.range),
                    )
                )
                self.recover(T_CQUOTE)
                cquote = tok
                break
        return "".join(out), between(oquote.range, cquote.range), diags

    # -- templates ---------------------------------------------------------------------------------------------

    def parse_template_inner(self, end: str, flush: bool) -> tuple[list[Expr], bool, Range, list[HclDiagnostic]]:
        parts, rng, diags = self.parse_template_parts(end)
        if flush:
            _flush_heredoc(parts)
        tp = _TemplateParser(parts)
        exprs, more = tp.parse_root()
        diags += more
        passthru = len(parts) == 2 and isinstance(parts[0], _TInterp)
        return exprs, passthru, rng, diags

    def _abandon_directive(
        self, diags: list[HclDiagnostic], summary: str, detail: str, subject: Range, context: Range | None = None
    ) -> None:
        """A malformed ``%{`` sequence: report it (unless already recovering), skip to its closing brace and leave the
        sequence's newline mode, as hclsyntax does before reading on after it."""
        if not self.recovery:
            diags.append(err(summary, detail, subject, context))
        self.recover(T_SEQEND)
        self.pop_nl()

    def _close_sequence(self, diags: list[HclDiagnostic], summary: str, detail: str, start_range: Range) -> bool:
        """The closing brace of a ``${``/``%{`` sequence (extra characters before it are reported and skipped), then
        leave the sequence's newline mode. True when it is ``~}``: the following literal loses its leading space."""
        close = self.peek()
        ltrim_next = False
        if close.type != T_SEQEND:
            if not self.recovery:
                diags.append(err(summary, detail, close.range, between(start_range, close.range)))
            self.recover(T_SEQEND)
        else:
            self.read()
            ltrim_next = close.text.startswith("~")
        self.pop_nl()
        return ltrim_next

    def parse_template_parts(self, end: str) -> tuple[list[Any], Range, list[HclDiagnostic]]:
        parts: list[Any] = []
        diags: list[HclDiagnostic] = []
        start_range = self.peek().range
        ltrim_next = False
        next_can_trim_prev = False
        while True:
            nxt = self.read()
            if nxt.type == end:
                end_range = nxt.range
                break
            ltrim = ltrim_next
            ltrim_next = False
            can_trim_prev = next_can_trim_prev
            next_can_trim_prev = False
            if nxt.type in (T_STRINGLIT, T_QUOTEDLIT):
                s, sdiags = _string_literal_token(nxt, quoted=nxt.type == T_QUOTEDLIT)
                diags += sdiags
                if ltrim:
                    s = s.lstrip(_GO_SPACE)
                parts.append(_TLiteral(s, nxt.range))
                next_can_trim_prev = True
            elif nxt.type == T_INTERP:
                if can_trim_prev and nxt.text.endswith("~"):
                    _rtrim_last_literal(parts)
                self.push_nl(False)
                expr, ediags = self.parse_expression()
                diags += ediags
                close = self.peek()
                ltrim_next = self._close_sequence(
                    diags,
                    "Extra characters after interpolation expression",
                    "Expected a closing brace to end the interpolation expression, but found extra characters.",
                    start_range,
                )
                parts.append(_TInterp(expr, between(nxt.range, close.range)))
            elif nxt.type == T_CONTROL:
                if can_trim_prev and nxt.text.endswith("~"):
                    _rtrim_last_literal(parts)
                self.push_nl(False)
                kw = self.peek()
                if kw.type != T_IDENT:
                    self._abandon_directive(
                        diags,
                        "Invalid template directive",
                        'A template directive keyword ("if", "for", etc) is expected at the beginning of a '
                        "%{ sequence.",
                        kw.range,
                        between(nxt.range, kw.range),
                    )
                    continue
                self.read()
                word = kw.text
                if word == "if":
                    cond, cdiags = self.parse_expression()
                    diags += cdiags
                    parts.append(_TIf(cond, between(nxt.range, self.peek().range)))
                elif word in ("else", "endif", "endfor"):
                    parts.append(_TEndCtrl(word, between(nxt.range, self.peek().range)))
                elif word == "for":
                    key_name = ""
                    if self.peek().type != T_IDENT:
                        self._abandon_directive(
                            diags,
                            "Invalid 'for' directive",
                            "For directive requires variable name after 'for'.",
                            self.peek().range,
                        )
                        continue
                    val_name = self.read().text
                    if self.peek().type == T_COMMA:
                        key_name = val_name
                        self.read()
                        if self.peek().type != T_IDENT:
                            self._abandon_directive(
                                diags,
                                "Invalid 'for' directive",
                                "For directive requires value variable name after comma.",
                                self.peek().range,
                            )
                            continue
                        val_name = self.read().text
                    if not (self.peek().type == T_IDENT and self.peek().text == "in"):
                        self._abandon_directive(
                            diags,
                            "Invalid 'for' directive",
                            "For directive requires 'in' keyword after names.",
                            self.peek().range,
                        )
                        continue
                    self.read()
                    coll, cdiags = self.parse_expression()
                    diags += cdiags
                    parts.append(_TFor(key_name, val_name, coll, between(nxt.range, self.peek().range)))
                else:
                    suggestion = name_suggestion(word, ["if", "for", "else", "endif", "endfor"])
                    if suggestion:
                        suggestion = f" Did you mean {_goq(suggestion)}?"
                    self._abandon_directive(
                        diags,
                        "Invalid template control keyword",
                        f"{_goq(word)} is not a valid template control keyword.{suggestion}",
                        kw.range,
                        between(nxt.range, kw.range),
                    )
                    continue
                ltrim_next = self._close_sequence(
                    diags,
                    f"Extra characters in {word} marker",
                    "Expected a closing brace to end the sequence, but found extra characters.",
                    start_range,
                )
            else:
                if not self.recovery:
                    diags.append(
                        err(
                            "Unterminated template string",
                            "No closing marker was found for the string.",
                            nxt.range,
                            between(start_range, nxt.range),
                        )
                    )
                final = self.recover(end)
                end_range = final.range
                break
        if not parts:
            parts.append(_TLiteral("", Range(start_range.filename, start_range.end, start_range.end)))
        parts.append(_TEnd(end_range))
        return parts, between(start_range, end_range), diags


_GO_SPACE = (
    " \t\n\r\v\f\x85\xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000"
)


def _rtrim_last_literal(parts: list[Any]) -> None:
    """``~`` opening a sequence strips the trailing space (Go's ``unicode.IsSpace``) of the literal just before it."""
    if parts and isinstance(parts[-1], _TLiteral):
        parts[-1].val = parts[-1].val.rstrip(_GO_SPACE)


def _flush_heredoc(parts: list[Any]) -> None:
    """``flushHeredocTemplateParts``: remove the smallest common indentation of the literal line starts."""
    big = 1 << 62
    min_spaces = big
    newline = True
    adjust: list[_TLiteral] = []
    for tok in parts:
        if newline:
            newline = False
            spaces = big
            if isinstance(tok, _TLiteral):
                trimmed = tok.val.lstrip(_GO_SPACE)
                if not trimmed and tok.val.endswith("\n"):
                    spaces = big
                else:
                    spaces = len(tok.val) - len(trimmed)
                    adjust.append(tok)
            elif isinstance(tok, _TEnd):
                break
            else:
                spaces = 0
            min_spaces = min(min_spaces, spaces)
        if isinstance(tok, _TLiteral) and tok.val.endswith("\n"):
            newline = True
    if min_spaces == big:
        return
    for lit in adjust:
        lit.val = lit.val[min_spaces:]
        s = lit.range.start
        lit.range = Range(lit.range.filename, SrcPos(s.line, s.column + min_spaces, s.byte + min_spaces), lit.range.end)


class _TemplateParser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> object:
        return self.tokens[self.pos]

    def read(self) -> object:
        tok = self.tokens[self.pos]
        if not isinstance(tok, _TEnd):
            self.pos += 1
        return tok

    def parse_root(self) -> tuple[list[Expr], list[HclDiagnostic]]:
        exprs: list[Expr] = []
        diags: list[HclDiagnostic] = []
        while not isinstance(self.peek(), _TEnd):
            e, d = self.parse_expr()
            diags += d
            exprs.append(e)
        return exprs, diags

    def parse_expr(self) -> tuple[Expr, list[HclDiagnostic]]:
        tok = self.peek()
        if isinstance(tok, _TLiteral):
            self.read()
            return LiteralValue(string_val(tok.val), tok.range), []
        if isinstance(tok, _TInterp):
            self.read()
            return tok.expr, []
        if isinstance(tok, _TIf):
            return self.parse_if()
        if isinstance(tok, _TFor):
            return self.parse_for()
        if isinstance(tok, _TEnd):
            self.read()
            return LiteralValue(DYNAMIC_VAL, tok.range), [
                err(
                    "Unexpected end of template",
                    "The control directives within this template are unbalanced.",
                    tok.range,
                )
            ]
        assert isinstance(tok, _TEndCtrl)
        self.read()
        return LiteralValue(DYNAMIC_VAL, tok.range), [
            err(
                f"Unexpected {tok.kind} directive",
                "The control directives within this template are unbalanced.",
                tok.range,
            )
        ]

    def parse_if(self) -> tuple[Expr, list[HclDiagnostic]]:
        open_if = self.read()
        assert isinstance(open_if, _TIf)
        if_exprs: list[Expr] = []
        else_exprs: list[Expr] = []
        current = if_exprs
        diags: list[HclDiagnostic] = []
        while True:
            nxt = self.peek()
            if isinstance(nxt, _TEnd):
                return _unclosed_directive("if", open_if.range, nxt, diags)
            if isinstance(nxt, _TEndCtrl):
                self.read()
                if nxt.kind == "else":
                    if current is if_exprs:
                        current = else_exprs
                        continue
                    diags.append(
                        err(
                            "Unexpected else directive",
                            f"Already in the else clause for the if started at {open_if.range}.",
                            nxt.range,
                        )
                    )
                elif nxt.kind == "endif":
                    endif_range = nxt.range
                    break
                else:
                    diags.append(
                        err(
                            f"Unexpected {nxt.kind} directive",
                            f"Expecting an endif directive for the if started at {open_if.range}.",
                            nxt.range,
                        )
                    )
                return LiteralValue(DYNAMIC_VAL, nxt.range), diags
            e, d = self.parse_expr()
            diags += d
            current.append(e)
        r = open_if.range
        true_expr = _directive_body(if_exprs, Range(r.filename, r.end, r.end))
        r = endif_range
        false_expr = _directive_body(else_exprs, Range(r.filename, r.start, r.start))
        return Conditional(open_if.cond, true_expr, false_expr, between(open_if.range, endif_range)), diags

    def parse_for(self) -> tuple[Expr, list[HclDiagnostic]]:
        open_for = self.read()
        assert isinstance(open_for, _TFor)
        content: list[Expr] = []
        diags: list[HclDiagnostic] = []
        while True:
            nxt = self.peek()
            if isinstance(nxt, _TEnd):
                return _unclosed_directive("for", open_for.range, nxt, diags)
            if isinstance(nxt, _TEndCtrl):
                self.read()
                if nxt.kind == "endfor":
                    endfor_range = nxt.range
                    break
                if nxt.kind == "else":
                    diags.append(
                        err(
                            "Unexpected else directive",
                            "An else clause is not expected for a for directive.",
                            nxt.range,
                        )
                    )
                else:
                    diags.append(
                        err(
                            f"Unexpected {nxt.kind} directive",
                            f"Expecting an endfor directive corresponding to the for directive at {open_for.range}.",
                            nxt.range,
                        )
                    )
                return LiteralValue(DYNAMIC_VAL, nxt.range), diags
            e, d = self.parse_expr()
            diags += d
            content.append(e)
        r = open_for.range
        content_expr = _directive_body(content, Range(r.filename, r.end, r.end))
        fe = ForExpr(
            open_for.key_var,
            open_for.val_var,
            open_for.coll,
            None,
            content_expr,
            None,
            False,
            between(open_for.range, endfor_range),
            open_for.range,
            endfor_range,
        )
        return TemplateJoin(fe), diags


def _unclosed_directive(
    kind: str, open_range: Range, end: _TEnd, diags: list[HclDiagnostic]
) -> tuple[Expr, list[HclDiagnostic]]:
    """An ``if``/``for`` directive still open at the end of the template: hclsyntax's error, and an unknown value."""
    diags.append(
        err(
            "Unexpected end of template",
            f"The {kind} directive at {open_range} is missing its corresponding end{kind} directive.",
            end.range,
        )
    )
    return LiteralValue(DYNAMIC_VAL, end.range), diags


def _directive_body(exprs: list[Expr], empty_at: Range) -> Template:
    """The body of an ``if``, ``else`` or ``for`` directive as a template; an empty body is one empty string at
    ``empty_at`` (just after the opening directive, or just before the ``endif`` for an empty else)."""
    if not exprs:
        exprs.append(LiteralValue(string_val(""), empty_at))
    return Template(exprs, between(exprs[0].range, exprs[-1].range))


def _make_relative(expr: Expr, step: Traverser, rng: Range) -> Expr:
    if isinstance(expr, ScopeTraversal | RelativeTraversal):
        expr.traversal.append(step)
        expr.range = between(expr.range, rng)
        return expr
    return RelativeTraversal(expr, [step], between(expr.range, rng))


def _number_lit(tok: Token) -> tuple[Value, list[HclDiagnostic]]:
    from packer_py.interpolate.hcl.types import NUMBER
    from packer_py.interpolate.hcl.values import unknown_val

    try:
        return parse_number_val(tok.text), []
    except Exception:
        return unknown_val(NUMBER), [
            err("Invalid number literal", "Failed to recognize the value of this number literal.", tok.range)
        ]


def _string_literal_token(tok: Token, quoted: bool) -> tuple[str, list[HclDiagnostic]]:
    """``ParseStringLiteralToken``: resolve escapes (quoted strings only) and ``$${`` / ``%%{``."""
    text = tok.text
    if text in ("$${", "%%{"):
        return text[1:], []
    if not quoted:
        return text, []
    if "\\" not in text:
        return text, []
    diags: list[HclDiagnostic] = []
    out: list[str] = []
    i = 0
    line, col, byte = tok.range.start.line, tok.range.start.column, tok.range.start.byte
    n = len(text)
    while i < n:
        ch = text[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            col += 1
            byte += 1
            continue
        # an escape sequence: compute its extent first
        if i + 1 >= n:
            rng = Range(tok.range.filename, SrcPos(line, col, byte), SrcPos(line, col + 1, byte + 1))
            diags.append(
                err(
                    "Invalid escape sequence",
                    "Backslash must be followed by an escape sequence selector character.",
                    rng,
                )
            )
            out.append(ch)
            i += 1
            continue
        sel = text[i + 1]
        length = 2
        if sel in "uU":
            want = 4 if sel == "u" else 8
            j = i + 2
            while j < n and j - (i + 2) < want and text[j] in "0123456789abcdefABCDEF":
                j += 1
            length = j - i
        rng = Range(tok.range.filename, SrcPos(line, col, byte), SrcPos(line, col + length, byte + length))
        simple = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
        if sel in simple:
            out.append(simple[sel])
        elif sel in "uU":
            want = 4 if sel == "u" else 8
            digits = text[i + 2 : i + length]
            if len(digits) != want:
                diags.append(
                    err(
                        "Invalid escape sequence",
                        f"The \\{sel} escape sequence must be followed by {'four' if sel == 'u' else 'eight'} "
                        "hexadecimal digits.",
                        rng,
                    )
                )
                out.append(text[i : i + length])
            else:
                num = int(digits, 16)
                if num > 0x10FFFF or 0xD800 <= num <= 0xDFFF:
                    diags.append(err("Invalid escape sequence", f"Cannot encode character U+{num:04x} in UTF-8.", rng))
                    out.append(text[i : i + length])
                else:
                    out.append(chr(num))
        else:
            diags.append(
                err(
                    "Invalid escape sequence",
                    f"The symbol {_goq(sel)} is not a valid escape sequence selector.",
                    rng,
                )
            )
            out.append(sel)
        i += length
        col += length
        byte += length
    return "".join(out), diags


def _goq(s: str) -> str:
    from packer_py.gofmt import quote as go_quote

    return go_quote(s)


# ---------------------------------------------------------------------------------------------------------------
# public API


def parse_config(src: str, filename: str) -> tuple[Body, list[HclDiagnostic]]:
    """``hclsyntax.ParseConfig``: the body of a whole file plus its diagnostics."""
    tokens = lex(src, filename)
    diags = check_invalid_tokens(tokens)
    p = _Parser(tokens)
    body, more = p.parse_body(T_EOF)
    return body, diags + more


def parse_expression(src: str, filename: str, start: SrcPos = SrcPos()) -> tuple[Expr, list[HclDiagnostic]]:
    """``hclsyntax.ParseExpression``: one expression, newlines ignored, nothing after it."""
    tokens = lex(src, filename, start)
    diags = check_invalid_tokens(tokens)
    p = _Parser(tokens)
    p.push_nl(False)
    expr, more = p.parse_expression()
    diags += more
    nxt = p.peek()
    if nxt.type != T_EOF and not p.recovery:
        diags.append(
            err(
                "Extra characters after expression",
                "An expression was successfully parsed, but extra characters were found after it.",
                nxt.range,
            )
        )
    p.pop_nl()
    return expr, diags


def parse_template(src: str, filename: str, start: SrcPos = SrcPos()) -> tuple[Expr, list[HclDiagnostic]]:
    """``hclsyntax.ParseTemplate``: a bare template (``templatefile``)."""
    tokens = lex(src, filename, start, mode="template")
    diags = check_invalid_tokens(tokens)
    p = _Parser(tokens)
    exprs, passthru, rng, more = p.parse_template_inner(T_EOF, False)
    if passthru:
        return TemplateWrap(exprs[0], rng), diags + more
    return Template(exprs, rng), diags + more


def walk_traversals(expr: Expr) -> list[ScopeTraversal]:
    """``Expression.Variables()``: the root traversals an expression refers to, excluding ``for`` locals."""
    out: list[ScopeTraversal] = []

    def visit(e: object, local: frozenset[str]) -> None:
        own = getattr(e, "traversals", None)
        if callable(own):  # an HCL JSON expression knows the traversals in its strings
            out.extend(own())
            return
        if isinstance(e, ScopeTraversal):
            root = e.traversal[0]
            if isinstance(root, TraverseRoot) and root.name not in local:
                out.append(e)
            return
        if isinstance(e, ForExpr):
            visit(e.coll, local)
            inner = local | {n for n in (e.key_var, e.val_var) if n}
            for sub in (e.key, e.val, e.cond):
                if sub is not None:
                    visit(sub, inner)
            return
        if isinstance(e, ObjectConsKey):
            if _keyword(e.wrapped) == "" or e.force_non_literal:
                visit(e.wrapped, local)
            return
        if isinstance(e, ObjectCons):
            for k, v in e.items:
                visit(k, local)
                visit(v, local)
            return
        for name in (
            "source",
            "lhs",
            "rhs",
            "val",
            "condition",
            "true_result",
            "false_result",
            "collection",
            "key",
            "wrapped",
            "tuple",
            "each",
        ):
            sub = getattr(e, name, None)
            if isinstance(sub, Expr):
                visit(sub, local)
        for name in ("args", "exprs", "parts"):
            for sub in getattr(e, name, None) or ():
                visit(sub, local)

    visit(expr, frozenset())
    return out


def _keyword(e: Expr) -> str:
    """``hcl.ExprAsKeyword``: a bare single-name traversal's name, else ""."""
    if isinstance(e, ScopeTraversal) and len(e.traversal) == 1:
        root = e.traversal[0]
        assert isinstance(root, TraverseRoot)
        return root.name
    return ""


def expr_as_keyword(e: Expr) -> str:
    return _keyword(e)


def is_valid_identifier(name: str) -> bool:
    """``hclsyntax.ValidIdentifier``: the whole string scans as one identifier token."""
    if not name or not _is_id_start(name[0]):
        return False
    return all(_is_id_continue(c) for c in name[1:])
