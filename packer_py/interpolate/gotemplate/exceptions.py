"""Errors of the Go-template engine, all :class:`~packer_py.errors.InterpolationError`::

    InterpolationError
    ├── ParseError     Go's parse errors: ``template: root:1: function "x" not defined``
    ├── ExecError      Go's ``template.ExecError``: ``template: root:1:2: executing "root" at <...>: ...``
    └── FuncError      raised by a template function to return Go's ``error`` (the engine wraps it as
                       ``error calling NAME: MESSAGE`` in an ExecError)

Packer tells the two first kinds apart (variable defaults are retried only after an ``ExecError`` that says
``Error: variable not set:``), so callers can too. ``str(exc)`` is always Go's complete message.
"""

from __future__ import annotations

from packer_py.errors import InterpolationError

__all__ = ["ExecError", "FuncError", "ParseError"]


class ParseError(InterpolationError):
    """The template text is not valid Go template syntax."""


class ExecError(InterpolationError):
    """Executing the template failed; the message names the node, as Go's ``ExecError`` does."""


class FuncError(InterpolationError):
    """A template function failed; its message becomes the ``%w`` of ``error calling NAME: %w``."""
