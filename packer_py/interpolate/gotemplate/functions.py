"""Packer 1.6.6's template functions (``packer-plugin-sdk/template/interpolate/funcs.go``), bound to a context.

Each function keeps its Go signature (a :class:`GoFunc`), because Go checks arguments against it before the
function runs: ``{{ split "a" }}`` fails with ``wrong number of args for split: want 3 got 1`` and
``{{ upper 1 }}`` with ``expected string; found 1``. Errors use Packer's own wording.
"""

from __future__ import annotations

import inspect
import os
import secrets
import time
from collections.abc import Callable, Mapping

from packer_py.gotime import TimeFields
from packer_py.interpolate.gotemplate.aws_secrets import get_secret
from packer_py.interpolate.gotemplate.context import RenderContext
from packer_py.interpolate.gotemplate.exceptions import FuncError
from packer_py.interpolate.gotemplate.gofmt import sprintf
from packer_py.interpolate.gotemplate.gostrings import from_bytes, to_bytes
from packer_py.interpolate.gotemplate.values import GoFunc

__all__ = [
    "BUILDER_DATA_COMMON_KEYS",
    "PACKER_FUNCTION_NAMES",
    "PLACEHOLDER_MSG",
    "as_go_func",
    "clean_resource_name",
    "packer_functions",
    "placeholder_data",
    "time_ordered_uuid",
]

PLACEHOLDER_MSG = "To set this dynamically in the Packer template, you must use the `build` function"
"""Marks a prepare-time placeholder of generated build data (packerbuilderdata.PlaceholderMsg)."""

BUILDER_DATA_COMMON_KEYS = (
    "ID",
    "Host",
    "Port",
    "User",
    "Password",
    "ConnType",
    "PackerRunUUID",
    "PackerHTTPPort",
    "PackerHTTPIP",
    "PackerHTTPAddr",
    "SSHPublicKey",
    "SSHPrivateKey",
    "WinRMPassword",
)
"""Generated data every builder provides (packer/provisioner.go ``BuilderDataCommonKeys``)."""

PACKER_FUNCTION_NAMES = frozenset(
    {
        "build_name",
        "build_type",
        "env",
        "isotime",
        "strftime",
        "pwd",
        "split",
        "template_dir",
        "timestamp",
        "uuid",
        "user",
        "packer_version",
        "consul_key",
        "vault",
        "sed",
        "build",
        "aws_secretsmanager",
        "replace",
        "replace_all",
        "upper",
        "lower",
    }
)

_RFC3339 = "2006-01-02T15:04:05Z07:00"


def placeholder_data(generated_keys: tuple[str, ...] = ()) -> dict[str, str]:
    """Packer's ``BasicPlaceholderData`` plus a builder's generated keys: the ``build`` data at prepare time."""
    data = {key: f"Build_{key}. {PLACEHOLDER_MSG}" for key in (*BUILDER_DATA_COMMON_KEYS, *generated_keys)}
    data["WinRMPassword"] = "{{.WinRMPassword}}"
    return data


def time_ordered_uuid() -> str:
    """Packer's ``uuid.TimeOrderedUUID``: 32 bits of the current Unix time, then 96 random bits."""
    unix = int(time.time()) & 0xFFFFFFFF
    b = secrets.token_bytes(12)
    return f"{unix:08x}-{b[0:2].hex()}-{b[2:4].hex()}-{b[4:6].hex()}-{b[6:8].hex()}{b[8:].hex()}"


def clean_resource_name(s: str) -> str:
    """The amazon builder's ``clean_resource_name``: each byte outside ``[A-Za-z0-9()[] ./-'@_]`` becomes ``-``.

    Go works on bytes, so a multi-byte character becomes one ``-`` per byte.
    """
    allowed = b"()[] ./-'@_"
    out = bytearray()
    for byte in to_bytes(s):
        ok = (48 <= byte <= 57) or (65 <= byte <= 90) or (97 <= byte <= 122) or byte in allowed
        out.append(byte if ok else ord("-"))
    return from_bytes(bytes(out))


def _go_split(s: str, sep: str) -> list[str]:
    """``strings.Split``: an empty separator splits after each character; ``Split("", "")`` is empty."""
    if sep == "":
        return list(s)
    return s.split(sep)


def _simple_case(s: str, upper: bool) -> str:
    """``strings.ToUpper/ToLower``: Go maps each character on its own (no ``ß`` → ``SS``, no final sigma)."""
    out = []
    for c in s:
        if c.isascii():
            out.append(c.upper() if upper else c.lower())
            continue
        mapped = c.upper() if upper else c.lower()
        if c == "\u0130" and not upper:
            mapped = "i"
        out.append(mapped if len(mapped) == 1 else c)
    return "".join(out)


def packer_functions(ctx: RenderContext) -> dict[str, GoFunc]:
    """Packer's ``Funcs(ctx)``: the default function set bound to ``ctx``, then ``ctx.extra_funcs`` on top."""
    secrets_allowed = ctx.enable_env or ctx.in_variables

    def build_name() -> str:
        if not ctx.build_name:
            raise FuncError("build_name not available")
        return ctx.build_name

    def build_type() -> str:
        if not ctx.build_type:
            raise FuncError("build_type not available")
        return ctx.build_type

    def env(key: str) -> str:
        if not ctx.enable_env:
            raise FuncError("env vars are not allowed here")
        return ctx.getenv(key)

    def isotime(*layout: str) -> str:
        if not layout:
            return TimeFields.utc(ctx.clock.utc).format(_RFC3339)
        if len(layout) > 1:
            raise FuncError(sprintf("too many values, 1 needed: %v", [list(layout)]))
        return TimeFields.utc(ctx.clock.utc).format(layout[0])

    def strftime_(fmt: str) -> str:
        return TimeFields.utc(ctx.clock.utc).strftime(fmt)

    def pwd() -> str:
        return ctx.getcwd()

    def split(s: str, sep: str, index: int) -> str:
        parts = _go_split(s, sep)
        if len(parts) <= index:
            raise FuncError(
                f"the substring {index} was unavailable using the separator value, {sep}, only {len(parts)} values "
                "were found"
            )
        if index < 0:
            raise FuncError(f"runtime error: index out of range [{index}]")
        return parts[index]

    def template_dir() -> str:
        if not ctx.template_path:
            raise FuncError("template path not available")
        directory = os.path.dirname(ctx.template_path) or "."
        return os.path.normpath(os.path.join(ctx.getcwd(), directory))

    def timestamp() -> str:
        return str(int(ctx.clock.start.timestamp()))

    def uuid() -> str:
        return (ctx.uuid_factory or time_ordered_uuid)()

    def user(key: str) -> str:
        if ctx.user_variables is None:
            raise FuncError("test")  # sic: Packer's message for a nil UserVariables map
        value = ctx.user_variables.get(key)
        if value is None:
            if ctx.enable_env:
                raise FuncError(f"Error: variable not set: {key}")
            return ""
        return value

    def packer_version() -> str:
        if not ctx.packer_version:
            raise FuncError("packer_version not available")
        return ctx.packer_version

    def consul_key(key: str) -> str:
        if not secrets_allowed:
            raise FuncError("consul_key is not allowed here")
        raise FuncError(f"packer-py does not support Consul: cannot read consul_key {key!r}")

    def vault(path: str, key: str) -> str:
        if not secrets_allowed:
            raise FuncError("Vault vars are only allowed in the variables section")
        if not ctx.getenv("VAULT_TOKEN"):
            raise FuncError("Must set VAULT_TOKEN env var in order to use vault template function")
        raise FuncError(f"packer-py does not support HashiCorp Vault: cannot read {path!r} key {key!r}")

    def sed(expression: str, input_string: str) -> str:
        raise FuncError(
            "template function `sed` is deprecated use `replace` or `replace_all` instead."
            "Documentation: https://www.packer.io/docs/templates/engine"
        )

    def build(key: str) -> str:
        data = ctx.build_data if ctx.build_data is not None else ctx.data
        if not isinstance(data, Mapping):
            raise FuncError(
                f"Error validating build variable: the given variable {key} will not be passed into your plugin."
            )
        held = data.get(key)
        if isinstance(held, str):
            return "{{." + key + "}}" if PLACEHOLDER_MSG in held else held
        raise FuncError(f"loaded data, but couldnt find {key} in it.")

    def aws_secretsmanager(*secret: str) -> str:
        if not secrets_allowed:
            raise FuncError("AWS Secrets Manager is only allowed in the variables section")
        if not secret:
            raise FuncError("secret name must be provided")
        if len(secret) > 2:
            raise FuncError("only secret name and optional secret key can be provided.")
        return get_secret(secret[0], secret[1] if len(secret) == 2 else "")

    def replace(old: str, new: str, n: int, src: str) -> str:
        return src.replace(old, new, n if n >= 0 else -1)

    def replace_all(old: str, new: str, src: str) -> str:
        return src.replace(old, new)

    s = ("string",)
    funcs = {
        "build_name": GoFunc(build_name),
        "build_type": GoFunc(build_type),
        "env": GoFunc(env, s),
        "isotime": GoFunc(isotime, (), "string"),
        "strftime": GoFunc(strftime_, s, returns_error=False),
        "pwd": GoFunc(pwd),
        "split": GoFunc(split, ("string", "string", "int")),
        "template_dir": GoFunc(template_dir),
        "timestamp": GoFunc(timestamp, returns_error=False),
        "uuid": GoFunc(uuid, returns_error=False),
        "user": GoFunc(user, s),
        "packer_version": GoFunc(packer_version),
        "consul_key": GoFunc(consul_key, s),
        "vault": GoFunc(vault, ("string", "string")),
        "sed": GoFunc(sed, ("string", "string")),
        "build": GoFunc(build, s),
        "aws_secretsmanager": GoFunc(aws_secretsmanager, (), "string"),
        "replace": GoFunc(replace, ("string", "string", "int", "string"), returns_error=False),
        "replace_all": GoFunc(replace_all, ("string", "string", "string"), returns_error=False),
        "upper": GoFunc(lambda v: _simple_case(v, True), s, returns_error=False),
        "lower": GoFunc(lambda v: _simple_case(v, False), s, returns_error=False),
    }
    for name, fn in ctx.extra_funcs.items():
        funcs[name] = as_go_func(fn)
    return funcs


_ANNOTATION_TYPES = {"str": "string", "int": "int", "bool": "bool", "float": "float64", "object": "any"}


def as_go_func(fn: Callable[..., object]) -> GoFunc:
    """A builder's function as a :class:`GoFunc`: a GoFunc as is, else parameters typed by their annotations
    (``str`` by default, as Packer's functions take strings; ``*args`` is variadic)."""
    if isinstance(fn, GoFunc):
        return fn
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return GoFunc(fn, (), "any")
    params: list[str] = []
    variadic: str | None = None
    for param in signature.parameters.values():
        annotation = param.annotation
        name = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "str")
        go_type = _ANNOTATION_TYPES.get(name, "string") if annotation is not inspect.Parameter.empty else "string"
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            variadic = go_type
        elif param.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            params.append(go_type)
    return GoFunc(fn, tuple(params), variadic)


CLEAN_RESOURCE_NAME = GoFunc(clean_resource_name, ("string",), returns_error=False)
"""What the amazon builder passes in ``extra_funcs`` as ``clean_resource_name``."""
