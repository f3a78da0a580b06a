"""HCL JSON syntax: hcl v2.6.0's JSON parser diagnostics, schema-driven bodies, expressions and navigation.

Whole-command behaviour against Packer 1.6.6 is in the recorded ``conformance/cases/hcl-json-*``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from packer_py.interpolate.hcl.evaluator import EvalContext, evaluate
from packer_py.interpolate.hcl.jsonsyntax import context_string, json_variables, parse_json_config
from packer_py.interpolate.hcl.pydata import to_python
from packer_py.interpolate.hcl.values import object_val, string_val
from packer_py.template.hcl_schema import Schema, content, just_attributes, partial_content, remain


def parse(text: str):  # type: ignore[no-untyped-def]
    body, diags = parse_json_config(text, "t.pkr.json")
    assert not diags, diags
    return body


@pytest.mark.parametrize(
    ("text", "summary", "column"),
    [
        ('{"a": 1,}', "Trailing comma in object", 8),
        ('{"a": [1,]}', "Trailing comma in array", 9),
        ('{"a" 1}', "Missing property value colon", 6),
        ('{"a" = 1}', "Missing property value colon", 6),
        ('{"a": True}', "Invalid JSON keyword", 7),
        ('{"a": NaN}', "Invalid JSON keyword", 7),
        ('{"a": 01}', "Invalid JSON number", 7),
        ('{"a": "x\\qy"}', "Invalid JSON string", 11),  # Go's offset counts the bad byte
        ('{"a": 1', "Unclosed object", 1),
        ('{"a": {"b": 1]}', "Mismatched braces", 15),
        ("[1]", "Incorrect JSON value type", 2),
        ('"x"', "Root value must be object", 1),
        ('{"a": 1} x', "Extraneous data after value", 10),
        ("", "Missing value", 1),
    ],
)
def test_parse_errors_are_hcls(text: str, summary: str, column: int) -> None:
    body, diags = parse_json_config(text, "t.pkr.json")
    if not diags:  # the root array parses; it fails when the root is read as a body
        _, diags = just_attributes(body)
        _, _, diags = content(body, Schema(attrs=("a",)))
    first = diags[0]
    assert first.summary == summary
    assert first.subject is not None and first.subject.start.column == column


def test_keyword_suggestion() -> None:
    _, diags = parse_json_config('{"a": ture}', "t.pkr.json")
    assert diags[0].detail == '"ture" is not a valid JSON keyword. Did you mean "true"?'


def test_blocks_come_from_the_schema_with_labels_from_nested_objects() -> None:
    body = parse('{"source": {"null": {"a": {"x": 1}, "b": [{"y": 2}, {"z": 3}]}}, "other": 1}')
    _, blocks, diags = partial_content(body, Schema(blocks=(("source", ("type", "name")),)))
    assert not diags
    assert [(b.labels, sorted(just_attributes(b.body)[0])) for b in blocks] == [
        (["null", "a"], ["x"]),
        (["null", "b"], ["y"]),
        (["null", "b"], ["z"]),
    ]
    assert blocks[0].def_range.start.column == 27  # a JSON block's DefRange is its opening brace


def test_content_reports_properties_nobody_asked_for() -> None:
    body = parse('{"//": "comment", "sourc": {}, "name": "x"}')
    attrs, _, diags = content(body, Schema(attrs=("name",), blocks=(("source", ("type",)),)))
    assert list(attrs) == ["name"]
    assert [(d.summary, d.detail) for d in diags] == [
        ("Extraneous JSON object property", 'No argument or block type is named "sourc". Did you mean "source"?')
    ]


def test_missing_label_and_wrong_block_value() -> None:
    body = parse('{"source": {"null": {}}, "build": 5}')
    _, _, diags = content(body, Schema(blocks=(("source", ("type", "name")), ("build", ()))))
    assert [d.summary for d in diags] == ["Missing block label", "Incorrect JSON value type"]
    assert diags[0].detail == (
        "At least one object property is required, whose name represents the source block's name."
    )


def test_remain_hides_what_was_taken() -> None:
    body = parse('{"name": "n", "inline": ["a"]}')
    rest = remain(body, Schema(attrs=("name",)))
    assert list(just_attributes(rest)[0]) == ["inline"]


def test_strings_are_templates_only_with_a_context() -> None:
    body = parse('{"a": "${var.x}-y", "b": {"${var.x}": [1, true, null]}}')
    attrs, _ = just_attributes(body)
    literal, _ = evaluate(attrs["a"].expr, None)
    assert literal.as_string() == "${var.x}-y"
    ctx = EvalContext({"var": object_val({"x": string_val("v")})})
    val, diags = evaluate(attrs["a"].expr, ctx)
    assert not diags and val.as_string() == "v-y"
    obj, _ = evaluate(attrs["b"].expr, ctx)
    assert to_python(obj) == {"v": [1, True, None]}
    assert [t.traversal[0].name for t in json_variables(attrs["b"].expr)] == ["var"]  # type: ignore[attr-defined]


def test_template_positions_skip_the_opening_quote() -> None:
    body = parse('{\n  "a": "${nope}"\n}')
    attrs, _ = just_attributes(body)
    _, diags = evaluate(attrs["a"].expr, EvalContext({}))
    assert diags[0].summary == "Unknown variable"
    assert diags[0].subject is not None and (diags[0].subject.start.line, diags[0].subject.start.column) == (2, 11)


def test_navigation_names_the_objects_holding_an_offset() -> None:
    text = '{"source": {"null": {"a": {"x": 1}}}, "build": [{}, {"p": [1]}]}'
    body = parse(text)
    assert context_string(body.val, text.index('"x"')) == "source.null.a"
    assert context_string(body.val, text.index("[1]") + 1) == "build[1].p"


def test_a_json_configuration_validates_like_a_native_one(tmp_path: Path) -> None:
    from packer_py.api import load_hcl_template

    (tmp_path / "t.pkr.json").write_text(
        '{"source": {"null": {"a": {"communicator": "none"}}},'
        ' "build": {"name": "b", "source": {"source.null.a": {"name": "r"}},'
        ' "provisioner": {"shell-local": {"inline": ["${source.name}"]}}}}'
    )
    result = load_hcl_template(str(tmp_path), environ={}).validate()
    assert result.ok, result.render()
    (build,) = result.builds
    assert build.name == "b.null.r" and build.provisioner_configs[0]["inline"] == ["r"]
