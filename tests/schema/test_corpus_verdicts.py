"""Every JSON case of the shared conformance corpus whose builders packer-py supports gets Packer's prepare verdict.

The corpus (``shared/conformance-corpus`` next to the repository or one of its parents, or ``$PACKER_PY_CORPUS``)
holds real templates with ``packer validate`` output recorded from Packer 1.6.6. Here only the prepare step is
checked: for each build, the ``Failed to prepare build`` / ``Warning when preparing build`` diagnostics packer-py
would print must be Packer's. Cases that Packer rejects before preparing (for instance while rendering variables)
have no prepare verdict to compare. The full command output is the conformance runner's business.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from .packer_output import diagnostics, prepare_diagnostics

SUPPORTED_BUILDERS = {"amazon-ebs", "null"}


def _corpus() -> Path | None:
    configured = os.environ.get("PACKER_PY_CORPUS")
    if configured:
        return Path(configured)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "conformance-corpus"
        if (candidate / "cases").is_dir():
            return candidate
    return None


CORPUS = _corpus()


def _cases() -> list[str]:
    if CORPUS is None:
        return []
    names = []
    for case in sorted((CORPUS / "cases").glob("0*")):
        meta = json.loads((case / "case.json").read_text())
        if set(meta["builders"]) <= SUPPORTED_BUILDERS and (case / "validate.out").exists():
            names.append(case.name)
    return names


CASES = _cases()


@pytest.mark.skipif(CORPUS is None, reason="conformance corpus not found (set PACKER_PY_CORPUS)")
def test_corpus_has_supported_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", CASES)
def test_corpus_prepare_verdict(name: str, tmp_path: Path) -> None:
    assert CORPUS is not None
    work = tmp_path / "case"
    shutil.copytree(CORPUS / "cases" / name, work)
    meta = json.loads((work / "case.json").read_text())
    cwd = work / meta["packer"]["cwd"]
    template_path = cwd / meta["packer"]["target"]
    (tmp_path / "bin").mkdir()
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path), "TZ": "UTC", "LANG": "C.UTF-8"}
    environ.update(meta["packer"].get("env", {}))
    recorded = diagnostics((work / "validate.out").read_text().replace("<CASE>", str(work)))
    if any(d.severity == "Error" and "prepar" not in d.summary for d in recorded):
        pytest.skip("Packer failed before preparing the builds")
    packer = [d.loosely() for d in recorded if "prepar" in d.summary]
    template = json.loads(template_path.read_text())
    ours = prepare_diagnostics(template, template_path, meta["packer"]["var_args"], cwd, environ)
    assert [d.loosely() for d in ours] == packer
    rc = int((work / "validate.rc").read_text())
    assert (rc != 0) == any(d.severity == "Error" for d in ours)
