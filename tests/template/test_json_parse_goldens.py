"""packer-py reads malformed and unusual JSON templates exactly as Packer 1.6.6 does.

The expected outputs were recorded from the real Packer by ``tests/goldens/record_parse.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli

GOLDENS = Path(__file__).resolve().parent.parent / "goldens" / "parse"
CASES = sorted(p.stem for p in GOLDENS.glob("*.json"))


@pytest.mark.parametrize("name", CASES)
def test_syntax_only_matches_packer(name: str, tmp_path: Path) -> None:
    shutil.copy(GOLDENS / f"{name}.json", tmp_path / "t.json")
    proc = run_cli(["validate", "-syntax-only", "t.json"], cwd=tmp_path)
    assert proc.returncode == int((GOLDENS / f"{name}.syntax.rc").read_text())
    assert proc.stdout == (GOLDENS / f"{name}.syntax.out").read_text()
