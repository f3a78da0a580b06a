"""``format`` and ``formatlist``: cty's printf (its Ragel scanner and ``formatAppend``), over Go's ``fmt`` for
numbers.

Verbs: ``%v`` (strings and numbers as-is, anything else as JSON; ``%#v`` always JSON), ``%t``, ``%s``, ``%q``
(JSON-quoted string), ``%d %b %o %x %X`` (integers, through ``big.Int``'s formatter), ``%e %E %f %g %G``
(through ``big.Float``'s formatter, so ``%f`` is exact decimal at the number's precision), ``%%``. A verb is
``%`` flags (``0#-+ ``) width precision ``[argnum]`` letter; width and ``%.Ns`` count grapheme clusters.
Offsets in messages are byte offsets, as Go's are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packer_py.gofmt import quote as go_quote
from packer_py.gofmt import quote_rune as go_quote_rune
from packer_py.interpolate.hcl.convert import ConversionError, convert
from packer_py.interpolate.hcl.ctyjson import JSONError, go_json_string, marshal
from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.functions.textseg import grapheme_count, graphemes
from packer_py.interpolate.hcl.numbers import BigFloat
from packer_py.interpolate.hcl.types import BOOL, DYNAMIC, NUMBER, STRING, CtyType, ListType
from packer_py.interpolate.hcl.values import Value, list_val, list_val_empty, string_val, unknown_val


class FormatError(Exception):
    """Internal: a plain (not argument-blaming) format failure."""


@dataclass
class _Verb:
    raw: str
    offset: int
    argnum: int
    mode: str
    zero: bool = False
    sharp: bool = False
    plus: bool = False
    minus: bool = False
    space: bool = False
    prec: int = -1
    width: int = -1
    has_prec: bool = False
    has_width: bool = False


def _byte_offset(s: str, i: int) -> int:
    return len(s[:i].encode())


def format_string(fmt: str, args: Sequence[Value]) -> str:
    """cty's ``formatFSM``. Raises ``FormatError`` or ``FunctionCallError`` (too many arguments)."""
    out: list[str] = []
    n = len(fmt)
    i = 0
    next_arg = 1
    highest = 0
    while i < n:
        ch = fmt[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        if i + 1 < n and fmt[i + 1] == "%":
            out.append("%")
            i += 2
            continue
        start = i
        verb = _Verb(raw="", offset=_byte_offset(fmt, start), argnum=next_arg, mode="")
        i += 1
        while i < n and fmt[i] in "0#-+ ":
            flag = fmt[i]
            verb.zero |= flag == "0"
            verb.sharp |= flag == "#"
            verb.minus |= flag == "-"
            verb.plus |= flag == "+"
            verb.space |= flag == " "
            i += 1
        if i < n and fmt[i] in "123456789":
            verb.width, i = _digits(fmt, i)
            verb.has_width = True
        if i < n and fmt[i] == ".":
            verb.prec, i = _digits(fmt, i + 1)
            verb.has_prec = True
        if i < n and fmt[i] == "[":
            i += 1
            if i < n and fmt[i] in "123456789":
                verb.argnum, i = _digits(fmt, i)
                if i < n and fmt[i] == "]":
                    i += 1
                else:
                    _bad_char(fmt, i)
            else:
                _bad_char(fmt, i)
        if i >= n:
            raise FormatError(f"invalid format string starting at offset {len(fmt.encode())}")
        if not (fmt[i].isascii() and fmt[i].isalpha()):
            _bad_char(fmt, i)
        verb.mode = fmt[i]
        i += 1
        verb.raw = fmt[start:i]
        highest = max(highest, verb.argnum)
        out.append(_format_one(verb, args))
        next_arg = verb.argnum + 1
    if highest < len(args):
        first_bad = highest + 1
        if highest == 0:
            raise FunctionCallError(first_bad, "too many arguments; no verbs in format string")
        raise FunctionCallError(first_bad, f"too many arguments; only {highest} used by format string")
    return "".join(out)


def _digits(fmt: str, i: int) -> tuple[int, int]:
    """The decimal number of the ASCII digits at ``fmt[i:]`` (0 when there are none) and the index after them: a
    verb's width, precision and ``[n]`` argument index are all read so."""
    num = 0
    while i < len(fmt) and fmt[i].isdigit() and fmt[i].isascii():
        num = num * 10 + int(fmt[i])
        i += 1
    return num, i


def _bad_char(fmt: str, i: int) -> None:
    if i >= len(fmt):
        raise FormatError(f"invalid format string starting at offset {len(fmt.encode())}")
    raise FormatError(f"unrecognized format character {go_quote_rune(fmt[i])} at offset {_byte_offset(fmt, i)}")


def _format_one(verb: _Verb, args: Sequence[Value]) -> str:
    idx = verb.argnum - 1
    if idx >= len(args):
        raise FormatError(
            f"not enough arguments for {go_quote(verb.raw)} at {verb.offset}: need index {verb.argnum} but have "
            f"{len(args)} total"
        )
    arg = args[idx]
    if verb.mode != "v" and arg.is_null:
        raise FormatError(
            f"unsupported value for {go_quote(verb.raw)} at {verb.offset}: null value cannot be formatted"
        )
    mode = verb.mode
    if mode == "v":
        return _as_is(verb, arg)
    if mode == "t":
        b = _convert(verb, arg, BOOL)
        return "true" if b.true() else "false"
    if mode in "bdoxXeEfgG":
        num = _convert(verb, arg, NUMBER).as_bigfloat()
        if mode in "bdoxX":
            if not num.is_int():
                raise FormatError(
                    f"unsupported value for {go_quote(verb.raw)} at {verb.offset}: an integer is required"
                )
            return _go_int(verb, num.to_int())
        return _go_float(verb, num)
    if mode in "sq":
        s = _convert(verb, arg, STRING).as_string()
        if verb.prec > 0:
            s = "".join(list(graphemes(s))[: verb.prec])
        if mode == "s":
            return _pad(verb, s)
        return _pad(verb, go_json_string(s))
    raise FormatError(f"unsupported format verb {go_quote_rune(mode)} in {go_quote(verb.raw)} at offset {verb.offset}")


def _convert(verb: _Verb, arg: Value, ty: CtyType) -> Value:
    try:
        return convert(arg, ty)
    except ConversionError as exc:
        raise FormatError(f"unsupported value for {go_quote(verb.raw)} at {verb.offset}: {exc}") from None


def _as_is(verb: _Verb, arg: Value) -> str:
    if not verb.sharp and not arg.is_null:
        if arg.type == STRING:
            return _pad(verb, arg.as_string())
        if arg.type == NUMBER:
            return _pad(verb, arg.as_bigfloat().text("g", -1))
    try:
        return _pad(verb, marshal(arg))
    except JSONError as exc:
        raise FormatError(f"unsupported value for {go_quote(verb.raw)} at {verb.offset}: {exc}") from None


def _pad(verb: _Verb, s: str) -> str:
    if verb.width < 0:
        return s
    have = grapheme_count(s)
    if have >= verb.width:
        return s
    pads = ("0" if verb.zero else " ") * (verb.width - have)
    return s + pads if verb.minus else pads + s


def _go_int(verb: _Verb, n: int) -> str:
    """``big.Int.Format``."""
    mode = verb.mode
    base = {"b": 2, "o": 8, "d": 10, "x": 16, "X": 16}[mode]
    sign = "-" if n < 0 else "+" if verb.plus else " " if verb.space else ""
    prefix = ""
    if verb.sharp:
        prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(mode, "")
    digits = _to_base(abs(n), base)
    if mode == "X":
        digits = digits.upper()
    left = zeros = right = 0
    if verb.has_prec:
        if len(digits) < verb.prec:
            zeros = verb.prec - len(digits)
        elif digits == "0" and verb.prec == 0:
            return ""
    length = len(sign) + len(prefix) + zeros + len(digits)
    if verb.has_width and length < verb.width:
        d = verb.width - length
        if verb.minus:
            right = d
        elif verb.zero and not verb.has_prec:
            zeros = d
        else:
            left = d
    return " " * left + sign + prefix + "0" * zeros + digits + " " * right


def _to_base(n: int, base: int) -> str:
    if base == 10:
        return str(n)
    if base == 16:
        return format(n, "x")
    if base == 8:
        return format(n, "o")
    return format(n, "b")


def _go_float(verb: _Verb, f: BigFloat) -> str:
    """``big.Float.Format``."""
    mode = verb.mode
    prec = verb.prec if verb.has_prec else 6
    if mode in "gG" and not verb.has_prec:
        prec = -1
    text = f.text(mode, prec)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    elif text.startswith("+"):
        sign, text = (" " if verb.space else "+"), text[1:]
    elif verb.plus:
        sign = "+"
    elif verb.space:
        sign = " "
    padding = 0
    if verb.has_width and verb.width > len(sign) + len(text):
        padding = verb.width - len(sign) - len(text)
    if verb.zero and not verb.minus and not f.is_inf:
        return sign + "0" * padding + text
    if verb.minus:
        return sign + text + " " * padding
    return " " * padding + sign + text


def _format_impl(args: Sequence[Arg], ret: CtyType) -> Value:
    rest = [value(args, i) for i in range(1, len(args))]
    if any(not a.is_wholly_known() for a in rest):
        return unknown_val(STRING)
    try:
        return string_val(format_string(value(args, 0).as_string(), rest))
    except FormatError as exc:
        raise FunctionCallError(None, str(exc)) from None


def _formatlist_impl(args: Sequence[Arg], ret: CtyType) -> Value:
    fmt = value(args, 0).as_string()
    rest = [value(args, i) for i in range(1, len(args))]
    if not rest:
        try:
            return list_val([string_val(format_string(fmt, []))])
        except FormatError as exc:
            raise FunctionCallError(None, str(exc)) from None
    iter_len = -1
    chooser = -1
    sequences: list[tuple[Value, ...] | None] = []
    unknown = False
    for i, arg in enumerate(rest):
        ty = arg.type
        if (ty.is_list or ty.is_set or ty.is_tuple) and not arg.is_null:
            if not ty.is_tuple and not arg.is_known:
                unknown = True
                sequences.append(None)
                continue
            this_len = arg.length_int()
            if iter_len == -1:
                iter_len, chooser = this_len, i
            elif this_len != iter_len:
                raise FunctionCallError(
                    i + 1,
                    f"argument {i + 1} has length {this_len}, which is inconsistent with argument {chooser + 1} of "
                    f"length {iter_len}",
                )
            if not arg.is_known:
                unknown = True
                sequences.append(None)
                continue
            sequences.append(arg.elements())
        else:
            sequences.append(None)
    if unknown:
        return unknown_val(ret)
    if iter_len == 0:
        return list_val_empty(STRING)
    if iter_len == -1:
        iter_len = 1
    results: list[Value] = []
    for n in range(iter_len):
        fmt_args = []
        for i, seq in enumerate(sequences):
            fmt_args.append(seq[n] if seq is not None else rest[i])
        if any(not a.is_wholly_known() for a in fmt_args):
            results.append(unknown_val(STRING))
            continue
        try:
            results.append(string_val(format_string(fmt, fmt_args)))
        except (FormatError, FunctionCallError) as exc:
            raise FunctionCallError(None, f"error on format iteration {n}: {exc}") from None
    return list_val(results)


def functions() -> dict[str, HclFunction]:
    return {
        "format": define(
            "format",
            [Param("format", STRING)],
            STRING,
            _format_impl,
            var_param=Param("args", DYNAMIC, allow_null=True),
        ),
        "formatlist": define(
            "formatlist",
            [Param("format", STRING)],
            ListType(STRING),
            _formatlist_impl,
            var_param=Param("args", DYNAMIC, allow_null=True, allow_unknown=True),
        ),
    }
