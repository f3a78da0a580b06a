"""``packer-py build`` of an HCL2 config gives Packer 1.6.6's output (``record.py``): build names ``TYPE.NAME``,
``build.*`` and ``source.*`` evaluated with the build's data right before each provisioner runs, Go templates in
the values still rendered."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tests.build.hcl.record import HERE, build

REPO = Path(__file__).resolve().parents[3]


def test_hcl_build_matches_packer(sshd: Any) -> None:
    out, rc = build([sys.executable, "-m", "packer_py"], sshd, {"PYTHONPATH": str(REPO)})
    assert out == (HERE / "null.out").read_text()
    assert f"{rc}\n" == (HERE / "null.rc").read_text()
