"""packer-py's ansible and ansible-local provisioners against Packer 1.6.6, case by case (``cases.py``; goldens by
``record_packer.py``): the argv, inventory and environment given to ``ansible-playbook`` and ``ansible-galaxy``,
the files staged for ``ansible-local``, the whole UI output, the exit code and the inventories left behind must be
Packer's."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.provisioners.ansible.cases import CASES, Target, run_case

GOLDENS = Path(__file__).resolve().parent / "goldens"
REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("name", sorted(CASES))
def test_ansible_invocation_matches_packer(name: str, sshd: Any, tmp_path: Path) -> None:
    golden = json.loads((GOLDENS / f"{name}.json").read_text())
    target = Target(sshd.host, sshd.port, sshd.user, str(sshd.client_key_path))
    ours = run_case(CASES[name], [sys.executable, "-m", "packer_py"], target, tmp_path, {"PYTHONPATH": str(REPO)})
    assert ours["calls"] == golden["calls"]
    assert ours["output"] == golden["output"]
    assert ours["exit_code"] == golden["exit_code"]
    assert ours["left_behind"] == golden["left_behind"]
