"""House style is part of the build: ``ruff check`` and ``ruff format --check`` pass on the whole tree."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PATHS = ["packer_py", "tests", "conformance", "bench"]


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed (pip install -e '.[test]')")
@pytest.mark.parametrize("args", [["check", "--quiet"], ["format", "--check", "--quiet"]])
def test_ruff(args: list[str]) -> None:
    proc = subprocess.run(["ruff", *args, *PATHS], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(shutil.which("mypy") is None, reason="mypy is not installed (pip install -e '.[test]')")
def test_mypy_strict() -> None:
    """STYLE: strict mypy on packer_py/ (configured in pyproject.toml)."""
    proc = subprocess.run(["mypy", "packer_py"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
