"""Go's ``text/template`` builtin functions (``funcs.go`` of Go 1.19): and, or, not, len, index, slice, call,
print, printf, println, html, js, urlquery, eq, ne, lt, le, gt, ge.

They receive raw values (``reflect.Value`` in Go, possibly ``Boxed`` or ``None`` here) and raise
:class:`FuncError` with Go's exact text, which the evaluator wraps as ``error calling NAME: ...``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from packer_py.interpolate.gotemplate.exceptions import FuncError
from packer_py.interpolate.gotemplate.gofmt import sprint, sprintf, sprintln
from packer_py.interpolate.gotemplate.gostrings import from_bytes, to_bytes
from packer_py.interpolate.gotemplate.values import (
    Boxed,
    GoFunc,
    Uint8,
    indirect,
    indirect_interface,
    is_true,
    kind,
    type_name,
)

__all__ = ["BUILTINS", "truth"]


def _as_int(value: object) -> int:
    """The integer inside a Go int or uint value."""
    assert isinstance(value, int)
    return int(value)


def truth(value: object) -> bool:
    """Go's ``truth``: ``isTrue`` of the value inside any interface."""
    return is_true(indirect_interface(value))[0]


def _index_arg(index: object, cap: int) -> int:
    k = kind(index)
    if k in ("int", "uint"):
        x = _as_int(index)
    elif k == "invalid":
        raise FuncError("cannot index slice/array with nil")
    else:
        raise FuncError(f"cannot index slice/array with type {type_name(index)}")
    if x < 0 or x > cap:
        raise FuncError(f"index out of range: {x}")
    return x


def _prepare_arg(value: object, arg_type: str) -> object:
    """Go's ``prepareArg`` for map keys and ``call`` arguments (only string-keyed maps exist here)."""
    if value is None:
        if arg_type not in ("any", "value"):
            raise FuncError(f"value is nil; should be of type {arg_type}")
        return None
    if arg_type in ("any", "value") or kind(value) == arg_type:
        return value
    if kind(value) in ("int", "uint") and arg_type == "int":
        return _as_int(value)
    raise FuncError(f"value has type {type_name(value)}; should be {arg_type}")


def _index(item: object, *indexes: object) -> object:
    item = indirect_interface(item)
    if item is None:
        raise FuncError("index of untyped nil")
    for raw_index in indexes:
        index = indirect_interface(raw_index)
        item, is_nil = indirect(item)
        if is_nil:
            raise FuncError("index of nil pointer")
        k = kind(item)
        if k in ("slice", "string"):
            data: Sequence[object] | bytes = to_bytes(item) if isinstance(item, str) else item  # type: ignore[assignment]
            x = _index_arg(index, len(data))
            if x >= len(data):
                kind_word = "string" if k == "string" else "slice"
                raise FuncError(f"reflect: {kind_word} index out of range")
            element = data[x]
            item = Uint8(_as_int(element)) if isinstance(data, bytes) else Boxed(element)
        elif k == "map":
            assert isinstance(item, Mapping)
            key = _prepare_arg(index, "string")
            item = Boxed(item[key]) if key in item else Boxed(None)
        else:
            raise FuncError(f"can't index item of type {type_name(item)}")
    return item


def _slice(item: object, *indexes: object) -> object:
    item = indirect_interface(item)
    if item is None:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    k = kind(item)
    if k == "string":
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data: Sequence[object] | bytes = to_bytes(item)  # type: ignore[arg-type]
    elif k == "slice":
        data = item  # type: ignore[assignment]
    else:
        raise FuncError(f"can't slice item of type {type_name(item)}")
    cap = len(data)
    idx = [0, len(data), 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(index, cap)
    if idx[0] > idx[1]:
        raise FuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise FuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    part = data[idx[0] : idx[1]]
    return from_bytes(part) if isinstance(part, bytes) else list(part)


def _length(item: object) -> int:
    item, is_nil = indirect(item)
    if is_nil:
        raise FuncError("len of nil pointer")
    k = kind(item)
    if k == "string":
        return len(to_bytes(item))  # type: ignore[arg-type]
    if k in ("slice", "map"):
        return len(item)  # type: ignore[arg-type]
    if k == "invalid":
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    raise FuncError(f"len of type {type_name(item)}")


def _call(fn: object, *args: object) -> object:
    fn = indirect_interface(fn)
    if fn is None:
        raise FuncError("call of nil")
    if kind(fn) != "func":
        raise FuncError(f"non-function of type {type_name(fn)}")
    plain = [indirect_interface(a) for a in args]
    if not isinstance(fn, GoFunc):
        return fn(*plain)  # type: ignore[operator]
    if fn.variadic:
        if len(plain) < len(fn.params):
            raise FuncError(f"wrong number of args: got {len(plain)} want at least {len(fn.params)}")
    elif len(plain) != len(fn.params):
        raise FuncError(f"wrong number of args: got {len(plain)} want {len(fn.params)}")
    argv = []
    for i, arg in enumerate(plain):
        arg_type = fn.params[i] if i < len(fn.params) else (fn.variadic or "any")
        try:
            argv.append(_prepare_arg(arg, arg_type))
        except FuncError as exc:
            raise FuncError(f"arg {i}: {exc}") from None
    return fn.impl(*argv)


def _not(arg: object) -> bool:
    return not truth(arg)


_BASIC = {"bool": "bool", "int": "int", "uint": "uint", "float": "float", "complex": "complex", "string": "string"}


def _basic_kind(value: object) -> str | None:
    return _BASIC.get(kind(value))


def _plain(value: object) -> object:
    if isinstance(value, str):
        return to_bytes(value)
    return value


def _eq(arg1: object, *arg2: object) -> bool:
    arg1 = indirect_interface(arg1)
    if not arg2:
        raise FuncError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for raw in arg2:
        arg = indirect_interface(raw)
        k2 = _basic_kind(arg)
        result = False
        if k1 != k2:
            if k1 == "int" and k2 == "uint":
                result = _as_int(arg1) >= 0 and _as_int(arg1) == _as_int(arg)
            elif k1 == "uint" and k2 == "int":
                result = _as_int(arg) >= 0 and _as_int(arg1) == _as_int(arg)
            elif arg1 is not None and arg is not None:
                raise FuncError("incompatible types for comparison")
        elif k1 is not None:
            result = _plain(arg1) == _plain(arg)
        else:
            k_a, k_b = kind(arg1), kind(arg)
            if not (k_a == k_b or k_a == "invalid" or k_b == "invalid"):
                raise FuncError(
                    sprintf("non-comparable types %s: %v, %s: %v", [arg1, type_name(arg1), type_name(arg), arg])
                )
            if _is_nil(arg1) or _is_nil(arg):
                result = _is_nil(arg) == _is_nil(arg1)
            else:
                if k_b in ("map", "slice", "func"):
                    raise FuncError(sprintf("non-comparable type %s: %v", [arg, type_name(arg)]))
                result = arg1 == arg
        if result:
            return True
    return False


def _is_nil(value: object) -> bool:
    return value is None or (isinstance(value, Boxed) and value.value is None)


def _ne(arg1: object, arg2: object) -> bool:
    return not _eq(arg1, arg2)


def _lt(arg1: object, arg2: object) -> bool:
    arg1 = indirect_interface(arg1)
    k1 = _basic_kind(arg1)
    if k1 is None:
        raise FuncError("invalid type for comparison")
    arg2 = indirect_interface(arg2)
    k2 = _basic_kind(arg2)
    if k2 is None:
        raise FuncError("invalid type for comparison")
    if k1 != k2:
        if k1 == "int" and k2 == "uint":
            return _as_int(arg1) < 0 or _as_int(arg1) < _as_int(arg2)
        if k1 == "uint" and k2 == "int":
            return _as_int(arg2) >= 0 and _as_int(arg1) < _as_int(arg2)
        raise FuncError("incompatible types for comparison")
    if k1 in ("bool", "complex"):
        raise FuncError("invalid type for comparison")
    return bool(_plain(arg1) < _plain(arg2))  # type: ignore[operator]


def _le(arg1: object, arg2: object) -> bool:
    return _lt(arg1, arg2) or _eq(arg1, arg2)


def _gt(arg1: object, arg2: object) -> bool:
    return not _le(arg1, arg2)


def _ge(arg1: object, arg2: object) -> bool:
    return not _lt(arg1, arg2)


def _eval_args(args: Sequence[object]) -> str:
    """Go's ``evalArgs``: one string argument as is, otherwise ``Sprint`` with missing values as ``<no value>``."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(["<no value>" if a is None else a for a in args])


def _html(*args: object) -> str:
    text = _eval_args(args)
    table = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
    return "".join(table.get(c, c) for c in text)


def _js(*args: object) -> str:
    text = _eval_args(args)
    table = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}
    out = []
    for c in text:
        code = ord(c)
        if c in table:
            out.append(table[c])
        elif code < 0x20:
            out.append(f"\\u00{code:02X}")
        elif code < 0x80 or 0xDC80 <= code <= 0xDCFF or c.isprintable():
            out.append(c)
        else:
            out.append(f"\\u{code:04X}")
    return "".join(out)


def _urlquery(*args: object) -> str:
    out = []
    for byte in to_bytes(_eval_args(args)):
        c = chr(byte)
        if c.isascii() and (c.isalnum() or c in "-_.~"):
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _unreachable(*_args: object) -> object:
    raise AssertionError("and/or are evaluated by the evaluator (they short-circuit)")


BUILTINS: Mapping[str, GoFunc] = {
    "and": GoFunc(_unreachable, ("value",), "value", returns_error=False),
    "call": GoFunc(_call, ("value",), "value"),
    "html": GoFunc(_html, (), "any", returns_error=False),
    "index": GoFunc(_index, ("value",), "value"),
    "slice": GoFunc(_slice, ("value",), "value"),
    "js": GoFunc(_js, (), "any", returns_error=False),
    "len": GoFunc(_length, ("value",)),
    "not": GoFunc(_not, ("value",), returns_error=False),
    "or": GoFunc(_unreachable, ("value",), "value", returns_error=False),
    "print": GoFunc(lambda *a: sprint(a), (), "any", returns_error=False),
    "printf": GoFunc(lambda f, *a: sprintf(f, a), ("string",), "any", returns_error=False),
    "println": GoFunc(lambda *a: sprintln(a), (), "any", returns_error=False),
    "urlquery": GoFunc(_urlquery, (), "any", returns_error=False),
    "eq": GoFunc(_eq, ("value",), "value"),
    "ge": GoFunc(_ge, ("value", "value")),
    "gt": GoFunc(_gt, ("value", "value")),
    "le": GoFunc(_le, ("value", "value")),
    "lt": GoFunc(_lt, ("value", "value")),
    "ne": GoFunc(_ne, ("value", "value")),
}
