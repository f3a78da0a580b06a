"""Encoding functions: base64 (go-cty-funcs and Packer's ``base64gzip``, ``textencodebase64``,
``textdecodebase64``), ``urlencode`` (Go's ``url.QueryEscape``), ``csvdecode``, ``jsonencode``/``jsondecode``.
"""

from __future__ import annotations

from collections.abc import Sequence

from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl import ctyjson
from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.types import DYNAMIC, STRING, CtyType, DynamicPseudoType, ListType, ObjectType
from packer_py.interpolate.hcl.values import Value, list_val, list_val_empty, object_val, string_val, unknown_val

_URL_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _s(args: Sequence[Arg], i: int = 0) -> str:
    return value(args, i).as_string()


def _go_b64decode(s: str) -> bytes | int:
    """``base64.StdEncoding.DecodeString``: the bytes, or the offset of the first corrupt byte."""
    import base64
    import binascii

    data = s.encode()
    clean = data.replace(b"\r", b"").replace(b"\n", b"")
    try:
        if len(clean) % 4:
            raise binascii.Error
        return base64.b64decode(clean, validate=True)
    except binascii.Error:
        alphabet = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        for i, b in enumerate(data):
            if b in b"\r\n":
                continue
            if b not in alphabet:
                return i
        return len(data) - (len(data) % 4) if len(data) % 4 else len(data)


def _b64encode(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def _base64decode(args: Sequence[Arg], ret: CtyType) -> Value:
    s = _s(args)
    decoded = _go_b64decode(s)
    if isinstance(decoded, int):
        raise FunctionCallError(None, f"failed to decode base64 data '{s}'")
    try:
        return string_val(decoded.decode("utf-8"))
    except UnicodeDecodeError:
        raise FunctionCallError(None, "the result of decoding the the provided string is not valid UTF-8") from None


def _base64gzip(args: Sequence[Arg], ret: CtyType) -> Value:
    import gzip

    data = gzip.compress(_s(args).encode(), compresslevel=6, mtime=0)
    # Go's gzip writer leaves the OS byte as 255 ("unknown") and no extra flags.
    data = data[:8] + b"\x00\xff" + data[10:]
    return string_val(_b64encode(data))


def go_query_escape(s: str) -> str:
    """``url.QueryEscape``: spaces become ``+``."""
    out = []
    for b in s.encode():
        if b in _URL_SAFE:
            out.append(chr(b))
        elif b == 0x20:
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


def _iana_codec(name: str) -> str | None:
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _textencodebase64(args: Sequence[Arg], ret: CtyType) -> Value:
    enc = _iana_codec(_s(args, 1))
    if enc is None:
        raise FunctionCallError(1, f"{go_quote(_s(args, 1))} is not a supported IANA encoding name or alias")
    try:
        data = _s(args, 0).encode(enc)
    except UnicodeEncodeError:
        raise FunctionCallError(
            0, f"the given string contains characters that cannot be represented in {_s(args, 1)}"
        ) from None
    return string_val(_b64encode(data))


def _textdecodebase64(args: Sequence[Arg], ret: CtyType) -> Value:
    enc = _iana_codec(_s(args, 1))
    if enc is None:
        raise FunctionCallError(1, f"{go_quote(_s(args, 1))} is not a supported IANA encoding name or alias")
    decoded = _go_b64decode(_s(args, 0))
    if isinstance(decoded, int):
        raise FunctionCallError(0, f"the given value is has an invalid base64 symbol at offset {decoded}")
    try:
        text = decoded.decode(enc)
    except UnicodeDecodeError:
        text = "\ufffd"
    if "\ufffd" in text:
        raise FunctionCallError(0, f"the given string contains symbols that are not defined for {_s(args, 1)}")
    return string_val(text)


def _csv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    try:
        return [row for row in csv.reader(io.StringIO(text), strict=True) if row]
    except csv.Error as exc:
        raise FunctionCallError(None, f"parse error: {exc}") from None


def _csvdecode_type(args: Sequence[Arg]) -> CtyType:
    s = value(args, 0)
    if not s.is_known:
        return DYNAMIC
    rows = _csv_rows(s.as_string())
    if not rows:
        raise FunctionCallError(None, "missing header line")
    atys: dict[str, CtyType] = {}
    for name in rows[0]:
        if name in atys:
            raise FunctionCallError(None, f"duplicate column name {go_quote(name)}")
        atys[name] = STRING
    return ListType(ObjectType.of(atys))


def _csvdecode(args: Sequence[Arg], ret: CtyType) -> Value:
    rows = _csv_rows(_s(args))
    headers = rows[0]
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(headers):
            raise FunctionCallError(None, f"record on line {n}: wrong number of fields")
        out.append(object_val({h: string_val(c) for h, c in zip(headers, row, strict=True)}))
    return list_val(out) if out else list_val_empty(ret.element_type())


def _jsonencode(args: Sequence[Arg], ret: CtyType) -> Value:
    v = value(args, 0)
    if not v.is_wholly_known():
        return unknown_val(STRING)
    try:
        return string_val(ctyjson.marshal(v))
    except ctyjson.JSONError as exc:
        raise FunctionCallError(None, str(exc)) from None


def _jsondecode_value(args: Sequence[Arg]) -> Value:
    try:
        return ctyjson.unmarshal(_s(args))
    except ctyjson.JSONError as exc:
        raise FunctionCallError(None, str(exc)) from None


def _jsondecode_type(args: Sequence[Arg]) -> CtyType:
    if not value(args, 0).is_known:
        return DYNAMIC
    return _jsondecode_value(args).type


def functions() -> dict[str, HclFunction]:
    s = [Param("str", STRING)]
    fns = [
        define("base64encode", s, STRING, lambda a, r: string_val(_b64encode(_s(a).encode()))),
        define("base64decode", s, STRING, _base64decode),
        define("base64gzip", s, STRING, _base64gzip),
        define("urlencode", s, STRING, lambda a, r: string_val(go_query_escape(_s(a)))),
        define("textencodebase64", [Param("string", STRING), Param("encoding", STRING)], STRING, _textencodebase64),
        define("textdecodebase64", [Param("source", STRING), Param("encoding", STRING)], STRING, _textdecodebase64),
        define("csvdecode", s, _csvdecode_type, _csvdecode),
        define("jsonencode", [Param("val", DYNAMIC, allow_dynamic_type=True)], STRING, _jsonencode),
        define("jsondecode", s, _jsondecode_type, lambda a, r: _jsondecode_value(a)),
    ]
    return {f.name: f for f in fns}


_ = DynamicPseudoType
