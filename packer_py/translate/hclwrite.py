"""Writing HCL2 native syntax: literals, template strings, attributes and blocks.

A small counterpart of hashicorp/hcl's ``hclwrite`` for ``hcl2_upgrade``: it produces text, and
``hcl_format.format_hcl`` (Packer's canonical layout) aligns it afterwards, so nothing here cares about spacing.

Escaping follows hclsyntax's quoted-template rules: ``\\``, ``"``, newlines and control characters are backslash
escapes, and the two template introducers ``${`` and ``%{`` are doubled (``$${``, ``%%{``) so that literal text
from a JSON template never turns into an HCL interpolation or directive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Union

__all__ = [
    "Attribute",
    "Block",
    "Body",
    "Comment",
    "Newline",
    "is_identifier",
    "number_literal",
    "object_key",
    "quote_literal",
    "render_body",
    "template_text",
]

_KEYWORDS = frozenset({"true", "false", "null", "for", "in", "if", "endif", "else", "endfor"})


def is_identifier(name: str) -> bool:
    """hclsyntax's ``Ident``: an ID_Start letter or ``_``, then ID_Continue characters or ``-``."""
    if not name:
        return False
    if not (name[0] == "_" or name[0].isidentifier()):
        return False
    return all(c == "-" or ("_" + c).isidentifier() for c in name[1:])


def template_text(text: str) -> str:
    """Literal text inside a quoted template: escapes plus ``$${``/``%%{`` for the template introducers."""
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "$%" and i + 1 < n and text[i + 1] == "{":
            out.append(c + c + "{")
            i += 2
            continue
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or c == "\x7f":
            out.append(f"\\u{ord(c):04x}")
        elif 0xD800 <= ord(c) <= 0xDFFF:
            out.append("\ufffd")  # a lone surrogate cannot be written as UTF-8; JSON decoders replace it too
        else:
            out.append(c)
        i += 1
    return "".join(out)


def quote_literal(text: str) -> str:
    """A quoted HCL string whose value is exactly ``text``."""
    return '"' + template_text(text) + '"'


def number_literal(value: int | float) -> str:
    """An HCL number literal for a JSON number (as JSON wrote it: ``48``, ``0.5``, ``1e+21``)."""
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, int):
        return str(value)
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return json.dumps(value)


def object_key(key: str) -> str:
    """An object constructor key: bare when it is an identifier (and not a keyword), quoted otherwise."""
    if is_identifier(key) and key not in _KEYWORDS:
        return key
    return quote_literal(key)


@dataclass
class Comment:
    """``# text`` lines (``text`` may hold several lines)."""

    text: str


@dataclass
class Newline:
    """An empty line between items."""


@dataclass
class Attribute:
    name: str
    expr: str
    comments: list[str] = field(default_factory=list)


@dataclass
class Block:
    type: str
    labels: Sequence[str] = ()
    body: Body = field(default_factory=lambda: Body())
    comments: list[str] = field(default_factory=list)
    one_line: bool = False
    """Write ``type { a = b }`` on one line (Packer's ``locals { timestamp = ... }``)."""


Item = Union[Attribute, Block, Comment, Newline]


@dataclass
class Body:
    items: list[Item] = field(default_factory=list)

    def attr(self, name: str, expr: str, comments: Iterable[str] = ()) -> Attribute:
        a = Attribute(name, expr, list(comments))
        self.items.append(a)
        return a

    def block(self, type_: str, labels: Sequence[str] = (), comments: Iterable[str] = ()) -> Block:
        b = Block(type_, tuple(labels), Body(), list(comments))
        self.items.append(b)
        return b

    def comment(self, text: str) -> None:
        self.items.append(Comment(text))

    def newline(self) -> None:
        self.items.append(Newline())

    def is_empty(self) -> bool:
        return not self.items


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _comment_lines(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in _NEWLINE.split(text)]


def render_body(body: Body, depth: int = 0) -> str:
    """The body as text (two-space indentation; ``format_hcl`` aligns the ``=`` signs afterwards)."""
    indent = "  " * depth
    lines: list[str] = []
    for item in body.items:
        if isinstance(item, Newline):
            lines.append("")
        elif isinstance(item, Comment):
            lines.extend(_comment_lines(item.text, indent))
        elif isinstance(item, Attribute):
            for c in item.comments:
                lines.extend(_comment_lines(c, indent))
            lines.append(f"{indent}{item.name} = {item.expr}")
        else:
            for c in item.comments:
                lines.extend(_comment_lines(c, indent))
            header = " ".join([item.type, *(quote_literal(label) for label in item.labels)])
            inner = [i for i in item.body.items if not isinstance(i, Newline)]
            if item.one_line and len(inner) == 1 and isinstance(inner[0], Attribute) and not inner[0].comments:
                lines.append(f"{indent}{header} {{ {inner[0].name} = {inner[0].expr} }}")
                continue
            lines.append(f"{indent}{header} {{")
            text = render_body(item.body, depth + 1)
            if text:
                lines.append(text)
            lines.append(f"{indent}}}")
    return "\n".join(lines)
