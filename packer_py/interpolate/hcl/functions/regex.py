"""Regular-expression functions: ``regex_replace`` (Packer 1.6.6) and ``regex``/``regexall`` (newest).

Patterns are Go RE2 syntax, translated to Python ``re``: ``\\z`` -> ``\\Z``, ``$`` means end of text unless
``(?m)``, ``\\d \\w \\s`` and their negations are ASCII-only, POSIX classes (``[[:alpha:]]``) and ``\\Q...\\E``
quoting are expanded. Matching walks the text like Go's ``allMatches`` (an empty match right after a previous
match is skipped), and replacements expand ``$1``, ``${1}``, ``$name``, ``${name}`` and ``$$`` like Go's
``Regexp.Expand``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.types import DYNAMIC, STRING, CtyType, DynamicPseudoType, ListType, ObjectType, TupleType
from packer_py.interpolate.hcl.values import (
    DYNAMIC_VAL,
    Value,
    list_val,
    list_val_empty,
    null_val,
    object_val,
    string_val,
    tuple_val,
)

_POSIX = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ", "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
}  # fmt: skip
_PERL = {"d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\f\\r "}


class RegexSyntaxError(Exception):
    """A pattern RE2 would reject: ``code`` and ``expr`` like Go's ``syntax.Error``."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")
        self.code = code
        self.expr = expr


def translate_re2(pattern: str) -> str:
    """Rewrite an RE2 pattern as an equivalent Python ``re`` pattern."""
    multiline = bool(re.search(r"\(\?[a-zA-Z]*m", pattern))
    out: list[str] = []
    i = 0
    in_class = False
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
                out.append("".join("\\" + ch if not ch.isalnum() else ch for ch in literal))
                i = n if end < 0 else end + 2
                continue
            if nxt == "z" and not in_class:
                out.append("\\Z")
            elif nxt in "dws" and in_class:
                out.append(_PERL[nxt])
            elif nxt in "dws":
                out.append("[" + _PERL[nxt] + "]")
            elif nxt in "DWS":
                out.append("[^" + _PERL[nxt.lower()] + "]")
            elif nxt in "pP":
                raise RegexSyntaxError("invalid character class range", pattern[i : i + 3])
            else:
                out.append(c + nxt)
            i += 2
            continue
        if in_class:
            if pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                if end > 0:
                    name = pattern[i + 2 : end]
                    negate = name.startswith("^")
                    body = _POSIX.get(name.lstrip("^"))
                    if body is None:
                        raise RegexSyntaxError("invalid character class range", pattern[i : end + 2])
                    if negate:
                        raise RegexSyntaxError("invalid character class range", pattern[i : end + 2])
                    out.append(body)
                    i = end + 2
                    continue
            if c == "]" and out and out[-1] not in ("[", "[^"):
                in_class = False
            if c == "[":
                out.append("\\[")
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            if i < n and pattern[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "$" and not multiline:
            out.append("\\Z")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def compile_re2(pattern: str) -> re.Pattern[str]:
    """Compile an RE2 pattern; errors become ``RegexSyntaxError`` with RE2-style codes."""
    try:
        translated = translate_re2(pattern)
        return re.compile(translated)
    except re.error as exc:
        raise _go_error(pattern, exc) from None


def _go_error(pattern: str, exc: re.error) -> RegexSyntaxError:
    msg = str(exc.msg)
    if "missing ), unterminated subpattern" in msg:
        return RegexSyntaxError("missing closing )", pattern)
    if "unbalanced parenthesis" in msg:
        return RegexSyntaxError("unexpected )", pattern)
    if "unterminated character set" in msg:
        pos = pattern.rfind("[")
        return RegexSyntaxError("missing closing ]", pattern[pos:] if pos >= 0 else pattern)
    if "multiple repeat" in msg:
        return RegexSyntaxError("invalid nested repetition operator", pattern)
    if "nothing to repeat" in msg:
        pos = exc.pos or 0
        return RegexSyntaxError("missing argument to repetition operator", pattern[pos : pos + 1])
    if "bad escape" in msg:
        pos = exc.pos or 0
        return RegexSyntaxError("invalid escape sequence", pattern[pos : pos + 2])
    if "bad character range" in msg:
        return RegexSyntaxError("invalid character class range", pattern)
    if "unknown extension" in msg or "missing )" in msg:
        return RegexSyntaxError("invalid or unsupported Perl syntax", pattern)
    return RegexSyntaxError(msg, pattern)


def go_find_all(regex: re.Pattern[str], s: str) -> Iterator[re.Match[str]]:
    """Go's ``allMatches`` loop over a string."""
    pos = 0
    prev_end = -1
    while pos <= len(s):
        m = regex.search(s, pos)
        if m is None:
            break
        accept = True
        if m.end() == pos:
            if m.start() == prev_end:
                accept = False
            pos += 1
        else:
            pos = m.end()
        prev_end = m.end()
        if accept:
            yield m


def go_expand(template: str, m: re.Match[str]) -> str:
    """``Regexp.Expand``: ``$1``, ``${1}``, ``$name``, ``${name}``; ``$$`` is ``$``; unknown groups are empty."""
    out: list[str] = []
    i = 0
    while i < len(template):
        c = template[i]
        if c != "$" or i + 1 >= len(template):
            out.append(c)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
            continue
        if nxt == "{":
            end = template.find("}", i + 2)
            name = template[i + 2 : end] if end > 0 else ""
            if end < 0 or not name or not re.fullmatch(r"\w+", name):
                out.append(c)
                i += 1
                continue
            i = end + 1
        else:
            j = i + 1
            while j < len(template) and (template[j].isalnum() or template[j] == "_"):
                j += 1
            name = template[i + 1 : j]
            if not name:
                out.append(c)
                i += 1
                continue
            i = j
        out.append(_group_text(m, name))
    return "".join(out)


def _group_text(m: re.Match[str], name: str) -> str:
    try:
        key: int | str = int(name) if name.isdigit() else name
        text = m.group(key)
    except (IndexError, ValueError):
        return ""
    return text or ""


def go_replace_all(regex: re.Pattern[str], s: str, template: str) -> str:
    out: list[str] = []
    last = 0
    for m in go_find_all(regex, s):
        out.append(s[last : m.start()])
        out.append(go_expand(template, m))
        last = m.end()
    out.append(s[last:])
    return "".join(out)


def _result_type(pattern: str) -> CtyType:
    try:
        regex = compile_re2(pattern)
    except RegexSyntaxError as exc:
        raise FunctionCallError(0, f"invalid regexp pattern: {exc.code} in {exc.expr}") from None
    names = regex.groupindex
    unnamed = regex.groups - len(names)
    if regex.groups == 0:
        return STRING
    if unnamed and names:
        raise FunctionCallError(0, "invalid regexp pattern: cannot mix both named and unnamed capture groups")
    if unnamed:
        return TupleType((STRING,) * unnamed)
    return ObjectType.of(dict.fromkeys(names, STRING))


def _match_result(regex: re.Pattern[str], m: re.Match[str], ty: CtyType) -> Value:
    if ty == STRING:
        return string_val(m.group(0))
    if isinstance(ty, TupleType):
        return tuple_val(null_val(STRING) if g is None else string_val(g) for g in m.groups())
    return object_val(
        {name: null_val(STRING) if m.group(name) is None else string_val(m.group(name)) for name in regex.groupindex}
    )


def _regex_type(args: Sequence[Arg]) -> CtyType:
    pattern = value(args, 0)
    if not pattern.is_known:
        return DYNAMIC
    return _result_type(pattern.as_string())


def _regex(args: Sequence[Arg], ret: CtyType) -> Value:
    if isinstance(ret, DynamicPseudoType):
        return DYNAMIC_VAL
    regex = compile_re2(value(args, 0).as_string())
    s = value(args, 1).as_string()
    m = next(go_find_all(regex, s), None)
    if m is None:
        raise FunctionCallError(None, "pattern did not match any part of the given string")
    return _match_result(regex, m, ret)


def _regexall_type(args: Sequence[Arg]) -> CtyType:
    pattern = value(args, 0)
    if not pattern.is_known:
        return ListType(DYNAMIC)
    return ListType(_result_type(pattern.as_string()))


def _regexall(args: Sequence[Arg], ret: CtyType) -> Value:
    ety = ret.element_type()
    if isinstance(ety, DynamicPseudoType):
        return DYNAMIC_VAL
    regex = compile_re2(value(args, 0).as_string())
    s = value(args, 1).as_string()
    found = [_match_result(regex, m, ety) for m in go_find_all(regex, s)]
    return list_val(found) if found else list_val_empty(ety)


def _regex_replace(args: Sequence[Arg], ret: CtyType) -> Value:
    try:
        regex = compile_re2(value(args, 1).as_string())
    except RegexSyntaxError as exc:
        raise FunctionCallError(None, str(exc)) from None
    return string_val(go_replace_all(regex, value(args, 0).as_string(), value(args, 2).as_string()))


def functions() -> dict[str, HclFunction]:
    fns = [
        define("regex", [Param("pattern", STRING), Param("string", STRING)], _regex_type, _regex),
        define("regexall", [Param("pattern", STRING), Param("string", STRING)], _regexall_type, _regexall),
        define(
            "regex_replace",
            [Param("str", STRING), Param("substr", STRING), Param("replace", STRING)],
            STRING,
            _regex_replace,
        ),
    ]
    return {f.name: f for f in fns}
