"""A minimal HCL expression evaluator for tests: literals, strings, tuples, objects, arithmetic and function calls.

Only enough to replay ``conformance/console/hcl/golden.json`` end to end through the function library and
``console_repr``; the real evaluator lives elsewhere. Diagnostics are rendered like ``packer console`` prints
them (detail wrapped at 80 columns by go-wordwrap's rules).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from packer_py.interpolate.hcl.console import console_repr
from packer_py.interpolate.hcl.convert import ConversionError, convert
from packer_py.interpolate.hcl.functions import (
    ExpressionFailed,
    FunctionCallError,
    FunctionContext,
    HclFunction,
    ThunkDiagnostic,
    functions_for,
)
from packer_py.interpolate.hcl.numbers import NaNError
from packer_py.interpolate.hcl.typeexpr import TCall, TKeyword, TList, TMap, TOther, TypeNode, TypeSpecError
from packer_py.interpolate.hcl.types import DYNAMIC, NUMBER, STRING
from packer_py.interpolate.hcl.values import (
    FALSE,
    TRUE,
    Value,
    add,
    divide,
    modulo,
    multiply,
    negate,
    null_val,
    object_val,
    parse_number_val,
    string_val,
    subtract,
    tuple_val,
)

FILENAME = "<console-input>"


class Unsupported(Exception):
    """The expression uses syntax this harness does not implement."""


@dataclass
class Diag:
    summary: str
    detail: str
    start: int = 0
    end: int = 0


class EvalFailed(Exception):
    def __init__(self, diags: list[Diag]) -> None:
        super().__init__(diags[0].summary)
        self.diags = diags


# tokens ---------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<ident>[A-Za-z_][A-Za-z0-9_-]*)|(?P<str>")"""
    r"""|(?P<op>\.\.\.|==|!=|<=|>=|&&|\|\||[-+*/%()\[\]{},=:!<>?])"""
)


@dataclass
class Tok:
    kind: str
    text: str
    start: int
    end: int
    parts: list[object] = field(default_factory=list)  # for strings: str pieces and (expr-text, start) tuples


def _read_string(src: str, i: int) -> tuple[list[object], int, list[tuple[int, int]]]:
    """Read a quoted template starting after the opening quote; returns parts, the index after the closing quote
    and the (start, end) column span of each part."""
    parts: list[object] = []
    spans: list[tuple[int, int]] = []
    buf: list[str] = []
    buf_start = i
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    while i < len(src):
        c = src[i]
        if c == '"':
            if buf:
                parts.append("".join(buf))
                spans.append((buf_start, i))
            return parts, i + 1, spans
        if c == "\\":
            nxt = src[i + 1]
            if nxt in escapes:
                buf.append(escapes[nxt])
                i += 2
            elif nxt == "u":
                buf.append(chr(int(src[i + 2 : i + 6], 16)))
                i += 6
            else:
                raise Unsupported("escape")
            continue
        if src.startswith("$${", i):
            buf.append("${")
            i += 3
            continue
        if src.startswith("${", i):
            if buf:
                parts.append("".join(buf))
                spans.append((buf_start, i))
                buf = []
            depth = 1
            j = i + 2
            while depth:
                if src[j] == "{":
                    depth += 1
                elif src[j] == "}":
                    depth -= 1
                j += 1
            parts.append(("expr", src[i + 2 : j - 1], i + 2))
            spans.append((i, j))
            i = j
            buf_start = i
            continue
        buf.append(c)
        i += 1
    raise Unsupported("unterminated string")


def tokenize(src: str) -> list[Tok]:
    toks: list[Tok] = []
    i = 0
    while i < len(src):
        m = _TOKEN.match(src, i)
        if not m:
            raise Unsupported(f"character {src[i]!r}")
        kind = m.lastgroup or ""
        if kind == "ws":
            i = m.end()
            continue
        if kind == "str":
            parts, end, spans = _read_string(src, i + 1)
            tok = Tok("str", src[i:end], i, end, parts)
            tok.parts.append(("spans", spans))
            toks.append(tok)
            i = end
            continue
        toks.append(Tok(kind, m.group(), i, m.end()))
        i = m.end()
    return toks


# syntax tree -----------------------------------------------------------------------------------------------------


@dataclass
class Node:
    kind: str
    start: int
    end: int
    value: object = None
    children: list[Node] = field(default_factory=list)
    name: str = ""
    expand: bool = False
    name_end: int = 0
    keys: list[object] = field(default_factory=list)
    first_span: tuple[int, int] | None = None


class Parser:
    def __init__(self, src: str, offset: int = 0) -> None:
        self.toks = tokenize(src)
        for t in self.toks:
            t.start += offset
            t.end += offset
        self.i = 0

    def peek(self, text: str | None = None) -> Tok | None:
        if self.i >= len(self.toks):
            return None
        t = self.toks[self.i]
        if text is not None and t.text != text:
            return None
        return t

    def take(self, text: str | None = None) -> Tok:
        t = self.peek(text)
        if t is None:
            raise Unsupported(f"expected {text}")
        self.i += 1
        return t

    def parse(self) -> Node:
        node = self.binary(0)
        if self.i != len(self.toks):
            raise Unsupported("trailing tokens")
        return node

    _PREC: ClassVar[dict[str, int]] = {
        "||": 1,
        "&&": 2,
        "==": 3,
        "!=": 3,
        "<": 4,
        ">": 4,
        "<=": 4,
        ">=": 4,
        "+": 5,
        "-": 5,
        "*": 6,
        "/": 6,
        "%": 6,
    }

    def binary(self, min_prec: int) -> Node:
        left = self.unary()
        while True:
            t = self.peek()
            if t is None or t.kind != "op" or t.text not in self._PREC or self._PREC[t.text] <= min_prec:
                return left
            self.i += 1
            right = self.binary(self._PREC[t.text])
            left = Node("binop", left.start, right.end, t.text, [left, right])

    def unary(self) -> Node:
        t = self.peek()
        if t is not None and t.text in ("-", "!"):
            self.i += 1
            operand = self.unary()
            return Node("unary", t.start, operand.end, t.text, [operand])
        return self.primary()

    def primary(self) -> Node:
        t = self.take()
        if t.kind == "num":
            return Node("num", t.start, t.end, t.text)
        if t.kind == "str":
            spans = t.parts[-1][1]  # type: ignore[index]
            parts = t.parts[:-1]
            first = (spans[0][0] + 1, spans[0][1] + 1) if spans else None
            node = Node("str", t.start, t.end, parts)
            node.first_span = first
            return node
        if t.kind == "ident":
            if t.text in ("true", "false", "null"):
                return Node("kw", t.start, t.end, t.text)
            if self.peek("("):
                open_tok = self.take("(")
                args: list[Node] = []
                expand = False
                while not self.peek(")"):
                    args.append(self.binary(0))
                    if self.peek("..."):
                        self.take("...")
                        expand = True
                    if self.peek(","):
                        self.take(",")
                close = self.take(")")
                return Node("call", t.start, close.end, None, args, t.text, expand, open_tok.end)
            return Node("ident", t.start, t.end, t.text)
        if t.text == "(":
            inner = self.binary(0)
            self.take(")")
            return inner
        if t.text == "[":
            items: list[Node] = []
            while not self.peek("]"):
                items.append(self.binary(0))
                if self.peek(","):
                    self.take(",")
            close = self.take("]")
            return Node("tuple", t.start, close.end, None, items)
        if t.text == "{":
            keys: list[object] = []
            vals: list[Node] = []
            while not self.peek("}"):
                key = self.primary()
                if not (self.peek("=") or self.peek(":")):
                    raise Unsupported("object syntax")
                self.i += 1
                keys.append(key)
                vals.append(self.binary(0))
                if self.peek(","):
                    self.take(",")
            close = self.take("}")
            return Node("object", t.start, close.end, None, vals, keys=keys)
        raise Unsupported(f"token {t.text}")


# evaluation ------------------------------------------------------------------------------------------------------


def _range_text(start: int, end: int) -> str:
    return f"{FILENAME}:1,{start + 1}-{end + 1}"


def start_range(node: Node) -> tuple[int, int]:
    """HCL's ``StartRange`` of an expression."""
    if node.kind == "str" and node.first_span is not None:
        return node.first_span[0] - 1, node.first_span[1] - 1
    if node.kind == "call":
        return node.start, node.name_end
    if node.kind in ("tuple", "object"):
        return node.start, node.start + 1
    return node.start, node.end


class Thunk:
    def __init__(self, evaluator: Evaluator, node: Node) -> None:
        self.evaluator = evaluator
        self.node = node

    def evaluate(self) -> Value:
        try:
            return self.evaluator.eval(self.node)
        except EvalFailed as exc:
            raise ExpressionFailed(
                [ThunkDiagnostic(d.summary, d.detail, _range_text(d.start, d.end)) for d in exc.diags]
            ) from None

    def depends_on_unknowns(self) -> bool:
        return False


class Evaluator:
    def __init__(self, functions: Mapping[str, HclFunction]) -> None:
        self.functions = functions

    def eval(self, node: Node) -> Value:
        kind = node.kind
        if kind == "num":
            return parse_number_val(str(node.value))
        if kind == "kw":
            return {"true": TRUE, "false": FALSE, "null": null_val(DYNAMIC)}[str(node.value)]
        if kind == "str":
            return self.template(node)
        if kind == "tuple":
            return tuple_val(self.eval(c) for c in node.children)
        if kind == "object":
            attrs: dict[str, Value] = {}
            for key, child in zip(node.keys, node.children, strict=True):
                assert isinstance(key, Node)
                name = str(key.value) if key.kind == "ident" else self.eval(key).as_string()
                attrs[name] = self.eval(child)
            return object_val(attrs)
        if kind == "unary":
            operand = self.eval(node.children[0])
            if node.value == "-":
                return negate(self.number_operand(operand, node.children[0], "operand"))
            raise Unsupported("!")
        if kind == "binop":
            return self.binop(node)
        if kind == "call":
            return self.call(node)
        if kind == "ident":
            raise EvalFailed(
                [Diag("Unknown variable", f'There is no variable named "{node.value}".', node.start, node.end)]
            )
        raise Unsupported(kind)

    def template(self, node: Node) -> Value:
        parts = node.value
        assert isinstance(parts, list)
        if len(parts) == 1 and isinstance(parts[0], tuple):
            return self.eval(Parser(parts[0][1], parts[0][2]).parse())
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            val = self.eval(Parser(part[1], part[2]).parse())
            out.append(convert(val, STRING).as_string())
        return string_val("".join(out))

    def number_operand(self, val: Value, node: Node, side: str) -> Value:
        try:
            return convert(val, NUMBER)
        except ConversionError as exc:
            raise EvalFailed(
                [Diag("Invalid operand", f"Unsuitable value for {side}: {exc}.", node.start, node.end)]
            ) from None

    def binop(self, node: Node) -> Value:
        op = node.value
        ops = {"+": add, "-": subtract, "*": multiply, "/": divide, "%": modulo}
        if op not in ops:
            raise Unsupported(str(op))
        left = self.number_operand(self.eval(node.children[0]), node.children[0], "left operand")
        right = self.number_operand(self.eval(node.children[1]), node.children[1], "right operand")
        try:
            return ops[str(op)](left, right)
        except NaNError:
            raise EvalFailed(
                [
                    Diag(
                        "Operation failed",
                        "Error during operation: can't divide zero by zero or infinity by infinity.",
                        node.start,
                        node.end,
                    )
                ]
            ) from None

    def type_node(self, node: Node) -> TypeNode:
        if node.kind == "ident":
            return TKeyword(str(node.value))
        if node.kind == "call":
            return TCall(node.name, tuple(self.type_node(c) for c in node.children))
        if node.kind == "object":
            items = []
            for key, child in zip(node.keys, node.children, strict=True):
                assert isinstance(key, Node)
                knode: TypeNode = TKeyword(str(key.value)) if key.kind == "ident" else TOther("key")
                items.append((knode, self.type_node(child)))
            return TMap(tuple(items))
        if node.kind == "tuple":
            return TList(tuple(self.type_node(c) for c in node.children))
        return TOther(node.kind)

    def call(self, node: Node) -> Value:
        fn = self.functions.get(node.name)
        if fn is None:
            raise EvalFailed(
                [
                    Diag(
                        "Call to unknown function",
                        f'There is no function named "{node.name}".',
                        node.start,
                        node.start + len(node.name),
                    )
                ]
            )
        arg_nodes: list[Node | Value] = list(node.children)
        if node.expand:
            last = self.eval(node.children[-1])
            arg_nodes = list(node.children[:-1]) + list(last.elements())
        arity = fn.arity_error(len(arg_nodes))
        if arity is not None:
            raise EvalFailed([Diag(arity[0], arity[1], node.end - 1, node.end)])
        args: list[object] = []
        diags: list[Diag] = []
        for i, arg in enumerate(arg_nodes):
            param = fn.param_for(i)
            if param.kind == "expression":
                assert isinstance(arg, Node)
                args.append(Thunk(self, arg))
            elif param.kind == "type":
                assert isinstance(arg, Node)
                try:
                    from packer_py.interpolate.hcl.typeexpr import type_constraint

                    args.append(type_constraint(self.type_node(arg)))
                except TypeSpecError as exc:
                    diags.append(Diag(exc.summary, exc.detail, arg.start, arg.end))
            elif isinstance(arg, Value):
                args.append(arg)
            else:
                try:
                    args.append(self.eval(arg))
                except EvalFailed as exc:
                    diags.extend(exc.diags)
                    args.append(null_val(DYNAMIC))
        if diags:
            raise EvalFailed(diags)
        converted, errors = fn.convert_args(args)  # type: ignore[arg-type]
        if errors:
            raise EvalFailed([self.diag(fn, node, err, arg_nodes) for err in errors])
        try:
            return fn.call(converted)
        except FunctionCallError as err:
            raise EvalFailed([self.diag(fn, node, err, arg_nodes)]) from None

    def diag(self, fn: HclFunction, node: Node, err: FunctionCallError, arg_nodes: list[Node | Value]) -> Diag:
        summary, detail = fn.diagnostic(err, len(arg_nodes))
        if summary == "Invalid function argument" and err.arg_index is not None and err.arg_index < len(arg_nodes):
            target = arg_nodes[err.arg_index]
            if isinstance(target, Node):
                s, e = start_range(target)
                return Diag(summary, detail, s, e)
        return Diag(summary, detail, node.start, node.name_end)


def go_wordwrap(s: str, lim: int) -> str:
    """``github.com/mitchellh/go-wordwrap.WrapString`` (lengths in bytes)."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []

    def blen(chars: list[str]) -> int:
        return len("".join(chars).encode())

    for ch in s:
        if ch == "\n":
            if not word:
                if current + blen(space) > lim:
                    current = 0
                else:
                    current += blen(space)
                    out.extend(space)
                space = []
            else:
                current += blen(space) + blen(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            out.append(ch)
            current = 0
        elif ch.isspace():
            if not space or word:
                current += blen(space) + blen(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            space.append(ch)
        else:
            word.append(ch)
            if current + blen(space) + blen(word) > lim and blen(word) < lim:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + blen(space) <= lim:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def render(expr: str, context: FunctionContext | None = None) -> tuple[str, int]:
    """What ``packer console`` prints for ``expr`` and its exit code."""
    evaluator = Evaluator(functions_for(context or FunctionContext()))
    try:
        value = evaluator.eval(Parser(expr).parse())
    except EvalFailed as exc:
        blocks = []
        for d in exc.diags:
            detail = go_wordwrap(d.detail, 80)
            blocks.append(
                f"Error: {d.summary}\n\n  on {FILENAME} line 1:\n  (source code not available)\n\n{detail}\n\n"
            )
        return "".join(blocks) + "\n\n", 1
    return console_repr(value) + "\n", 0
