"""Mutated HCL files and expressions through the parser, evaluator, loader and console: never a traceback.

Every failure must come out as HCL diagnostics (exit 1 in the CLI) whose subject, when present, is a real position.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packer_py.console.hcl_console import evaluate_line
from packer_py.interpolate.hcl.diagtext import render
from packer_py.interpolate.hcl.syntax import parse_config
from packer_py.template.hcl_loader import parse_hcl

CORPUS = Path(__file__).resolve().parents[2] / "template" / "data" / "hcl"
SEEDS = [p.read_text() for p in sorted(CORPUS.glob("*.pkr.hcl"))]
ALPHABET = '{}[]()"$%~=<>!&|*+-/.,:?#\n \t\\abcxyz019_' + "éλ"
EXPR_SEEDS = [
    '"a ${var.x} %{ if true }b%{ else }c%{ endif }"',
    "[for k, v in {a = 1} : k => v if v > 0]",
    'upper(var.x) == "A" ? 1 : [2]',
    "var.list[*].name",
    "try(local.y, max([1, 2]...))",
]


def mutate(draw: st.DrawFn, seed: str) -> str:
    text = seed
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            text = draw(st.text(ALPHABET, max_size=20))
            continue
        i = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "swap"]))
        piece = draw(st.text(ALPHABET, min_size=1, max_size=6))
        if op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + len(piece) :]
        else:
            text = text[:i] + piece + text[i + len(piece) :]
    return text


@st.composite
def mutated_files(draw: st.DrawFn) -> str:
    return mutate(draw, draw(st.sampled_from(SEEDS)))


@st.composite
def mutated_exprs(draw: st.DrawFn) -> str:
    return mutate(draw, draw(st.sampled_from(EXPR_SEEDS)))


def _check(diags: list) -> None:
    for d in diags:
        if d.subject is not None:
            assert d.subject.start.line >= 1 and d.subject.start.column >= 1


@settings(max_examples=1200, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_files())
def test_mutated_files_parse_or_diagnose(text: str) -> None:
    body, diags = parse_config(text, "f.pkr.hcl")
    _check(diags)
    render(diags, {"f.pkr.hcl": text})


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_files())
def test_mutated_folders_load_or_diagnose(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "t.pkr.hcl").write_text(text)
    cfg, diags = parse_hcl(str(folder), environ={})
    _check(diags)
    render(diags, {})
    if cfg is not None and not any(d.is_error for d in diags):
        _check(cfg.initialize())
        cfg.template()


@settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_exprs())
def test_mutated_expressions_evaluate_or_diagnose(text: str) -> None:
    cfg, _ = parse_hcl("", environ={})
    assert cfg is not None
    if "\n" in text:
        text = text.replace("\n", " ")
    out, _, diags = evaluate_line(cfg, text.strip())
    _check(diags)
    if any(d.is_error for d in diags):
        assert render(diags, None).startswith("Error: ")
