"""Stages 2 and 3: the parser builds Go's tree; nodes are frozen, positioned, and print as Go's String()."""

from __future__ import annotations

import dataclasses

import pytest

from packer_py.interpolate.gotemplate import DEFAULT_FUNCTIONS, NodeVisitor, ParseError, parse
from packer_py.interpolate.gotemplate import nodes as n


def only_action(text: str) -> n.ActionNode:
    tree = parse(text)
    (action,) = tree.root.nodes
    assert isinstance(action, n.ActionNode)
    return action


def test_pipeline_structure() -> None:
    action = only_action('{{ user `app` | printf "%s-%s" "x" }}')
    first, second = action.pipe.cmds
    assert [type(a) for a in first.args] == [n.IdentifierNode, n.StringNode]
    assert isinstance(second.args[0], n.IdentifierNode) and second.args[0].ident == "printf"
    assert first.args[1].text == "app" and first.args[1].quoted == "`app`"


def test_string_form_normalises_spacing_and_keeps_quotes() -> None:
    assert str(only_action('{{   split  "a"   "-"  0 }}').pipe) == 'split "a" "-" 0'
    assert str(only_action("{{ (upper `a`) | lower }}")) == "{{(upper `a`) | lower}}"
    assert str(only_action("{{ $x := .A.B }}").pipe) == "$x := .A.B"


def test_positions_follow_go() -> None:
    action = only_action("{{ .A.B }}")
    field = action.pipe.cmds[0].args[0]
    assert isinstance(field, n.FieldNode) and field.ident == ("A", "B")
    assert field.pos == 5  # Go positions a field chain at its last element


def test_numbers_are_typed_like_go_constants() -> None:
    def number(text: str) -> n.NumberNode:
        node = only_action("{{ " + text + " }}").pipe.cmds[0].args[0]
        assert isinstance(node, n.NumberNode)
        return node

    assert number("0x1F").int64 == 31 and number("0x1F").is_uint
    assert number("1e3").is_float and number("1e3").is_int
    assert number("'a'").int64 == 97
    assert number("1+2i").is_complex and not number("1+2i").is_float
    assert number("-1").is_int and not number("-1").is_uint


def test_if_else_if_becomes_nested_ifs() -> None:
    (node,) = parse("{{ if 1 }}a{{ else if 2 }}b{{ else }}c{{ end }}").root.nodes
    assert isinstance(node, n.IfNode) and node.else_list is not None
    (inner,) = node.else_list.nodes
    assert isinstance(inner, n.IfNode)
    assert str(node) == "{{if 1}}a{{else}}{{if 2}}b{{else}}c{{end}}{{end}}"


def test_defined_templates_are_collected() -> None:
    tree = parse('{{ define "x" }}X{{ end }}{{ template "x" }}')
    assert set(tree.templates) == {"root", "x"}


def test_nodes_are_frozen_and_abstract_bases_cannot_be_built() -> None:
    action = only_action("{{ 1 }}")
    with pytest.raises(dataclasses.FrozenInstanceError):
        action.pos = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        n.Node(0)


def test_parse_is_memoised() -> None:
    assert parse("{{ timestamp }}") is parse("{{ timestamp }}")


def test_function_names_are_checked_at_parse_time() -> None:
    with pytest.raises(ParseError):
        parse("{{ clean_resource_name `a` }}")
    assert parse("{{ clean_resource_name `a` }}", functions=DEFAULT_FUNCTIONS | {"clean_resource_name"})


def test_parse_errors_are_interpolation_errors_with_go_prefix() -> None:
    with pytest.raises(ParseError) as info:
        parse("a\n{{ if 1 }}")
    assert str(info.value).startswith("template: root:2: ")


def test_visitor_reaches_every_call() -> None:
    class Calls(NodeVisitor):
        def __init__(self) -> None:
            self.names: list[str] = []

        def visit_IdentifierNode(self, node: n.IdentifierNode) -> None:
            self.names.append(node.ident)

    visitor = Calls()
    visitor.visit(parse("{{ if eq (user `a`) `b` }}{{ upper (lower `x`) }}{{ end }}").root)
    assert visitor.names == ["eq", "user", "upper", "lower"]
