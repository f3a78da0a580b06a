"""String functions: cty's ``stdlib`` string functions plus Packer's ``startswith``, ``endswith``,
``strcontains``. Case mapping and trimming follow Go's ``strings`` package (simple case mapping, so ``ß`` stays;
``trimspace`` trims Go's ``unicode.IsSpace`` set); lengths and offsets count grapheme clusters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from packer_py.interpolate.hcl.functions.gocty import int_arg
from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.functions.textseg import grapheme_count, graphemes
from packer_py.interpolate.hcl.types import BOOL, NUMBER, STRING, CtyType, ListType
from packer_py.interpolate.hcl.values import Value, bool_val, list_val, list_val_empty, string_val

_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # noqa: E501


def _s(args: Sequence[Arg], i: int) -> str:
    return value(args, i).as_string()


def go_upper(s: str) -> str:
    """Go's ``strings.ToUpper``: per-rune simple mapping (no ``ß`` -> ``SS``)."""
    if s.isascii():
        return s.upper()
    out = []
    for ch in s:
        up = ch.upper()
        out.append(up if len(up) == 1 else ch)
    return "".join(out)


def go_lower(s: str) -> str:
    if s.isascii():
        return s.lower()
    out = []
    for ch in s:
        low = ch.lower()
        out.append(low if len(low) == 1 else low[0])
    return "".join(out)


def _go_title(s: str) -> str:
    """Go's ``strings.Title``: upper-case (title-case) each letter that follows a separator."""

    def is_separator(ch: str) -> bool:
        if ch.isascii():
            return not (ch.isalnum() or ch == "_")
        if ch.isalpha() or ch.isdigit():
            return False
        return ch in _GO_SPACE

    out = []
    prev = " "
    for ch in s:
        if is_separator(prev):
            t = ch.title()
            out.append(t if len(t) == 1 else ch)
        else:
            out.append(ch)
        prev = ch
    return "".join(out)


def _substr(args: Sequence[Arg], ret: CtyType) -> Value:
    text = _s(args, 0)
    offset = int_arg(value(args, 1))
    length = int_arg(value(args, 2))
    clusters = list(graphemes(text))
    if offset < 0:
        offset += len(clusters)
    elif length == 0:
        return string_val("")
    if offset > 0:
        if offset > len(clusters):
            return string_val("")
        clusters = clusters[offset:]
    if length < 0 or length == 0:
        # length 0 is only reachable with a negative offset, where cty's loop never stops early
        return string_val("".join(clusters))
    return string_val("".join(clusters[:length]))


def _join(args: Sequence[Arg], ret: CtyType) -> Value:
    sep = _s(args, 0)
    lists = [value(args, i) for i in range(1, len(args))]
    if not lists:
        raise FunctionCallError(None, "at least one list is required")
    items: list[str] = []
    for ai, lst in enumerate(lists):
        for ei, elem in enumerate(lst.elements()):
            if elem.is_null:
                if len(lists) > 1:
                    msg = f"element {ei} of list {ai + 1} is null; cannot concatenate null values"
                else:
                    msg = f"element {ei} is null; cannot concatenate null values"
                raise FunctionCallError(ai + 1, msg)
            items.append(elem.as_string())
    return string_val(sep.join(items))


def _sort(args: Sequence[Arg], ret: CtyType) -> Value:
    lst = value(args, 0)
    if not lst.elements():
        return lst
    strs = []
    for i, v in enumerate(lst.elements()):
        if v.is_null:
            raise FunctionCallError(None, f"given list element {i} is null; a null string cannot be sorted")
        strs.append(v.as_string())
    strs.sort(key=lambda x: x.encode())
    return list_val(string_val(x) for x in strs)


def go_split(s: str, sep: str) -> list[str]:
    """Go's ``strings.Split`` (an empty separator splits after each character)."""
    if sep == "":
        return list(s)
    return s.split(sep)


def _split(args: Sequence[Arg], ret: CtyType) -> Value:
    parts = go_split(_s(args, 1), _s(args, 0))
    return list_val(string_val(p) for p in parts) if parts else list_val_empty(STRING)


def go_replace(s: str, old: str, new: str) -> str:
    """Go's ``strings.Replace(s, old, new, -1)``: an empty ``old`` inserts ``new`` around every character."""
    if old == "":
        return new + "".join(ch + new for ch in s)
    return s.replace(old, new)


def _indent(args: Sequence[Arg], ret: CtyType) -> Value:
    spaces = int_arg(value(args, 0))
    if spaces < 0:
        raise FunctionCallError(None, "panic in function implementation: strings: negative Repeat count")
    return string_val(_s(args, 1).replace("\n", "\n" + " " * spaces))


_CHOMP = r"(?:\r\n?|\n)*\Z"


def _s1(name: str, f: object, param: str = "str", dynamic: bool = False) -> HclFunction:
    fn = f

    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        return string_val(fn(_s(args, 0)))  # type: ignore[operator]

    return define(name, [Param(param, STRING, allow_dynamic_type=dynamic)], STRING, impl)


def _s2(name: str, names: tuple[str, str], f: object, returns: CtyType = STRING) -> HclFunction:
    fn = f

    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        out = fn(_s(args, 0), _s(args, 1))  # type: ignore[operator]
        return bool_val(out) if returns == BOOL else string_val(out)

    return define(name, [Param(names[0], STRING), Param(names[1], STRING)], returns, impl)


def _go_trim(s: str, cutset: str) -> str:
    return s.strip(cutset) if cutset else s


def _go_trim_prefix(s: str, prefix: str) -> str:
    return s[len(prefix) :] if prefix and s.startswith(prefix) else s


def _go_trim_suffix(s: str, suffix: str) -> str:
    return s[: -len(suffix)] if suffix and s.endswith(suffix) else s


def _reverse(s: str) -> str:
    return "".join(reversed(list(graphemes(s))))


def functions() -> dict[str, HclFunction]:
    fns = [
        _s1("upper", go_upper, dynamic=True),
        _s1("lower", go_lower, dynamic=True),
        _s1("strrev", _reverse, dynamic=True),
        _s1("chomp", lambda s: re.sub(_CHOMP, "", s, count=1)),
        _s1("title", _go_title),
        _s1("trimspace", lambda s: s.strip(_GO_SPACE)),
        _s2("trim", ("str", "cutset"), _go_trim),
        _s2("trimprefix", ("str", "prefix"), _go_trim_prefix),
        _s2("trimsuffix", ("str", "suffix"), _go_trim_suffix),
        _s2("startswith", ("str", "prefix"), lambda s, p: s.startswith(p), BOOL),
        _s2("endswith", ("str", "suffix"), lambda s, p: s.endswith(p), BOOL),
        _s2("strcontains", ("str", "substr"), lambda s, p: p in s, BOOL),
        define(
            "substr",
            [
                Param("str", STRING, allow_dynamic_type=True),
                Param("offset", NUMBER, allow_dynamic_type=True),
                Param("length", NUMBER, allow_dynamic_type=True),
            ],
            STRING,
            _substr,
        ),
        define("join", [Param("separator", STRING)], STRING, _join, var_param=Param("lists", ListType(STRING))),
        define("sort", [Param("list", ListType(STRING))], ListType(STRING), _sort),
        define("split", [Param("separator", STRING), Param("str", STRING)], ListType(STRING), _split),
        define("indent", [Param("spaces", NUMBER), Param("str", STRING)], STRING, _indent),
        define(
            "replace",
            [Param("str", STRING), Param("substr", STRING), Param("replace", STRING)],
            STRING,
            lambda args, ret: string_val(go_replace(_s(args, 0), _s(args, 1), _s(args, 2))),
        ),
    ]
    return {f.name: f for f in fns}


def strlen(s: str) -> int:
    """cty's ``Strlen``: grapheme clusters."""
    return grapheme_count(unicodedata.normalize("NFC", s))
