"""Stage 3: the parse tree, as Go's ``text/template/parse/node.go`` defines it.

Nodes are frozen dataclasses. Every node has ``pos``, the offset in the template text where Go says it starts
(quirks included: in ``.A.B`` that is the offset of ``.B``), and ``str(node)`` re-serialises it exactly as Go's
``Node.String()`` does, because execution errors quote that form: ``executing "root" at <split "a" "-" 5>``.

Work on the tree lives outside it: the evaluator, and :class:`NodeVisitor` for translators such as
``hcl2_upgrade`` that walk the tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from packer_py.interpolate.gotemplate.gostrings import go_quote

__all__ = [
    "ActionNode",
    "BoolNode",
    "BranchNode",
    "BreakNode",
    "ChainNode",
    "CommandNode",
    "CommentNode",
    "ContinueNode",
    "DotNode",
    "ElseNode",
    "EndNode",
    "FieldNode",
    "IdentifierNode",
    "IfNode",
    "ListNode",
    "NilNode",
    "Node",
    "NodeVisitor",
    "NumberNode",
    "PipeNode",
    "RangeNode",
    "StringNode",
    "TemplateNode",
    "TextNode",
    "VariableNode",
    "WithNode",
]


@dataclass(frozen=True)
class Node:
    """Base of all nodes; abstract (only subclasses can be created)."""

    pos: int

    def __post_init__(self) -> None:
        if type(self) in (Node, BranchNode):
            raise TypeError(f"{type(self).__name__} is abstract")

    def children(self) -> Iterator[Node]:
        """The direct child nodes, in source order."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, Node))


@dataclass(frozen=True)
class ListNode(Node):
    """A sequence of nodes (a template body, or the body of if/range/with/else)."""

    nodes: tuple[Node, ...]

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


@dataclass(frozen=True)
class TextNode(Node):
    """Literal text outside actions, after trim markers have removed spaces."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class CommentNode(Node):
    """A ``{{/* ... */}}`` comment (only kept when the parser is asked to keep comments)."""

    text: str

    def __str__(self) -> str:
        return "{{" + self.text + "}}"


@dataclass(frozen=True)
class VariableNode(Node):
    """``$``, ``$x`` or ``$x.Field.Sub``: ``ident`` holds the variable name and then the field names."""

    ident: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.ident)


@dataclass(frozen=True)
class CommandNode(Node):
    """One stage of a pipeline: an operand followed by its arguments (``split "a-b" "-" 0``)."""

    args: tuple[Node, ...]

    def __str__(self) -> str:
        parts = []
        for arg in self.args:
            parts.append(f"({arg})" if isinstance(arg, PipeNode) else str(arg))
        return " ".join(parts)


@dataclass(frozen=True)
class PipeNode(Node):
    """``$x := cmd1 | cmd2``; each command's value is passed as the LAST argument of the next one."""

    line: int
    is_assign: bool
    decl: tuple[VariableNode, ...]
    cmds: tuple[CommandNode, ...]

    def __str__(self) -> str:
        text = ""
        if self.decl:
            text = ", ".join(str(v) for v in self.decl) + " := "
        return text + " | ".join(str(c) for c in self.cmds)


@dataclass(frozen=True)
class ActionNode(Node):
    """``{{ pipeline }}`` that is not a control structure; prints its value unless it declares variables."""

    line: int
    pipe: PipeNode

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


@dataclass(frozen=True)
class IdentifierNode(Node):
    """A function name (``user``, ``printf``, ...); checked against the function map at parse time."""

    ident: str

    def __str__(self) -> str:
        return self.ident


@dataclass(frozen=True)
class DotNode(Node):
    """``.``, the cursor: the data value, or the value set by ``with``/``range``."""

    def __str__(self) -> str:
        return "."


@dataclass(frozen=True)
class NilNode(Node):
    """The untyped ``nil`` constant."""

    def __str__(self) -> str:
        return "nil"


@dataclass(frozen=True)
class FieldNode(Node):
    """``.Field`` or ``.A.B`` on the cursor; ``ident`` holds the names without dots."""

    ident: tuple[str, ...]

    def __str__(self) -> str:
        return "".join("." + i for i in self.ident)


@dataclass(frozen=True)
class ChainNode(Node):
    """A term followed by field accesses, such as ``(index . 0).Name``."""

    node: Node
    field: tuple[str, ...]

    def __str__(self) -> str:
        head = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return head + "".join("." + f for f in self.field)


@dataclass(frozen=True)
class BoolNode(Node):
    """``true`` or ``false``."""

    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True)
class NumberNode(Node):
    """A number constant, stored under every Go type that can hold it (Go's way of modelling ideal constants)."""

    text: str
    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    is_complex: bool = False
    int64: int = 0
    uint64: int = 0
    float64: float = 0.0
    complex128: complex = 0j

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class StringNode(Node):
    """A quoted or raw string; ``quoted`` is the source form (printed in errors), ``text`` the value."""

    quoted: str
    text: str

    def __str__(self) -> str:
        return self.quoted


@dataclass(frozen=True)
class BranchNode(Node):
    """Common shape of ``if``, ``range`` and ``with``."""

    line: int
    pipe: PipeNode
    list: ListNode
    else_list: ListNode | None

    keyword = ""

    def __str__(self) -> str:
        text = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            text += "{{else}}" + str(self.else_list)
        return text + "{{end}}"


@dataclass(frozen=True)
class IfNode(BranchNode):
    """``{{if p}}...{{else}}...{{end}}``; ``{{else if q}}`` becomes a nested IfNode in ``else_list``."""

    keyword = "if"


@dataclass(frozen=True)
class RangeNode(BranchNode):
    """``{{range p}}...{{else}}...{{end}}`` over a list or map (sorted keys)."""

    keyword = "range"


@dataclass(frozen=True)
class WithNode(BranchNode):
    """``{{with p}}...{{else}}...{{end}}``: sets the cursor to the value when it is non-empty."""

    keyword = "with"


@dataclass(frozen=True)
class TemplateNode(Node):
    """``{{template "name" pipeline}}`` (also produced by ``{{block}}``)."""

    line: int
    name: str
    pipe: PipeNode | None

    def __str__(self) -> str:
        text = "{{template " + go_quote(self.name)
        if self.pipe is not None:
            text += " " + str(self.pipe)
        return text + "}}"


@dataclass(frozen=True)
class BreakNode(Node):
    """``{{break}}`` inside a range (Go 1.18+)."""

    line: int

    def __str__(self) -> str:
        return "{{break}}"


@dataclass(frozen=True)
class ContinueNode(Node):
    """``{{continue}}`` inside a range (Go 1.18+)."""

    line: int

    def __str__(self) -> str:
        return "{{continue}}"


@dataclass(frozen=True)
class EndNode(Node):
    """``{{end}}``; only seen by the parser, never in a finished tree."""

    def __str__(self) -> str:
        return "{{end}}"


@dataclass(frozen=True)
class ElseNode(Node):
    """``{{else}}``; only seen by the parser, never in a finished tree."""

    line: int

    def __str__(self) -> str:
        return "{{else}}"


class NodeVisitor:
    """Walks a tree calling ``visit_<ClassName>(node)``; unhandled nodes visit their children (as in Jinja)."""

    def visit(self, node: Node) -> Any:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            return self.generic_visit(node)
        return method(node)

    def generic_visit(self, node: Node) -> Any:
        for child in node.children():
            self.visit(child)
        return None
