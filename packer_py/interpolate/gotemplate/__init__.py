"""Packer's JSON template engine: Go's ``text/template`` (Go 1.19, as in the Debian ``packer`` 1.6.6 binary) with
Packer 1.6.6's function library.

Four stages, one module each: ``lexer`` → ``parser`` (→ ``nodes``) → ``evaluator``; ``builtins`` and
``functions`` hold Go's and Packer's functions, ``gofmt`` Go's value formatting. Output and error messages are
Go's, byte for byte (``template: root:1:3: executing "root" at <split>: wrong number of args for split: want 3
got 1``); any input gives either a string or an :class:`~packer_py.errors.InterpolationError`.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from packer_py.errors import InterpolationError
from packer_py.interpolate.gotemplate.builtins import BUILTINS
from packer_py.interpolate.gotemplate.context import RenderContext, RunClock
from packer_py.interpolate.gotemplate.evaluator import execute
from packer_py.interpolate.gotemplate.exceptions import ExecError, FuncError, ParseError
from packer_py.interpolate.gotemplate.functions import (
    BUILDER_DATA_COMMON_KEYS,
    CLEAN_RESOURCE_NAME,
    PACKER_FUNCTION_NAMES,
    PLACEHOLDER_MSG,
    clean_resource_name,
    packer_functions,
    placeholder_data,
)
from packer_py.interpolate.gotemplate.nodes import NodeVisitor
from packer_py.interpolate.gotemplate.parser import Tree, parse_tree
from packer_py.interpolate.gotemplate.values import GoFunc

__all__ = [
    "BUILDER_DATA_COMMON_KEYS",
    "CLEAN_RESOURCE_NAME",
    "DEFAULT_FUNCTIONS",
    "PLACEHOLDER_MSG",
    "ExecError",
    "FuncError",
    "GoFunc",
    "InterpolationError",
    "NodeVisitor",
    "ParseError",
    "RenderContext",
    "RunClock",
    "Tree",
    "clean_resource_name",
    "has_actions",
    "parse",
    "placeholder_data",
    "render",
    "render_until_stable",
]

DEFAULT_FUNCTIONS = frozenset(PACKER_FUNCTION_NAMES | frozenset(BUILTINS))
"""Every function name a template may use without a builder's extras: Packer's and Go's builtins."""


@lru_cache(maxsize=4096)
def _parse_cached(text: str, name: str, functions: frozenset[str]) -> Tree | ParseError:
    try:
        return parse_tree(text, name, functions)
    except ParseError as exc:
        return exc
    except RecursionError:
        return ParseError(f"template: {name}: template nested too deeply for packer-py")


def parse(text: str, name: str = "root", *, functions: Collection[str] | None = None) -> Tree:
    """Parse ``text`` (memoised); raises :class:`ParseError` with Go's message.

    ``functions`` are the callable names (Go checks them at parse time); default: :data:`DEFAULT_FUNCTIONS`.
    """
    names = DEFAULT_FUNCTIONS if functions is None else frozenset(functions) | frozenset(BUILTINS)
    result = _parse_cached(text, name, names)
    if isinstance(result, ParseError):
        raise ParseError(result.message)
    return result


def render(text: str, ctx: RenderContext) -> str:
    """Parse and execute ``text`` once (Packer's ``interpolate.RenderOnce``); raises InterpolationError."""
    if "{{" not in text:
        return text  # Go parses such text into one text node and prints it unchanged
    funcs = packer_functions(ctx)
    tree = parse(text, functions=funcs.keys())
    try:
        return execute(tree, ctx.data, funcs)
    except RecursionError:
        raise ExecError("template: root: template nested too deeply for packer-py") from None


def render_until_stable(text: str, ctx: RenderContext, *, max_passes: int = 100) -> str:
    """Render again until the output stops changing (Packer's ``interpolate.Render``, used by ``console``).

    ``{{ "{{timestamp}}" }}`` therefore prints the timestamp. Packer loops forever on a template whose output
    keeps changing; this stops after ``max_passes``.
    """
    for _ in range(max_passes):
        rendered = render(text, ctx)
        if rendered == text:
            break
        text = rendered
    return text


def has_actions(text: str) -> bool:
    """Whether ``text`` may contain template actions (a cheap test that lets plain strings skip the engine)."""
    return "{{" in text
