"""HCL's JSON syntax (``*.pkr.json``, ``*.pkrvars.json``), as hashicorp/hcl v2.6.0's ``json`` package reads it.

Packer 1.6.6 parses ``.pkr.json`` files with ``hclparse``'s JSON parser, so a JSON configuration says everything a
native one says, spelled as JSON: a body is an object whose properties are arguments or blocks, and *which* they
are is only decided when a schema asks (``source: {"null": {"a": {...}}}`` is a ``source "null" "a"`` block because
the schema says ``source`` blocks have two labels). Strings are templates (``"${var.x}"``) when evaluated with a
context, and literal text without one.

This module is the scanner and parser (with hcl's own diagnostics: ``Invalid JSON keyword``, ``Trailing comma in
object``, ...), the JSON body (``JsonBody``: ``content``/``partial_content``/``just_attributes`` with the JSON
package's messages, ``Extraneous JSON object property``), JSON expressions (``JsonExpression``, evaluated by the
evaluator through ``json_value``) and the navigation that names a diagnostic's context
(``source.null.a``).

Columns count characters (hcl counts grapheme clusters inside strings; the same for nearly all text), and a tab
between tokens counts as two columns, as hcl's JSON scanner counts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl.syntax import HclDiagnostic, Range, SrcPos, err
from packer_py.interpolate.hcl.values import Value

# ---------------------------------------------------------------------------------------------------------------
# AST


@dataclass
class JNode:
    src_range: Range

    @property
    def range(self) -> Range:
        return self.src_range

    @property
    def start_range(self) -> Range:
        return self.src_range


@dataclass
class JAttr:
    name: str
    value: JNode
    name_range: Range

    @property
    def range(self) -> Range:
        """``objectAttr.Range()`` is the name's range (hcl uses it as the context of property diagnostics)."""
        return self.name_range


class _JBracketed(JNode):
    """An object or array: its ``StartRange`` is the opening bracket."""

    open_range: Range | None

    @property
    def start_range(self) -> Range:
        assert self.open_range is not None
        return self.open_range


@dataclass
class JObject(_JBracketed):
    attrs: list[JAttr] = field(default_factory=list)
    open_range: Range | None = None
    close_range: Range | None = None


@dataclass
class JArray(_JBracketed):
    values: list[JNode] = field(default_factory=list)
    open_range: Range | None = None


@dataclass
class JString(JNode):
    value: str = ""


@dataclass
class JNumber(JNode):
    value: Value | None = None


@dataclass
class JBool(JNode):
    value: bool = False


@dataclass
class JNull(JNode):
    pass


@dataclass
class JInvalid(JNode):
    pass


# ---------------------------------------------------------------------------------------------------------------
# scanner


@dataclass(frozen=True)
class _Tok:
    type: str  # one of "{}[],:=" or "K" keyword, "S" string, "N" number, "EOF", "INVALID"
    text: str
    range: Range


def _alpha(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _scan(src: str, filename: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, line, col = 0, 1, 1
    n = len(src)

    def pos() -> SrcPos:
        return SrcPos(line, col, i)

    while True:
        while i < n and src[i] in " \n\r\t":
            ch = src[i]
            i += 1
            if ch == " ":
                col += 1
            elif ch == "\n":
                line, col = line + 1, 1
            elif ch == "\t":
                col += 2
        start = pos()
        if i >= n:
            toks.append(_Tok("EOF", "", Range(filename, start, start)))
            return toks
        ch = src[i]
        if ch in "{}[],:=":
            i, col = i + 1, col + 1
            toks.append(_Tok(ch, ch, Range(filename, start, pos())))
        elif ch == '"':
            j = i + 1
            col += 1
            escaping = False
            while j < n:
                c = src[j]
                if c == "\\":
                    escaping = not escaping
                elif c == '"':
                    if not escaping:
                        j += 1
                        col += 1
                        break
                    escaping = False
                elif ord(c) < 32:
                    break
                else:
                    escaping = False
                j += 1
                col += 1
            text, i = src[i:j], j
            toks.append(_Tok("S", text, Range(filename, start, pos())))
        elif ch in "-+.0123456789":
            j = i
            while j < n and src[j] in "-+.eE0123456789":
                j += 1
            col += j - i
            text, i = src[i:j], j
            toks.append(_Tok("N", text, Range(filename, start, pos())))
        elif _alpha(ch):
            j = i
            while j < n and (_alpha(src[j]) or src[j] == "_"):
                j += 1
            col += j - i
            text, i = src[i:j], j
            toks.append(_Tok("K", text, Range(filename, start, pos())))
        else:
            end = SrcPos(line, col + 1, i + 1)
            toks.append(_Tok("INVALID", ch, Range(filename, start, end)))
            toks.append(_Tok("EOF", "", Range(filename, end, end)))
            return toks


# ---------------------------------------------------------------------------------------------------------------
# parser

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_VALUE_START = "A JSON value must start with a brace, a bracket, a number, a string, or a keyword."


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.pos = 0

    def peek(self) -> _Tok:
        return self.toks[self.pos]

    def read(self) -> _Tok:
        tok = self.toks[self.pos]
        if tok.type != "EOF":
            self.pos += 1
        return tok

    def value(self) -> tuple[JNode, list[HclDiagnostic]]:
        tok = self.peek()
        node: JNode | None
        if tok.type == "{":
            node, diags = self.obj()
        elif tok.type == "[":
            node, diags = self.arr()
        elif tok.type == "N":
            node, diags = self.number()
        elif tok.type == "S":
            node, diags = self.string()
        elif tok.type == "K":
            node, diags = self.keyword()
        else:
            node = None
            summary = {
                "}": "Missing JSON value",
                "]": "Missing array element value",
                "EOF": "Missing value",
            }.get(tok.type, "Invalid start of value")
            detail = "The JSON data ends prematurely." if tok.type == "EOF" else _VALUE_START
            diags = [err(summary, detail, tok.range)]
        if node is None:
            return JInvalid(tok.range), diags
        return node, diags

    def _recover(self, tok: _Tok, opener: str, closer: str) -> None:
        depth = 1
        while True:
            if tok.type == opener:
                depth += 1
            elif tok.type == closer:
                depth -= 1
                if depth <= 1:
                    return
            elif tok.type == "EOF":
                return
            tok = self.read()

    def obj(self) -> tuple[JObject | None, list[HclDiagnostic]]:
        diags: list[HclDiagnostic] = []
        opn = self.read()
        attrs: list[JAttr] = []
        while self.peek().type != "}":
            key, more = self.value()  # never None: an invalid value is a placeholder, as in hcl
            diags += more
            if not isinstance(key, JString):
                diags.append(
                    err(
                        "Invalid object property name",
                        "A JSON object property name must be a string",
                        key.start_range,
                    )
                )
                return None, diags
            colon = self.read()
            if colon.type != ":":
                self._recover(colon, "{", "}")
                if colon.type in ("}", ","):
                    detail = "A JSON object attribute must have a value, introduced by a colon."
                    diags.append(err("Missing object value", detail, colon.range))
                elif colon.type == "=":
                    detail = "JSON uses a colon as its name/value delimiter, not an equals sign."
                    diags.append(err("Missing property value colon", detail, colon.range))
                else:
                    detail = "A colon must appear between an object property's name and its value."
                    diags.append(err("Missing property value colon", detail, colon.range))
                return None, diags
            val, more = self.value()
            diags += more
            attrs.append(JAttr(key.value, val, key.src_range))
            nxt = self.peek().type
            if nxt == ",":
                comma = self.read()
                if self.peek().type == "}":
                    detail = "JSON does not permit a trailing comma after the final property in an object."
                    diags.append(err("Trailing comma in object", detail, comma.range))
                    return None, diags
                continue
            if nxt == "EOF":
                diags.append(err("Unclosed object", "No closing brace was found for this JSON object.", opn.range))
                return None, diags
            if nxt == "]":
                self.read()
                detail = "A JSON object must be closed with a brace, not a bracket."
                diags.append(err("Mismatched braces", detail, self.peek().range))
                return None, diags
            if nxt == "}":
                break
            self._recover(self.read(), "{", "}")
            detail = "A comma must appear between each property definition in an object."
            diags.append(err("Missing attribute seperator comma", detail, self.peek().range))
            return None, diags
        close = self.read()
        return JObject(s.between(opn.range, close.range), attrs, opn.range, close.range), diags

    def arr(self) -> tuple[JArray | None, list[HclDiagnostic]]:
        diags: list[HclDiagnostic] = []
        opn = self.read()
        vals: list[JNode] = []
        while self.peek().type != "]":
            val, more = self.value()
            diags += more
            vals.append(val)
            nxt = self.peek().type
            if nxt == ",":
                comma = self.read()
                if self.peek().type == "]":
                    detail = "JSON does not permit a trailing comma after the final value in an array."
                    diags.append(err("Trailing comma in array", detail, comma.range))
                    return None, diags
                continue
            if nxt == "]":
                break
            self._recover(self.read(), "[", "]")
            if nxt == ":":
                summary, detail = "Invalid array value", "A colon is not used to introduce values in a JSON array."
                subject = self.peek().range
            elif nxt == "EOF":
                summary, detail = "Unclosed object", "No closing bracket was found for this JSON array."
                subject = opn.range
            elif nxt == "}":
                summary, detail = "Mismatched brackets", "A JSON array must be closed with a bracket, not a brace."
                subject = self.peek().range
            else:
                summary = "Missing attribute seperator comma"
                detail = "A comma must appear between each value in an array."
                subject = self.peek().range
            diags.append(err(summary, detail, subject))
            return None, diags
        close = self.read()
        return JArray(s.between(opn.range, close.range), vals, opn.range), diags

    def number(self) -> tuple[JNumber | None, list[HclDiagnostic]]:
        from packer_py.interpolate.hcl.values import parse_number_val

        tok = self.read()
        if not _NUMBER.fullmatch(tok.text):
            return None, [err("Invalid JSON number", "There is a syntax error in the given JSON number.", tok.range)]
        return JNumber(tok.range, parse_number_val(tok.text)), []

    def string(self) -> tuple[JString | None, list[HclDiagnostic]]:
        from packer_py.template.jsonread import JSONSyntaxError, read_json
        from packer_py.template.positions import PositionMap

        tok = self.read()
        data = tok.text.encode("utf-8")
        try:
            value = read_json(data, PositionMap(""), reject_duplicates=False)
        except JSONSyntaxError as exc:
            offset = len(data[: exc.offset].decode("utf-8", "ignore"))
            start = tok.range.start
            at = SrcPos(start.line, start.column + offset, start.byte + offset)
            subject = Range(tok.range.filename, at, SrcPos(at.line, at.column + 1, at.byte + 1))
            context = tok.range if subject != tok.range else None
            detail = "There is a syntax error in the given JSON string."
            return None, [HclDiagnostic("error", "Invalid JSON string", detail, subject, context)]
        assert isinstance(value, str)
        return JString(tok.range, value), []

    def keyword(self) -> tuple[JNode | None, list[HclDiagnostic]]:
        tok = self.read()
        word = tok.text
        if word in ("true", "false"):
            return JBool(tok.range, word == "true"), []
        if word == "null":
            return JNull(tok.range), []
        if word in ("undefined", "NaN", "Infinity"):
            detail = f"The JavaScript identifier {go_quote(word)} cannot be used in JSON."
            return None, [err("Invalid JSON keyword", detail, tok.range)]
        suggestion = s.name_suggestion(word, ["false", "true", "null"])
        dym = f" Did you mean {go_quote(suggestion)}?" if suggestion else ""
        return None, [err("Invalid JSON keyword", f"{go_quote(word)} is not a valid JSON keyword.{dym}", tok.range)]


def parse_json_config(src: str, filename: str) -> tuple[JsonBody, list[HclDiagnostic]]:
    """``json.Parse``: the file's root body (an empty object when the root is not an object or array)."""
    p = _Parser(_scan(src, filename))
    root, diags = p.value()
    if not diags and p.peek().type != "EOF":
        diags.append(
            err("Extraneous data after value", "Extra characters appear after the JSON value.", p.peek().range)
        )
    if not isinstance(root, JObject | JArray):
        detail = "The root value in a JSON-based configuration must be either a JSON object or a JSON array of objects."
        diags.append(err("Root value must be object", detail, root.start_range))
        fake = Range(filename, SrcPos(1, 1, 0), SrcPos(1, 1, 0))
        root = JObject(fake, [], fake, fake)
    return JsonBody(root), diags


# ---------------------------------------------------------------------------------------------------------------
# bodies


@dataclass
class JsonBody:
    """hcl's JSON ``body``: an object (or an array of objects) whose properties a schema interprets."""

    val: JNode
    hidden: frozenset[str] = frozenset()

    @property
    def range(self) -> Range:
        return self.val.range

    @property
    def end_range(self) -> Range:
        return self.missing_item_range()

    def missing_item_range(self) -> Range:
        if isinstance(self.val, JObject):
            assert self.val.close_range is not None
            return self.val.close_range
        if isinstance(self.val, JArray):
            assert self.val.open_range is not None
            return self.val.open_range
        return self.val.start_range


def _deep_attrs(v: JNode, label: str | None) -> tuple[list[JAttr], list[HclDiagnostic]]:
    """``collectDeepAttrs``: the properties of an object, or of every object in an array."""
    if isinstance(v, JNull):
        return [], []
    if isinstance(v, JObject):
        return list(v.attrs), []
    if isinstance(v, JArray):
        attrs: list[JAttr] = []
        diags: list[HclDiagnostic] = []
        for ev in v.values:
            if isinstance(ev, JObject):
                attrs += ev.attrs
            elif label is not None:
                detail = f"A JSON object is required here, to specify {label} labels for this block."
                diags.append(err("Incorrect JSON value type", detail, ev.start_range))
            else:
                detail = "A JSON object is required here, to define arguments and child blocks."
                diags.append(err("Incorrect JSON value type", detail, ev.start_range))
        return attrs, diags
    if label is not None:
        detail = (
            f"Either a JSON object or JSON array of objects is required here, to specify {label} labels for this block."
        )
    else:
        detail = "Either a JSON object or JSON array of objects is required here, to define arguments and child blocks."
    return [], [err("Incorrect JSON value type", detail, v.start_range)]


def _attribute(a: JAttr) -> s.Attribute:
    rng = s.between(a.name_range, a.value.range)
    return s.Attribute(a.name, JsonExpression(a.value), rng, a.name_range, a.name_range)


def _unpack_block(
    v: JNode,
    type_name: str,
    type_range: Range,
    labels_left: tuple[str, ...],
    labels: list[str],
    label_ranges: list[Range],
    out: list[s.Block],
) -> list[HclDiagnostic]:
    if labels_left:
        label = labels_left[0]
        attrs, diags = _deep_attrs(v, label)
        if not attrs:
            detail = f"At least one object property is required, whose name represents the {type_name} block's {label}."
            return diags + [err("Missing block label", detail, v.start_range)]
        for a in attrs:
            diags += _unpack_block(
                a.value, type_name, type_range, labels_left[1:], [*labels, a.name], [*label_ranges, a.name_range], out
            )
        return diags
    if isinstance(v, JNull):
        return []
    if isinstance(v, JObject):
        items: list[JNode] = [v]
        opn = v.open_range
    elif isinstance(v, JArray):
        items = list(v.values)
        opn = v.open_range
    else:
        detail = (
            "Either a JSON object or a JSON array is required, representing the contents of one or more "
            f"{go_quote(type_name)} blocks."
        )
        return [err("Incorrect JSON value type", detail, v.start_range)]
    assert opn is not None
    for item in items:
        close = item.close_range if isinstance(item, JObject) and item.close_range is not None else item.range
        out.append(
            s.Block(
                type_name,
                list(labels),
                JsonBody(item),  # type: ignore[arg-type]
                type_range,
                list(label_ranges),
                opn,
                close,
                def_range_override=opn,
            )
        )
    return []


def json_partial_content(
    body: JsonBody,
    attr_names: tuple[str, ...],
    blocks: tuple[tuple[str, tuple[str, ...]], ...],
    required: tuple[str, ...],
) -> tuple[dict[str, s.Attribute], list[s.Block], list[HclDiagnostic], JsonBody]:
    """``body.PartialContent``: the schema's arguments and blocks, and the body with them hidden."""
    attrs_found, diags = _deep_attrs(body.val, None)
    used = set(body.hidden)
    attrs: dict[str, s.Attribute] = {}
    found_blocks: list[s.Block] = []
    block_labels = dict(blocks)
    for a in attrs_found:
        if a.name in body.hidden:
            continue
        if a.name in attr_names:
            existing = attrs.get(a.name)
            if existing is not None:
                diags.append(
                    err(
                        "Duplicate argument",
                        f"The argument {go_quote(a.name)} was already set at {existing.range}.",
                        a.name_range,
                        a.range,
                    )
                )
                continue
            attrs[a.name] = _attribute(a)
            used.add(a.name)
        elif a.name in block_labels:
            diags += _unpack_block(a.value, a.name, a.name_range, block_labels[a.name], [], [], found_blocks)
            used.add(a.name)
    for name in required:
        if name not in attrs:
            detail = f"The argument {go_quote(name)} is required, but no definition was found."
            diags.append(err("Missing required argument", detail, body.missing_item_range()))
    return attrs, found_blocks, diags, JsonBody(body.val, frozenset(used))


def json_content(
    body: JsonBody,
    attr_names: tuple[str, ...],
    blocks: tuple[tuple[str, tuple[str, ...]], ...],
    required: tuple[str, ...],
) -> tuple[dict[str, s.Attribute], list[s.Block], list[HclDiagnostic]]:
    """``body.Content``: also an ``Extraneous JSON object property`` for each property the schema has no use for."""
    attrs, found_blocks, diags, rest = json_partial_content(body, attr_names, blocks, required)
    suggestions = [n for n in attr_names if n not in rest.hidden] + [b for b, _ in blocks]
    attrs_found, more = _deep_attrs(body.val, None)
    diags += more
    for a in attrs_found:
        if a.name == "//" or a.name in rest.hidden:
            continue
        suggestion = s.name_suggestion(a.name, suggestions)
        dym = f" Did you mean {go_quote(suggestion)}?" if suggestion else ""
        diags.append(
            err(
                "Extraneous JSON object property",
                f"No argument or block type is named {go_quote(a.name)}.{dym}",
                a.name_range,
                a.range,
            )
        )
    return attrs, found_blocks, diags


def json_just_attributes(body: JsonBody) -> tuple[dict[str, s.Attribute], list[HclDiagnostic]]:
    """``body.JustAttributes``: every property is an argument (``//`` is a comment)."""
    attrs: dict[str, s.Attribute] = {}
    if not isinstance(body.val, JObject):
        detail = "A JSON object is required here, setting the arguments for this block."
        return attrs, [err("Incorrect JSON value type", detail, body.val.start_range)]
    diags: list[HclDiagnostic] = []
    for a in body.val.attrs:
        if a.name == "//" or a.name in body.hidden:
            continue
        existing = attrs.get(a.name)
        if existing is not None:
            detail = f"The argument {go_quote(a.name)} was already set at {existing.range}."
            diags.append(err("Duplicate attribute definition", detail, a.name_range))
            continue
        attrs[a.name] = _attribute(a)
    return attrs, diags


# ---------------------------------------------------------------------------------------------------------------
# expressions


@dataclass
class JsonExpression(s.Expr):
    """hcl's JSON ``expression``: a JSON value read as HCL (see ``json_value``)."""

    node: JNode

    @property
    def range(self) -> Range:  # type: ignore[override]
        return self.node.range

    @property
    def start_range(self) -> Range:
        return self.node.start_range

    def traversals(self) -> list[s.ScopeTraversal]:
        return json_variables(self)


def _template(node: JString) -> tuple[s.Expr, list[HclDiagnostic]]:
    start = node.src_range.start
    # hcl's approximation: positions skip the opening quote but cannot see the escapes JSON removed
    return s.parse_template(node.value, node.src_range.filename, SrcPos(start.line, start.column + 1, start.byte + 1))


def json_value(expr: JsonExpression, ctx: object) -> tuple[Value, list[HclDiagnostic]]:
    """``expression.Value``: with a context, strings are templates (``"${var.x}"``); without one, literal text.
    Arrays are tuples, objects are objects whose keys are templates too, ``null`` is a dynamic null."""
    from packer_py.interpolate.hcl.convert import ConversionError, convert
    from packer_py.interpolate.hcl.evaluator import evaluate
    from packer_py.interpolate.hcl.types import DYNAMIC, STRING
    from packer_py.interpolate.hcl.values import (
        DYNAMIC_VAL,
        bool_val,
        null_val,
        object_val,
        string_val,
        tuple_val,
    )

    node = expr.node
    if isinstance(node, JString):
        if ctx is None:
            return string_val(node.value), []
        tmpl, diags = _template(node)
        if any(d.is_error for d in diags):
            return DYNAMIC_VAL, diags
        val, more = evaluate(tmpl, ctx)  # type: ignore[arg-type]
        return val, diags + more
    if isinstance(node, JNumber):
        assert node.value is not None
        return node.value, []
    if isinstance(node, JBool):
        return bool_val(node.value), []
    if isinstance(node, JNull):
        return null_val(DYNAMIC), []
    if isinstance(node, JArray):
        vals = []
        diags = []
        for item in node.values:
            val, more = json_value(JsonExpression(item), ctx)
            vals.append(val)
            diags += more
        return tuple_val(vals), diags
    if isinstance(node, JObject):
        attrs: dict[str, Value] = {}
        ranges: dict[str, Range] = {}
        diags = []
        known = True
        for a in node.attrs:
            name, name_diags = json_value(JsonExpression(JString(a.name_range, a.name)), ctx)
            val_expr = JsonExpression(a.value)
            val, val_diags = json_value(val_expr, ctx)
            diags += name_diags + val_diags
            try:
                name = convert(name, STRING)
            except ConversionError as exc:
                diags.append(
                    HclDiagnostic(
                        "error",
                        "Invalid object key expression",
                        f"Cannot use this expression as an object key: {exc}.",
                        a.name_range,
                        None,
                        val_expr,
                        ctx,
                    )
                )
                continue
            if name.is_null:
                diags.append(
                    HclDiagnostic(
                        "error",
                        "Invalid object key expression",
                        "Cannot use null value as an object key.",
                        a.name_range,
                        None,
                        val_expr,
                        ctx,
                    )
                )
                continue
            if not name.is_known:
                known = False
                continue
            key = name.as_string()
            if key in attrs:
                diags.append(
                    HclDiagnostic(
                        "error",
                        "Duplicate object attribute",
                        f"An attribute named {go_quote(key)} was already defined at {ranges[key]}.",
                        a.name_range,
                        None,
                        expr,
                        ctx,
                    )
                )
                continue
            attrs[key] = val
            ranges[key] = a.name_range
        if not known:
            return DYNAMIC_VAL, diags
        return object_val(attrs), diags
    return DYNAMIC_VAL, []


def json_variables(expr: JsonExpression) -> list[s.ScopeTraversal]:
    """``expression.Variables()``: the traversals in every string (and object key) of the value."""
    node = expr.node
    if isinstance(node, JString):
        tmpl, diags = _template(node)
        if any(d.is_error for d in diags):
            return []
        return s.walk_traversals(tmpl)
    out: list[s.ScopeTraversal] = []
    if isinstance(node, JArray):
        for item in node.values:
            out += json_variables(JsonExpression(item))
    elif isinstance(node, JObject):
        for a in node.attrs:
            out += json_variables(JsonExpression(JString(a.name_range, a.name)))
            out += json_variables(JsonExpression(a.value))
    return out


# ---------------------------------------------------------------------------------------------------------------
# navigation


def context_string(root: JNode, offset: int) -> str:
    """``navigation.ContextString``: the path of objects and arrays holding ``offset`` (``source.null.a``)."""
    steps: list[str] = []
    node: JNode | None = root
    while node is not None:
        nxt: JNode | None = None
        if isinstance(node, JObject):
            for a in node.attrs:
                if isinstance(a.value, JObject | JArray) and a.value.range.contains_offset(offset):
                    steps.append("." + a.name)
                    nxt = a.value
                    break
        elif isinstance(node, JArray):
            for i, item in enumerate(node.values):
                if isinstance(item, JObject | JArray) and item.range.contains_offset(offset):
                    steps.append(f"[{i}]")
                    nxt = item
                    break
        node = nxt
    text = "".join(steps)
    return text[1:] if text.startswith(".") else text


__all__ = [
    "JsonBody",
    "JsonExpression",
    "context_string",
    "json_content",
    "json_just_attributes",
    "json_partial_content",
    "json_value",
    "json_variables",
    "parse_json_config",
]
