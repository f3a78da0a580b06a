"""prepare_build against Packer 1.6.6's own verdicts, recorded by ``record_prepare.py`` into ``cases/``.

For every build of every case, the diagnostic Packer printed (``Failed to prepare build`` with its detail, or the
builder's ``Warning when preparing build``) must equal what packer-py produces, after the same 80-column wrapping.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .packer_output import diagnostics, prepare_diagnostics

CASES = Path(__file__).resolve().parent / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "case.json").exists())


def _materialise(case_dir: Path, tmp_path: Path) -> tuple[dict, dict, Path]:
    meta = json.loads((case_dir / "case.json").read_text())
    work = tmp_path / "case"
    work.mkdir()
    shutil.copy(case_dir / "template.json", work / "template.json")
    for rel, content in meta["files"].items():
        target = work / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    (tmp_path / "bin").mkdir()
    return meta, json.loads((work / "template.json").read_text()), work


@pytest.mark.parametrize("name", CASE_NAMES)
def test_prepare_matches_packer(name: str, tmp_path: Path) -> None:
    case_dir = CASES / name
    meta, template, work = _materialise(case_dir, tmp_path)
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path), "TZ": "UTC", "LANG": "C.UTF-8"}
    recorded = (case_dir / "validate.out").read_text()
    packer = [d for d in diagnostics(recorded.replace("<CASE>", str(work))) if "prepar" in d.summary]
    ours = prepare_diagnostics(template, work / "template.json", meta["var_args"], work, environ)
    if "<CASE>" in recorded:  # Packer wrapped a path of another length
        assert [d.loosely() for d in ours] == [d.loosely() for d in packer]
    else:
        assert ours == packer
    rc = int((case_dir / "validate.rc").read_text())
    assert (rc != 0) == any(d.severity == "Error" for d in ours)


def test_enough_cases_are_recorded() -> None:
    assert len(CASE_NAMES) >= 80
    failing = [n for n in CASE_NAMES if (CASES / n / "validate.rc").read_text().strip() != "0"]
    assert len(failing) >= 60
