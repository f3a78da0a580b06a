"""packer-py's ``console`` against what Packer 1.6.6 printed for the same expressions (conformance/console/json).

``golden.json`` is written by ``record.py`` from the real ``packer`` binary; nothing in it is typed by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from packer_py.console import run_console
from packer_py.interpolate.gotemplate import ExecError, RenderContext, render

FOLDER = Path(__file__).resolve().parents[2] / "conformance" / "console" / "json"
GOLDEN = json.loads((FOLDER / "golden.json").read_text(encoding="utf-8"))
TEMPLATE = json.loads((FOLDER / "console.json").read_text(encoding="utf-8"))


def render_variables(defaults: dict[str, str], environ: dict[str, str]) -> dict[str, str]:
    """Packer 1.6.6's ``renderVarsRecursively`` in short: sorted names, retried until references resolve."""
    values: dict[str, str] = {}
    pending = sorted(defaults)
    for _ in range(100):
        retry = []
        for name in pending:
            ctx = RenderContext(user_variables=dict(values), enable_env=True, in_variables=True, environ=environ)
            try:
                values[name] = render(defaults[name], ctx)
            except ExecError as exc:
                if "Error: variable not set:" not in str(exc):
                    raise
                retry.append(name)
        if not retry:
            return values
        pending = retry
    raise AssertionError(f"variables never resolved: {pending}")


@pytest.fixture(scope="module")
def console_context() -> tuple[RenderContext, list[str]]:
    environ = {k: v for k, v in GOLDEN["environment"].items() if k != "PATH"}
    variables = render_variables(TEMPLATE["variables"], environ)
    ctx = RenderContext(user_variables=variables, template_path=str(FOLDER / "console.json"), cwd=str(FOLDER))
    secrets = [variables[name] for name in TEMPLATE["sensitive-variables"]]
    return ctx, secrets


def _matches(case: dict[str, object], stdout: str) -> bool:
    expected = str(case["stdout"])
    if "shape" in case:
        pattern = str(case["shape"]).replace("<CONSOLE_DIR>", re.escape(str(FOLDER)))
        return re.fullmatch(pattern, stdout) is not None
    if case.get("any_line_order"):
        return sorted(expected.split("\n")) == sorted(stdout.split("\n"))
    return stdout == expected


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["expression"][:60] for c in GOLDEN["cases"]])
def test_console_matches_packer(case: dict[str, object], console_context: tuple[RenderContext, list[str]]) -> None:
    ctx, secrets = console_context
    result = run_console([str(case["expression"])], ctx, secrets)
    assert result.exit_code == case["exit_code"]
    assert _matches(case, result.stdout), f"\npacker: {case['stdout']!r}\npy:     {result.stdout!r}"


def test_golden_has_enough_exact_expressions() -> None:
    exact = [c for c in GOLDEN["cases"] if "shape" not in c and not c.get("any_line_order")]
    assert len(GOLDEN["cases"]) >= 80
    assert len(exact) >= 60


def test_only_the_last_line_is_printed_but_every_error_is(console_context: tuple[RenderContext, list[str]]) -> None:
    ctx, secrets = console_context
    by_expression = {c["expression"]: c["stdout"] for c in GOLDEN["cases"]}
    failing, ok = '{{ split "a" }}', "{{user `region`}}"
    result = run_console([failing, ok], ctx, secrets)
    assert result.stdout == by_expression[failing][:-1] + by_expression[ok]
    result = run_console([ok, failing], ctx, secrets)
    assert result.stdout == by_expression[failing]


def test_exit_and_blank_lines_print_an_empty_result(console_context: tuple[RenderContext, list[str]]) -> None:
    ctx, secrets = console_context
    assert run_console(["{{user `region`}}", "exit"], ctx, secrets).stdout == "\n"
    assert run_console(["{{user `region`}}", "   "], ctx, secrets).stdout == "\n"
    assert run_console([], ctx, secrets).stdout == "\n"
