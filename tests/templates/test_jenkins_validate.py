"""Both forms of the seed's Jenkins template validate as Packer 1.6.6 validates them: with ``ansible-playbook`` on
``PATH`` they are valid; without it Prepare's version check fails with Packer's message (goldens recorded by
``record_packer.py``)."""

from __future__ import annotations

import sys

import pytest

from tests.templates.record_packer import FORMS, GOLDENS, REPO, WITH_ANSIBLE, WITHOUT_ANSIBLE, validate


@pytest.mark.parametrize("label", ["with", "without"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_validate_matches_packer(form: str, label: str) -> None:
    path = WITH_ANSIBLE if label == "with" else WITHOUT_ANSIBLE
    out, rc = validate(
        [sys.executable, "-m", "packer_py"], FORMS[form], path, {"PYTHONPATH": str(REPO), "PACKER_PY_LOCATIONS": "0"}
    )
    assert out == (GOLDENS / f"validate-{form}-{label}-ansible.out").read_text()
    assert f"{rc}\n" == (GOLDENS / f"validate-{form}-{label}-ansible.rc").read_text()
