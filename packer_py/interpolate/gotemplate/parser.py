"""Stage 2: the parser of Go's ``text/template`` (``parse/parse.go`` of Go 1.19), one method per grammar rule.

The token buffer is Go's three-token look-ahead, reproduced slot for slot, because parse errors print the line of
``token[0]`` (the most recently lexed token) and that depends on how far the parser has peeked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NoReturn

from packer_py.goparse import GoParseError, parse_float, parse_int, parse_uint
from packer_py.interpolate.gotemplate import nodes as n
from packer_py.interpolate.gotemplate.exceptions import ParseError
from packer_py.interpolate.gotemplate.gostrings import QuoteSyntaxError, go_quote, unquote, unquote_char
from packer_py.interpolate.gotemplate.lexer import Token, TokenType, lex

__all__ = ["Tree", "parse_tree"]

T = TokenType
_NO_TOKEN = Token(T.ERROR, 0, "", 0)  # what Go's closed lexer channel yields


@dataclass(frozen=True, eq=False)
class Tree:
    """A parsed template: the body executed as ``name`` plus every ``{{define}}``d template, by name.

    ``text`` is the whole source (all definitions share it, as in Go), for turning positions into ``line:col``.
    """

    name: str
    root: n.ListNode
    text: str
    parse_name: str = "root"
    templates: Mapping[str, n.ListNode] = field(default_factory=lambda: MappingProxyType({}))


class _Abort(Exception):
    """Internal: carries a finished Go error message up to :func:`parse_tree`."""


class _TokenSource:
    def __init__(self, tokens: Iterator[Token]) -> None:
        self._tokens = tokens

    def next_item(self) -> Token:
        return next(self._tokens, _NO_TOKEN)


def _is_empty_tree(node: n.Node | None) -> bool:
    if node is None or isinstance(node, n.CommentNode):
        return True
    if isinstance(node, n.ListNode):
        return all(_is_empty_tree(child) for child in node.nodes)
    if isinstance(node, n.TextNode):
        return node.text.strip(" \t\n\v\f\r\x85\xa0") == ""
    return False


class _Parser:
    """Go's ``parse.Tree`` while parsing: one per template body (the main one and each ``define``/``block``)."""

    def __init__(
        self, name: str, parse_name: str, lexer: _TokenSource, funcs: Collection[str], tree_set: dict[str, _Parser]
    ) -> None:
        self.name = name
        self.parse_name = parse_name
        self.lex = lexer
        self.funcs = funcs
        self.tree_set = tree_set
        self.token: list[Token] = [_NO_TOKEN, _NO_TOKEN, _NO_TOKEN]
        self.peek_count = 0
        self.vars: list[str] = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.root: n.ListNode | None = None

    # -- token buffer --

    def next(self) -> Token:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.lex.next_item()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Token) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Token, t1: Token) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Token:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.lex.next_item()
        return self.token[0]

    def next_non_space(self) -> Token:
        while True:
            token = self.next()
            if token.type != T.SPACE:
                return token

    def peek_non_space(self) -> Token:
        token = self.next_non_space()
        self.backup()
        return token

    # -- errors --

    def errorf(self, message: str) -> NoReturn:
        raise _Abort(f"template: {self.parse_name}:{self.token[0].line}: {message}")

    def expect(self, expected: TokenType, context: str) -> Token:
        token = self.next_non_space()
        if token.type != expected:
            self.unexpected(token, context)
        return token

    def expect_one_of(self, one: TokenType, two: TokenType, context: str) -> Token:
        token = self.next_non_space()
        if token.type not in (one, two):
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Token, context: str) -> NoReturn:
        if token.type == T.ERROR:
            extra = ""
            if self.action_line != 0 and self.action_line != token.line:
                extra = f" in action started at {self.parse_name}:{self.action_line}"
                if token.value.endswith(" action"):
                    extra = extra[len(" in action") :]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    def has_function(self, name: str) -> bool:
        return name in self.funcs

    # -- grammar --

    def parse(self) -> None:
        nodes: list[n.Node] = []
        start = self.peek().pos
        while self.peek().type != T.EOF:
            if self.peek().type == T.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().type == T.DEFINE:
                    definition = _Parser("definition", self.parse_name, self.lex, self.funcs, self.tree_set)
                    definition.parse_definition()
                    continue
                self.backup2(delim)
            node = self.text_or_action()
            if isinstance(node, (n.EndNode, n.ElseNode)):
                self.errorf(f"unexpected {node}")
            nodes.append(node)
        self.root = n.ListNode(start, tuple(nodes))

    def parse_definition(self) -> None:
        context = "define clause"
        name = self.expect_one_of(T.STRING, T.RAW_STRING, context)
        self.name = self._unquote(name.value)
        self.expect(T.RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, n.EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()

    def add(self) -> None:
        existing = self.tree_set.get(self.name)
        if existing is None or _is_empty_tree(existing.root):
            self.tree_set[self.name] = self
            return
        if not _is_empty_tree(self.root):
            self.errorf(f"template: multiple definition of template {go_quote(self.name)}")

    def item_list(self) -> tuple[n.ListNode, n.Node]:
        start = self.peek_non_space().pos
        nodes: list[n.Node] = []
        while self.peek_non_space().type != T.EOF:
            node = self.text_or_action()
            if isinstance(node, (n.EndNode, n.ElseNode)):
                return n.ListNode(start, tuple(nodes)), node
            nodes.append(node)
        self.errorf("unexpected EOF")

    def text_or_action(self) -> n.Node:
        token = self.next_non_space()
        if token.type == T.TEXT:
            return n.TextNode(token.pos, token.value)
        if token.type == T.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        if token.type == T.COMMENT:
            return n.CommentNode(token.pos, token.value)
        self.unexpected(token, "input")

    def action(self) -> n.Node:
        token = self.next_non_space()
        typ = token.type
        if typ == T.BLOCK:
            return self.block_control()
        if typ == T.BREAK:
            return self.break_control(token, "{{break}}", n.BreakNode)
        if typ == T.CONTINUE:
            return self.break_control(token, "{{continue}}", n.ContinueNode)
        if typ == T.ELSE:
            return self.else_control()
        if typ == T.END:
            return n.EndNode(self.expect(T.RIGHT_DELIM, "end").pos)
        if typ == T.IF:
            return self.branch_control(n.IfNode, allow_else_if=True, context="if")
        if typ == T.RANGE:
            return self.branch_control(n.RangeNode, allow_else_if=False, context="range")
        if typ == T.TEMPLATE:
            return self.template_control()
        if typ == T.WITH:
            return self.branch_control(n.WithNode, allow_else_if=False, context="with")
        self.backup()
        token = self.peek()
        return n.ActionNode(token.pos, token.line, self.pipeline("command", T.RIGHT_DELIM))

    def break_control(self, keyword: Token, context: str, cls: type[n.BreakNode | n.ContinueNode]) -> n.Node:
        token = self.next_non_space()
        if token.type != T.RIGHT_DELIM:
            self.unexpected(token, context)
        if self.range_depth == 0:
            self.errorf(f"{context} outside {{{{range}}}}")
        return cls(keyword.pos, keyword.line)

    def pipeline(self, context: str, end: TokenType) -> n.PipeNode:
        token = self.peek_non_space()
        pos, line = token.pos, token.line
        is_assign = False
        decl: list[n.VariableNode] = []
        cmds: list[n.CommandNode] = []
        while True:  # Go's "decls:" label
            v = self.peek_non_space()
            if v.type != T.VARIABLE:
                break
            self.next()
            token_after_variable = self.peek()
            following = self.peek_non_space()
            if following.type in (T.ASSIGN, T.DECLARE):
                is_assign = following.type == T.ASSIGN
                self.next_non_space()
                decl.append(_variable(v.pos, v.value))
                self.vars.append(v.value)
            elif following.type == T.CHAR and following.value == ",":
                self.next_non_space()
                decl.append(_variable(v.pos, v.value))
                self.vars.append(v.value)
                if context == "range" and len(decl) < 2:
                    if self.peek_non_space().type in (T.VARIABLE, T.RIGHT_DELIM, T.RIGHT_PAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            elif token_after_variable.type == T.SPACE:
                self.backup3(v, token_after_variable)
            else:
                self.backup2(v)
            break
        operand_starts = (
            T.BOOL,
            T.CHAR_CONSTANT,
            T.COMPLEX,
            T.DOT,
            T.FIELD,
            T.IDENTIFIER,
            T.NUMBER,
            T.NIL,
            T.RAW_STRING,
            T.STRING,
            T.VARIABLE,
            T.LEFT_PAREN,
        )
        while True:
            token = self.next_non_space()
            if token.type == end:
                pipe = n.PipeNode(pos, line, is_assign, tuple(decl), tuple(cmds))
                self.check_pipeline(pipe, context)
                return pipe
            if token.type in operand_starts:
                self.backup()
                cmds.append(self.command())
            else:
                self.unexpected(token, context)

    def check_pipeline(self, pipe: n.PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, cmd in enumerate(pipe.cmds[1:]):
            if isinstance(cmd.args[0], (n.BoolNode, n.DotNode, n.NilNode, n.NumberNode, n.StringNode)):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def parse_control(
        self, *, allow_else_if: bool, context: str
    ) -> tuple[int, int, n.PipeNode, n.ListNode, n.ListNode | None]:
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, T.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, following = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: n.ListNode | None = None
            if isinstance(following, n.ElseNode):
                if allow_else_if and self.peek().type == T.IF:
                    self.next()
                    else_list = n.ListNode(following.pos, (self.branch_control(n.IfNode, True, "if"),))
                else:
                    else_list, following = self.item_list()
                    if not isinstance(following, n.EndNode):
                        self.errorf(f"expected end; found {following}")
            return pipe.pos, pipe.line, pipe, body, else_list
        finally:
            del self.vars[mark:]

    def branch_control(self, cls: type[n.BranchNode], allow_else_if: bool, context: str) -> n.BranchNode:
        pos, line, pipe, body, else_list = self.parse_control(allow_else_if=allow_else_if, context=context)
        return cls(pos, line, pipe, body, else_list)

    def else_control(self) -> n.Node:
        peek = self.peek_non_space()
        if peek.type == T.IF:
            return n.ElseNode(peek.pos, peek.line)
        token = self.expect(T.RIGHT_DELIM, "else")
        return n.ElseNode(token.pos, token.line)

    def block_control(self) -> n.Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, T.RIGHT_DELIM)
        block = _Parser(name, self.parse_name, self.lex, self.funcs, self.tree_set)
        block.root, end = block.item_list()
        if not isinstance(end, n.EndNode):
            self.errorf(f"unexpected {end} in {context}")
        block.add()
        return n.TemplateNode(token.pos, token.line, name, pipe)

    def template_control(self) -> n.Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe: n.PipeNode | None = None
        if self.next_non_space().type != T.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, T.RIGHT_DELIM)
        return n.TemplateNode(token.pos, token.line, name, pipe)

    def parse_template_name(self, token: Token, context: str) -> str:
        if token.type in (T.STRING, T.RAW_STRING):
            return self._unquote(token.value)
        self.unexpected(token, context)

    def command(self) -> n.CommandNode:
        pos = self.peek_non_space().pos
        args: list[n.Node] = []
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                args.append(operand)
            token = self.next()
            if token.type == T.SPACE:
                continue
            if token.type in (T.RIGHT_DELIM, T.RIGHT_PAREN):
                self.backup()
            elif token.type != T.PIPE:
                self.unexpected(token, "operand")
            break
        if not args:
            self.errorf("empty command")
        return n.CommandNode(pos, tuple(args))

    def operand(self) -> n.Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().type == T.FIELD:
            chain_pos = self.peek().pos
            names: list[str] = []
            while self.peek().type == T.FIELD:
                names.append(self.next().value[1:])
            chain = n.ChainNode(chain_pos, node, tuple(names))
            if isinstance(node, n.FieldNode):
                return n.FieldNode(chain_pos, tuple(str(chain)[1:].split(".")))
            if isinstance(node, n.VariableNode):
                return _variable(chain_pos, str(chain))
            if isinstance(node, (n.BoolNode, n.StringNode, n.NumberNode, n.NilNode, n.DotNode)):
                self.errorf(f"unexpected . after term {go_quote(str(node))}")
            return chain
        return node

    def term(self) -> n.Node | None:
        token = self.next_non_space()
        typ = token.type
        if typ == T.IDENTIFIER:
            if not self.has_function(token.value):
                self.errorf(f"function {go_quote(token.value)} not defined")
            return n.IdentifierNode(token.pos, token.value)
        if typ == T.DOT:
            return n.DotNode(token.pos)
        if typ == T.NIL:
            return n.NilNode(token.pos)
        if typ == T.VARIABLE:
            if token.value not in self.vars:
                self.errorf(f"undefined variable {go_quote(token.value)}")
            return _variable(token.pos, token.value)
        if typ == T.FIELD:
            return n.FieldNode(token.pos, tuple(token.value[1:].split(".")))
        if typ == T.BOOL:
            return n.BoolNode(token.pos, token.value == "true")
        if typ in (T.CHAR_CONSTANT, T.COMPLEX, T.NUMBER):
            try:
                return _number(token)
            except _NumberError as exc:
                self.errorf(str(exc))
        if typ == T.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", T.RIGHT_PAREN)
        if typ in (T.STRING, T.RAW_STRING):
            return n.StringNode(token.pos, token.value, self._unquote(token.value))
        self.backup()
        return None

    def _unquote(self, quoted: str) -> str:
        try:
            return unquote(quoted)
        except QuoteSyntaxError as exc:
            self.errorf(str(exc))


def _variable(pos: int, ident: str) -> n.VariableNode:
    return n.VariableNode(pos, tuple(ident.split(".")))


class _NumberError(Exception):
    pass


_COMPLEX = re.compile(r"([+-]?[0-9a-fA-FxXoObBpP_.]+?(?:[eEpP][+-]?[0-9_]+)?)([+-][0-9a-fA-FxXoObBpP_.eE]+?)i")


def _number(token: Token) -> n.NumberNode:
    """Go's ``Tree.newNumber``: the value under every type that can represent it, or Go's error text."""
    text, pos = token.value, token.pos
    if token.type == T.CHAR_CONSTANT:
        try:
            code, _multibyte, tail = unquote_char(text[1:], text[0])
        except QuoteSyntaxError as exc:
            raise _NumberError(str(exc)) from exc
        if tail != "'":
            raise _NumberError(f"malformed character constant: {text}")
        return n.NumberNode(pos, text, True, True, True, False, code, code, float(code))
    if token.type == T.COMPLEX:
        match = _COMPLEX.fullmatch(text)
        try:
            if match is None:
                raise GoParseError(text)
            value = complex(parse_float(match.group(1)), parse_float(match.group(2)))
        except GoParseError as exc:
            raise _NumberError("syntax error scanning complex number") from exc
        return _simplify_complex(pos, text, value)
    if text.endswith("i"):
        try:
            return _simplify_complex(pos, text, complex(0, parse_float(text[:-1])))
        except GoParseError:
            pass
    is_int = is_uint = is_float = False
    int64 = uint64 = 0
    float64 = 0.0
    try:
        uint64 = parse_uint(text)
        is_uint = True
    except GoParseError:
        pass
    try:
        int64 = parse_int(text)
        is_int = True
        if int64 == 0:
            is_uint = True
    except GoParseError:
        pass
    if is_int:
        is_float, float64 = True, float(int64)
    elif is_uint:
        is_float, float64 = True, float(uint64)
    else:
        try:
            f = parse_float(text)
        except GoParseError:
            pass
        else:
            if not any(c in text for c in ".eEpP"):
                raise _NumberError(f"integer overflow: {go_quote(text)}")
            is_float, float64 = True, f
            if math.isfinite(f) and f == int(f):
                if -(1 << 63) <= int(f) < (1 << 63):
                    is_int, int64 = True, int(f)
                if 0 <= int(f) <= (1 << 64) - 1:
                    is_uint, uint64 = True, int(f)
    if not (is_int or is_uint or is_float):
        raise _NumberError(f"illegal number syntax: {go_quote(text)}")
    return n.NumberNode(pos, text, is_int, is_uint, is_float, False, int64, uint64, float64)


def _simplify_complex(pos: int, text: str, value: complex) -> n.NumberNode:
    is_float = value.imag == 0
    is_int = is_uint = False
    int64 = uint64 = 0
    real = value.real
    if is_float and real == int(real):
        if -(1 << 63) <= int(real) < (1 << 63):
            is_int, int64 = True, int(real)
        if 0 <= int(real) <= (1 << 64) - 1:
            is_uint, uint64 = True, int(real)
    return n.NumberNode(pos, text, is_int, is_uint, is_float, True, int64, uint64, real if is_float else 0.0, value)


def parse_tree(text: str, name: str, funcs: Collection[str]) -> Tree:
    """Parse ``text`` as Go's ``template.New(name).Funcs(...).Parse(text)`` would; raises :class:`ParseError`.

    ``funcs`` is every function name the template may call (Packer's, a builder's and Go's builtins): Go checks
    names at parse time (``function "clean_resource_name" not defined``).
    """
    tokens = lex(text, break_ok="break" not in funcs, continue_ok="continue" not in funcs)
    tree_set: dict[str, _Parser] = {}
    main = _Parser(name, name, _TokenSource(tokens), funcs, tree_set)
    try:
        main.parse()
        main.add()
    except _Abort as exc:
        raise ParseError(str(exc)) from None
    templates = {key: parser.root for key, parser in tree_set.items() if parser.root is not None}
    root = templates.get(name) or n.ListNode(0, ())
    return Tree(name=name, root=root, text=text, parse_name=name, templates=MappingProxyType(templates))
