"""packer-py's ``console`` against what Packer 1.6.6 printed for the same expressions (conformance/console/json).

``golden.json`` is written by ``record.py`` from the real ``packer`` binary; nothing in it is typed by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from packer_py.api import load_template

FOLDER = Path(__file__).resolve().parents[2] / "conformance" / "console" / "json"
GOLDEN = json.loads((FOLDER / "golden.json").read_text(encoding="utf-8"))
TEMPLATE = json.loads((FOLDER / "console.json").read_text(encoding="utf-8"))


@pytest.fixture
def template(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The console template loaded the way ``packer-py console console.json`` loads it, run from its folder."""
    environ = {k: v for k, v in GOLDEN["environment"].items() if k != "PATH"}
    monkeypatch.chdir(FOLDER)
    return load_template("console.json", environ=environ)


def _matches(case: dict[str, object], stdout: str) -> bool:
    expected = str(case["stdout"])
    if "shape" in case:
        pattern = str(case["shape"]).replace("<CONSOLE_DIR>", re.escape(str(FOLDER)))
        return re.fullmatch(pattern, stdout) is not None
    if case.get("any_line_order"):
        return sorted(expected.split("\n")) == sorted(stdout.split("\n"))
    return stdout == expected


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["expression"][:60] for c in GOLDEN["cases"]])
def test_console_matches_packer(case: dict[str, object], template) -> None:  # type: ignore[no-untyped-def]
    result = template.console([str(case["expression"])])
    assert result.exit_code == case["exit_code"]
    assert _matches(case, result.stdout), f"\npacker: {case['stdout']!r}\npy:     {result.stdout!r}"


def test_golden_has_enough_exact_expressions() -> None:
    exact = [c for c in GOLDEN["cases"] if "shape" not in c and not c.get("any_line_order")]
    assert len(GOLDEN["cases"]) >= 80
    assert len(exact) >= 60


def test_only_the_last_line_is_printed_but_every_error_is(template) -> None:  # type: ignore[no-untyped-def]
    by_expression = {c["expression"]: c["stdout"] for c in GOLDEN["cases"]}
    failing, ok = '{{ split "a" }}', "{{user `region`}}"
    result = template.console([failing, ok])
    assert result.stdout == by_expression[failing][:-1] + by_expression[ok]
    result = template.console([ok, failing])
    assert result.stdout == by_expression[failing]


def test_exit_and_blank_lines_print_an_empty_result(template) -> None:  # type: ignore[no-untyped-def]
    assert template.console(["{{user `region`}}", "exit"]).stdout == "\n"
    assert template.console(["{{user `region`}}", "   "]).stdout == "\n"
    assert template.console([]).stdout == "\n"
