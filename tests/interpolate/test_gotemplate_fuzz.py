"""Any string gives a rendered string or an InterpolationError: never another exception (2,000 mutated inputs)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packer_py.errors import InterpolationError
from packer_py.interpolate.gotemplate import RenderContext, parse, render, render_until_stable

SEEDS = [
    c["template"]
    for c in json.loads(
        (Path(__file__).resolve().parents[2] / "conformance" / "gotemplate" / "golden.json").read_text(encoding="utf-8")
    )["cases"]
]
ATOMS = [
    "{{", "}}", "{{- ", " -}}", "{{/*", "*/}}", " ", "\n", "|", "(", ")", '"a"', '"\\x', "`b`", "'c'", "'", '"', "`",
    "1", "-2", "3.5", "1e3", "0x1F", "1+2i", "true", "nil", ".", ".X", ".List", ".Map", "$", "$x", ":=", "=", ",",
    "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "printf", '"%d %s %v"',
    '"%*.*f"', "print", "len", "index", "slice", "eq", "lt", "and", "or", "not", "html", "js", "urlquery", "call",
    "user", "env", "upper", "split", "replace", "build", "isotime", "strftime", '"%Y %q"', "é", "\\", "\t", "😀",
]  # fmt: skip
CTX = RenderContext(data={"X": "x", "List": ["a", None], "Map": {"k": "v"}}, user_variables={"a": "1"})


@st.composite
def templates(draw: st.DrawFn) -> str:
    text: str = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, len(text)))
        op = draw(st.integers(0, 3))
        if op == 0:
            text = text[:i] + text[j:]
        elif op == 1:
            text = text[:i] + draw(st.sampled_from(ATOMS)) + text[i:]
        elif op == 2:
            text = text[:i] + text[i:j] * 2 + text[j:]
        else:
            text = text[:i] + draw(st.text(max_size=3)) + text[i:]
    return text


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(templates() | st.lists(st.sampled_from(ATOMS), max_size=12).map("".join))
def test_any_template_renders_or_raises_interpolation_error(text: str) -> None:
    try:
        parse(text)
    except InterpolationError:
        pass
    try:
        assert isinstance(render(text, CTX), str)
        assert isinstance(render_until_stable(text, CTX, max_passes=3), str)
    except InterpolationError as exc:
        assert str(exc).startswith("template: ")
