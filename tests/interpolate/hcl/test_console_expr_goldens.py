"""HCL2 ``packer console`` end to end (in-process) against goldens recorded from Packer 1.6.6.

The goldens come from ``conformance/console/hcl-expr/record.py`` (operators, template directives, conversions, error
kinds, functions, evaluated in a fixture folder with variables, locals and a sensitive variable).
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from packer_py.api import load_hcl_template
from packer_py.console.hcl_console import run_piped
from packer_py.ui import BasicUi, Masker

GOLDENS = Path(__file__).resolve().parents[3] / "conformance" / "console" / "hcl-expr"
CASES = json.loads((GOLDENS / "goldens.json").read_text(encoding="utf-8"))["cases"]
# Packer iterates a Go map for "Did you mean" candidates; where two names are equally close its pick is random.
RANDOM_SUGGESTION = {"min()", "nosuch(1)"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("console")
    shutil.copytree(GOLDENS / "fixture", tmp / "fixture")
    return tmp


def run(workdir: Path, expr: str) -> tuple[str, int]:
    old = os.getcwd()
    os.chdir(workdir)
    try:
        tpl = load_hcl_template("fixture", environ={})
        tpl.initialize()
        buf = io.StringIO()
        ui = BasicUi(out=buf, masker=Masker(tpl.secrets()))
        writes, rc = run_piped(tpl.config, [expr + "\n"])
        for stream, text in writes:
            (ui.error if stream == "error" else ui.say)(text)
        return buf.getvalue().replace(str(workdir), "<TMP>"), rc
    finally:
        os.chdir(old)


def test_enough_goldens() -> None:
    assert len(CASES) >= 110


@pytest.mark.parametrize("case", CASES, ids=[c["expr"] for c in CASES])
def test_console_matches_packer(workdir: Path, case: dict[str, object]) -> None:
    out, rc = run(workdir, str(case["expr"]))
    assert rc == case["rc"]
    if case["expr"] in RANDOM_SUGGESTION:
        return
    assert out == case["output"]
