"""``packer-py build`` against the goldens recorded from Packer 1.6.6 (``record_build.py``), same templates, same
real sshd (``tests/harness``).

Deliberate differences, applied to the golden before comparing, each one a Packer bug packer-py does not copy:
* machine-readable output: Packer 1.6.6 forgets to mask sensitive values there (its filter result is overwritten);
  packer-py masks them in every output.

Racy lines, dropped from both sides: Packer prints ``Cancelling provisioner after a timeout...`` only when its
printing goroutine wins a race against the provisioner's return (recordings differ run to run); packer-py always
prints it (``tests/build/test_provision.py`` checks that).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.build.golden_cases import CASES, Case
from tests.build.golden_run import Target, run_case

GOLDENS = Path(__file__).resolve().parent / "goldens"
REPO = Path(__file__).resolve().parents[2]

DEVIATIONS: dict[str, list[tuple[str, str]]] = {
    "machine-readable.out": [("null: hunter2", "null: <sensitive>")],
}


RACY: dict[str, list[str]] = {"timeout": ["==> null: Cancelling provisioner after a timeout...\n"]}


def without_racy(case: Case, outputs: dict[str, str]) -> dict[str, str]:
    out = dict(outputs)
    for line in RACY.get(case.name, []):
        out["out"] = out["out"].replace(line, "")
    return out


def expected(case: Case) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(GOLDENS.glob(f"{case.name}.*")):
        what = path.name[len(case.name) + 1 :]
        text = path.read_text()
        for old, new in DEVIATIONS.get(path.name, []):
            text = text.replace(old, new)
        out[what] = text
    return out


@pytest.fixture(scope="module")
def target(null_sshd) -> Target:  # type: ignore[no-untyped-def]
    return Target(null_sshd.host, null_sshd.port, null_sshd.user, str(null_sshd.client_key_path))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_matches_packer(case: Case, target: Target, tmp_path: Path) -> None:
    want = expected(case)
    assert want, f"no goldens for {case.name}: run python -m tests.build.record_build {case.name}"
    got = run_case(case, [sys.executable, "-m", "packer_py"], target, tmp_path, {"PYTHONPATH": str(REPO)})
    assert without_racy(case, got) == without_racy(case, want)
