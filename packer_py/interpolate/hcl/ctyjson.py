"""cty values as JSON (go-cty's ``cty/json``): what ``jsonencode``, ``jsondecode`` and ``format("%v")`` use.

Encoding follows Go's ``encoding/json`` string escaping (``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\u003c``
etc.; other control characters as ``\\u00XX`` except ``\\n \\r \\t``), keys in sorted order, and numbers in the
shortest form that round-trips at the number's own precision (``jsonencode(1/3)`` prints 155 digits).
Decoding gives objects and tuples (JSON implies no collection types) and numbers at 512-bit precision; the last
of duplicate keys wins.
"""

from __future__ import annotations

from packer_py.errors import PackerPyError
from packer_py.interpolate.hcl.types import BOOL, NUMBER, STRING, CtyType, DynamicPseudoType
from packer_py.interpolate.hcl.values import (
    EMPTY_OBJECT_VAL,
    EMPTY_TUPLE_VAL,
    Value,
    bool_val,
    null_val,
    object_val,
    parse_number_val,
    string_val,
    tuple_val,
)

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class JSONError(PackerPyError):
    """A value cannot be encoded, or a text cannot be decoded. The message is cty's / Go's."""


def go_json_string(s: str) -> str:
    """Go's ``json.Marshal`` of a string (HTML-safe escaping)."""
    out = ['"']
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or ch in "<>&\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        elif "\ud800" <= ch <= "\udfff":
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def marshal(value: Value) -> str:
    """``json.Marshal(val, val.Type())``. Raises ``JSONError`` for unknowns and infinities."""
    parts: list[str] = []
    _marshal(value, value.type, parts)
    return "".join(parts)


def _marshal(val: Value, ty: CtyType, out: list[str]) -> None:
    if isinstance(ty, DynamicPseudoType) and not isinstance(val.type, DynamicPseudoType):
        out.append('{"value":')
        _marshal(val, val.type, out)
        out.append(',"type":')
        out.append(marshal_type(val.type))
        out.append("}")
        return
    if val.is_null:
        out.append("null")
        return
    if not val.is_known:
        raise JSONError("value is not known")
    if ty == STRING:
        out.append(go_json_string(val.as_string()))
    elif ty == NUMBER:
        f = val.as_bigfloat()
        if f.is_inf:
            raise JSONError("cannot serialize infinity as JSON")
        out.append(f.text("f", -1))
    elif ty == BOOL:
        out.append("true" if val.true() else "false")
    elif ty.is_map or ty.is_object:
        out.append("{")
        attr_types = ty.attribute_types if ty.is_object else None  # type: ignore[attr-defined]
        for i, (k, v) in enumerate(val.attrs().items()):
            if i:
                out.append(",")
            out.append(go_json_string(k))
            out.append(":")
            _marshal(v, attr_types[k] if attr_types is not None else ty.element_type(), out)
        out.append("}")
    else:
        out.append("[")
        elems = val.elements()
        etys = ty.elements if ty.is_tuple else None  # type: ignore[attr-defined]
        for i, v in enumerate(elems):
            if i:
                out.append(",")
            _marshal(v, etys[i] if etys is not None else ty.element_type(), out)
        out.append("]")


def marshal_type(ty: CtyType) -> str:
    """cty's JSON type description (``"string"``, ``["list","string"]``, ``["object",{...}]``)."""
    if ty.is_primitive:
        return f'"{ty.friendly_name()}"'
    if isinstance(ty, DynamicPseudoType):
        return '"dynamic"'
    if ty.is_list or ty.is_set or ty.is_map:
        kind = "list" if ty.is_list else "set" if ty.is_set else "map"
        return f'["{kind}",{marshal_type(ty.element_type())}]'
    if ty.is_object:
        inner = ",".join(f"{go_json_string(k)}:{marshal_type(t)}" for k, t in ty.attrs)  # type: ignore[attr-defined]
        return f'["object",{{{inner}}}]'
    return '["tuple",[' + ",".join(marshal_type(t) for t in ty.elements) + "]]"  # type: ignore[attr-defined]


# decoding ------------------------------------------------------------------------------------------------------


class _Reader:
    """A small JSON tokenizer producing Go-like error messages."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def fail(self, context: str) -> JSONError:
        if self.i >= len(self.s):
            # Go's json.Decoder.Token reports a plain EOF when the text ends between tokens
            return JSONError("EOF")
        ch = self.s[self.i]
        quoted = "'\\''" if ch == "'" else f"'{ch}'"
        return JSONError(f"invalid character {quoted} {context}")

    def value(self) -> Value:
        self.ws()
        if self.i >= len(self.s):
            raise JSONError("EOF")
        ch = self.s[self.i]
        if ch == "{":
            return self.obj()
        if ch == "[":
            return self.arr()
        if ch == '"':
            return string_val(self.string())
        if ch == "-" or ch.isdigit():
            return self.number()
        for word, val in (("true", bool_val(True)), ("false", bool_val(False)), ("null", None)):
            if self.s.startswith(word, self.i):
                self.i += len(word)
                return val if val is not None else null_val(_DYN)
            if word[0] == ch:
                j = 0
                while self.i + j < len(self.s) and j < len(word) and self.s[self.i + j] == word[j]:
                    j += 1
                self.i += j
                raise self.fail(f"in literal {word} (expecting '{word[j]}')")
        raise self.fail("looking for beginning of value")

    def skip(self, ch: str) -> bool:
        """Consume ``ch`` if it comes next."""
        if self.i < len(self.s) and self.s[self.i] == ch:
            self.i += 1
            return True
        return False

    def after_item(self, close: str, context: str) -> bool:
        """After an object member or array element: a comma (more follow) or ``close`` (True: the end)."""
        self.ws()
        if self.skip(","):
            return False
        if self.skip(close):
            return True
        raise self.fail(context)

    def obj(self) -> Value:
        self.i += 1
        attrs: dict[str, Value] = {}
        self.ws()
        if self.skip("}"):
            return EMPTY_OBJECT_VAL
        while True:
            self.ws()
            if self.i >= len(self.s) or self.s[self.i] != '"':
                raise self.fail("looking for beginning of object key string")
            key = self.string()
            self.ws()
            if not self.skip(":"):
                raise self.fail("after object key")
            attrs[key] = self.value()
            if self.after_item("}", "after object key:value pair"):
                return object_val(attrs)

    def arr(self) -> Value:
        self.i += 1
        elems: list[Value] = []
        self.ws()
        if self.skip("]"):
            return EMPTY_TUPLE_VAL
        while True:
            elems.append(self.value())
            if self.after_item("]", "after array element"):
                return tuple_val(elems)

    def string(self) -> str:
        self.i += 1
        out: list[str] = []
        while True:
            if self.i >= len(self.s):
                raise JSONError("unexpected EOF")
            ch = self.s[self.i]
            if ch == '"':
                self.i += 1
                return "".join(out)
            if ch == "\\":
                self.i += 1
                if self.i >= len(self.s):
                    raise JSONError("unexpected EOF")
                esc = self.s[self.i]
                simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
                if esc in simple:
                    out.append(simple[esc])
                    self.i += 1
                elif esc == "u":
                    hexits = self.s[self.i + 1 : self.i + 5]
                    if len(hexits) < 4 or any(c not in "0123456789abcdefABCDEF" for c in hexits):
                        self.i += 1 + next((k for k, c in enumerate(hexits) if c not in "0123456789abcdefABCDEF"), 4)
                        raise self.fail("in \\u hexadecimal character escape")
                    code = int(hexits, 16)
                    self.i += 5
                    if 0xD800 <= code < 0xDC00 and self.s.startswith("\\u", self.i):
                        low = int(self.s[self.i + 2 : self.i + 6] or "0", 16)
                        if 0xDC00 <= low < 0xE000:
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            self.i += 6
                    if 0xD800 <= code < 0xE000:
                        code = 0xFFFD
                    out.append(chr(code))
                else:
                    raise self.fail("in string escape code")
                continue
            if ch < " ":
                raise self.fail("in string literal")
            out.append(ch)
            self.i += 1

    def number(self) -> Value:
        start = self.i
        if self.s[self.i] == "-":
            self.i += 1
        if self.i >= len(self.s):
            raise JSONError("unexpected EOF")
        if self.s[self.i] == "0":
            self.i += 1
        elif self.s[self.i].isdigit():
            while self.i < len(self.s) and self.s[self.i].isdigit():
                self.i += 1
        else:
            raise self.fail("in numeric literal")
        if self.i < len(self.s) and self.s[self.i] == ".":
            self.i += 1
            if self.i >= len(self.s) or not self.s[self.i].isdigit():
                raise self.fail("after decimal point in numeric literal")
            while self.i < len(self.s) and self.s[self.i].isdigit():
                self.i += 1
        if self.i < len(self.s) and self.s[self.i] in "eE":
            self.i += 1
            if self.i < len(self.s) and self.s[self.i] in "+-":
                self.i += 1
            if self.i >= len(self.s) or not self.s[self.i].isdigit():
                raise self.fail("in exponent of numeric literal")
            while self.i < len(self.s) and self.s[self.i].isdigit():
                self.i += 1
        return parse_number_val(self.s[start : self.i])


_DYN = DynamicPseudoType()


def unmarshal(text: str) -> Value:
    """``json.ImpliedType`` + ``json.Unmarshal``: decode JSON text into a cty value."""
    reader = _Reader(text)
    reader.ws()
    if reader.i >= len(text):
        raise JSONError("EOF")
    value = reader.value()
    reader.ws()
    if reader.i < len(text):
        raise JSONError("extraneous data after JSON object")
    return value
