"""Packer's ``interpolate.RenderMap``: the template pass that ``config.Decode`` makes before decoding.

For every top-level key of a raw config, in turn, Packer first *parses* every string in the value (nested list
items, nested map keys and values) and then, unless the key is in the component's ``InterpolateFilter.Exclude``,
*renders* them. So an excluded key such as amazon's ``tags`` must still be a well-formed template, but
``{{ .SourceAMIName }}`` in it survives for the build. The first failure ends the pass, worded::

    invalid 'inline': template: root:1: function "clean_resource_name" not defined in:

    echo mybuild-{{isotime | clean_resource_name}}

(``invalid`` for a parse error, ``render`` for an execution error such as ``error calling env``; the text after
``in:`` is the offending string). The Go-template engine is not ours: a ``Renderer`` callback renders one string.
Go visits map keys in random order; packer-py visits them in file order, which only matters when two keys fail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from packer_py.errors import InterpolationError


class Renderer(Protocol):
    """Renders one string with the build's template context (user variables, ``build_name``, ...).

    ``extra_funcs`` names template functions the component adds (amazon: ``clean_resource_name``); any other
    unknown function is a parse error. On failure raise ``InterpolationError`` whose ``str()`` is Go's error text
    (``template: root:1:2: executing "root" at <env `HOME`>: error calling env: env vars are not allowed here``).
    The phase of a failure is read from ``exc.phase`` (``"parse"``/``"exec"``), else from the engine's
    ``ParseError``/``ExecError`` classes, else from the text (Go's execution errors contain ``: executing "``).
    A renderer may also offer ``validate(text, *, extra_funcs)`` that only parses; otherwise parsing is checked by
    rendering and ignoring execution errors.
    """

    def __call__(self, text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str: ...


class RenderFailure(Exception):
    """A failed interpolation, already worded as Packer words it."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.message = message
        self.key = key


def is_exec_error(exc: InterpolationError) -> bool:
    """Execution error (``render '...'``) or parse error (``invalid '...'``)?"""
    phase = getattr(exc, "phase", None)
    if phase in ("parse", "exec"):
        return bool(phase == "exec")
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "ExecError" in names or "ParseError" in names:  # the gotemplate engine's classes
        return "ExecError" in names
    return ': executing "' in str(exc)


def _walk(value: object, leaf: Callable[[str], str]) -> object:
    """reflectwalk over a JSON value: every string (including nested map keys) goes through ``leaf``."""
    if isinstance(value, str):
        return leaf(value)
    if isinstance(value, list):
        return [_walk(v, leaf) for v in value]
    if isinstance(value, dict):
        out: dict[object, object] = {}
        for k, v in value.items():
            new_key = leaf(k) if isinstance(k, str) else k
            out[new_key] = _walk(v, leaf)
        return out
    return value


def render_map(
    raw: dict[str, object], render: Renderer, *, exclude: frozenset[str], extra_funcs: frozenset[str]
) -> dict[str, object]:
    """Validate and render one raw config; raises ``RenderFailure`` worded as Packer's error."""

    validate = getattr(render, "validate", None)

    def check(text: str) -> str:
        try:
            if callable(validate):
                validate(text, extra_funcs=extra_funcs)
            else:
                render(text, extra_funcs=extra_funcs)
        except InterpolationError as exc:
            if callable(validate) or not is_exec_error(exc):
                raise _Wrapped(exc, text) from exc
        return text

    def rendered(text: str) -> str:
        try:
            return render(text, extra_funcs=extra_funcs)
        except InterpolationError as exc:
            raise _Wrapped(exc, text) from exc

    out: dict[str, object] = {}
    for key, value in raw.items():
        try:
            _walk(value, check)
        except _Wrapped as wrapped:
            raise RenderFailure(f"invalid '{key}': {wrapped.text}", key) from wrapped.__cause__
        if key.lower() in exclude:
            out[key] = value
            continue
        try:
            out[key] = _walk(value, rendered)
        except _Wrapped as wrapped:
            raise RenderFailure(f"render '{key}': {wrapped.text}", key) from wrapped.__cause__
    return out


class _Wrapped(Exception):
    def __init__(self, exc: InterpolationError, source: str) -> None:
        super().__init__(str(exc))
        self.text = f"{exc} in:\n\n{source}"


def parse_error(render: Renderer, text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str | None:
    """Go's ``interpolate.Validate``: the parse error of ``text`` as Go words it, or None."""
    validate = getattr(render, "validate", None)
    try:
        if callable(validate):
            validate(text, extra_funcs=extra_funcs)
        else:
            render(text, extra_funcs=extra_funcs)
    except InterpolationError as exc:
        if callable(validate) or not is_exec_error(exc):
            return str(exc)
    return None
