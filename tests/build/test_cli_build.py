"""``packer-py build`` flag handling against ``packer build`` (goldens recorded by ``record_build.py``).

Deliberate difference: ``build -h`` lists packer-py's own ``-local`` flag after Packer's flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from packer_py.cli.help import LOCAL_BUILD_HELP
from tests.build.record_build import CLI_CASES
from tests.conftest import run_cli

GOLDENS = Path(__file__).resolve().parent / "goldens"


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_flags_like_packer(name: str, tmp_path: Path) -> None:
    proc = run_cli(CLI_CASES[name], cwd=tmp_path)
    expected = (GOLDENS / f"cli-{name}.out").read_text()
    if name == "help":
        expected += LOCAL_BUILD_HELP + "\n"
    assert proc.stdout == expected
    assert f"{proc.returncode}\n" == (GOLDENS / f"cli-{name}.rc").read_text()


HCL_NONE = 'source "null" "n" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.n"]\n}\n'


def test_local_mode_runs_hcl2(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text(HCL_NONE)
    proc = run_cli(["build", "-local", "t.pkr.hcl"], cwd=tmp_path, env={"PACKER_PY_LOCAL_DIR": str(tmp_path / "lm")})
    assert proc.returncode == 0, proc.stdout
    assert "--> null.n: Did not export anything. This is the null builder" in proc.stdout
