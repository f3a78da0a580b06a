"""Filesystem functions (go-cty-funcs ``filesystem`` and Packer's ``filebase64``, ``templatefile``).

Relative paths resolve against the function context's ``base_dir`` (``path.root``), joined and cleaned like Go's
``filepath.Join``; ``~`` expands to the home directory. Messages name the cleaned path as Packer does
(``no file exists at h1/missing.txt``).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping, Sequence

from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl.functions.context import FunctionContext
from packer_py.interpolate.hcl.functions.spec import (
    Arg,
    ExpressionFailed,
    FunctionCallError,
    HclFunction,
    Param,
    define,
    value,
)
from packer_py.interpolate.hcl.types import BOOL, DYNAMIC, STRING, CtyType, SetType
from packer_py.interpolate.hcl.values import FALSE, TRUE, Value, set_val, set_val_empty, string_val

_IDENTIFIER = r"^[^\W\d][\w-]*$"


def go_clean(path: str) -> str:
    """``filepath.Clean`` (POSIX)."""
    return posixpath.normpath(path) if path else "."


def _expand_home(path: str) -> str:
    """``homedir.Expand``: only a leading ``~`` or ``~/``."""
    if not path.startswith("~"):
        return path
    if len(path) > 1 and path[1] not in "/\\":
        raise FunctionCallError(None, "failed to expand ~: cannot expand user-specific home dir")
    return os.path.expanduser("~") + path[1:]


def _resolve(base_dir: str, path: str) -> str:
    path = _expand_home(path)
    if not os.path.isabs(path):
        path = posixpath.join(base_dir, path)
    return go_clean(path)


def read_file_bytes(base_dir: str, path: str) -> bytes:
    full = _resolve(base_dir, path)
    try:
        with open(full, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise FunctionCallError(None, f"no file exists at {full}") from None
    except OSError:
        raise FunctionCallError(None, f"failed to read {full}") from None


def _file(ctx: FunctionContext) -> HclFunction:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        path = value(args, 0).as_string()
        data = read_file_bytes(ctx.base_dir, path)
        try:
            return string_val(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise FunctionCallError(
                None,
                f"contents of {path} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded "
                "contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results "
                "instead",
            ) from None

    return define("file", [Param("path", STRING)], STRING, impl)


def _filebase64(args: Sequence[Arg], ret: CtyType) -> Value:
    """Newest Packer's ``filebase64`` reads the path as given (relative to the working directory)."""
    import base64

    path = value(args, 0).as_string()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        reason = "no such file or directory" if isinstance(exc, FileNotFoundError) else (exc.strerror or "").lower()
        raise FunctionCallError(None, f"failed to read file {go_quote(path)}: open {path}: {reason}") from None
    return string_val(base64.b64encode(data).decode())


def _fileexists(ctx: FunctionContext) -> HclFunction:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        full = _resolve(ctx.base_dir, value(args, 0).as_string())
        try:
            st = os.stat(full)
        except FileNotFoundError:
            return FALSE
        except OSError:
            raise FunctionCallError(None, f"failed to stat {full}") from None
        import stat

        if stat.S_ISREG(st.st_mode):
            return TRUE
        mode = stat.filemode(st.st_mode)
        go_mode = ("d" if stat.S_ISDIR(st.st_mode) else mode[0].replace("-", "")) + mode[1:]
        raise FunctionCallError(None, f"{full} is not a regular file, but {go_quote(go_mode)}")

    return define("fileexists", [Param("path", STRING)], BOOL, impl)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A doublestar glob as a regex over slash-separated paths (``**`` crosses directories)."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j < 0:
                raise FunctionCallError(None, "syntax error in pattern")
            body = pattern[i + 1 : j]
            if body.startswith(("^", "!")):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j
        elif c == "{":
            j = pattern.find("}", i + 1)
            if j < 0:
                raise FunctionCallError(None, "syntax error in pattern")
            alts = pattern[i + 1 : j].split(",")
            out.append("(?:" + "|".join(re.escape(a) for a in alts) + ")")
            i = j
        elif c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 1
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def _fileset(ctx: FunctionContext) -> HclFunction:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        path = value(args, 0).as_string()
        pattern = value(args, 1).as_string()
        if not os.path.isabs(path):
            path = posixpath.join(ctx.base_dir, path)
        root = go_clean(path)
        regex = _glob_regex(go_clean(posixpath.join(root, pattern)))
        matches = []
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                full = posixpath.join(dirpath, name)
                if regex.match(go_clean(full)) and os.path.isfile(full):
                    matches.append(string_val(posixpath.relpath(full, root)))
        return set_val(matches) if matches else set_val_empty(STRING)

    return define("fileset", [Param("path", STRING), Param("pattern", STRING)], SetType(STRING), impl)


def _go_base(path: str) -> str:
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path.rsplit("/", 1)[-1]


def _go_dir(path: str) -> str:
    head = path[: path.rfind("/") + 1] if "/" in path else ""
    return go_clean(head) if head else "."


def _abspath(args: Sequence[Arg], ret: CtyType) -> Value:
    path = value(args, 0).as_string()
    if not os.path.isabs(path):
        path = posixpath.join(os.getcwd(), path)
    return string_val(go_clean(path))


def _pathexpand(args: Sequence[Arg], ret: CtyType) -> Value:
    return string_val(_expand_home(value(args, 0).as_string()))


def _templatefile(ctx: FunctionContext, funcs: Mapping[str, HclFunction]) -> HclFunction:
    params = [Param("path", STRING), Param("vars", DYNAMIC)]

    def render(args: Sequence[Arg]) -> Value:
        if ctx.render_template is None:
            raise FunctionCallError(None, "templatefile is not available here")
        path = value(args, 0).as_string()
        data = read_file_bytes(ctx.base_dir, path)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise FunctionCallError(None, f"contents of {path} are not valid UTF-8") from None
        variables = value(args, 1)
        if not (variables.type.is_map or variables.type.is_object):
            raise FunctionCallError(1, "invalid vars value: must be a map")
        mapping = dict(variables.attrs())
        for name in mapping:
            if not re.match(_IDENTIFIER, name):
                raise FunctionCallError(
                    1,
                    f"invalid template variable name {go_quote(name)}: must start with a letter, followed by zero or "
                    "more letters, digits, and underscores",
                )
        try:
            for root, where in ctx.render_template.referenced_roots(source, path):
                if root not in mapping:
                    raise FunctionCallError(1, f"vars map does not contain key {go_quote(root)}, referenced at {where}")
            inner = dict(funcs)
            inner["templatefile"] = define(
                "templatefile",
                params,
                _no_recursion,
                lambda a, r: string_val(""),
            )
            return ctx.render_template.render(source, path, mapping, inner)
        except ExpressionFailed as exc:
            raise FunctionCallError(None, _diags_text(exc)) from None

    def type_fn(args: Sequence[Arg]) -> CtyType:
        if not (value(args, 0).is_known and value(args, 1).is_known):
            return DYNAMIC
        return render(args).type

    return define("templatefile", params, type_fn, lambda a, r: render(a))


def _no_recursion(args: Sequence[Arg]) -> CtyType:
    raise FunctionCallError(None, "cannot recursively call templatefile from inside templatefile call")


def _diags_text(exc: ExpressionFailed) -> str:
    """``hcl.Diagnostics.Error()``: ``subject: summary; detail`` joined with ``, and N other diagnostic(s)``."""
    first = exc.diagnostics[0]
    text = f"{first.subject}: {first.summary}; {first.detail}" if first.subject else f"{first.summary}; {first.detail}"
    if len(exc.diagnostics) > 1:
        text += f", and {len(exc.diagnostics) - 1} other diagnostic(s)"
    return text


def functions(ctx: FunctionContext, funcs: Mapping[str, HclFunction] | None = None) -> dict[str, HclFunction]:
    p = [Param("path", STRING)]
    fns = [
        _file(ctx),
        _fileexists(ctx),
        _fileset(ctx),
        define("filebase64", p, STRING, _filebase64),
        define("basename", p, STRING, lambda a, r: string_val(_go_base(value(a, 0).as_string()))),
        define("dirname", p, STRING, lambda a, r: string_val(_go_dir(value(a, 0).as_string()))),
        define("abspath", p, STRING, _abspath),
        define("pathexpand", p, STRING, _pathexpand),
    ]
    out = {f.name: f for f in fns}
    if funcs is not None:
        out["templatefile"] = _templatefile(ctx, funcs)
    return out


_ = SetType
