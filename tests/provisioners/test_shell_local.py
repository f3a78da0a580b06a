"""shell-local runs on this machine, so it is tested here without SSH."""

from __future__ import annotations

import io
import threading
import time

import pytest

from packer_py.build.cancel import CancelEvent
from packer_py.build.steps import Cancelled
from packer_py.build.ui import TargetedUi
from packer_py.errors import BuildError
from packer_py.interpolate.gotemplate import RenderContext
from packer_py.provisioners.shell_local import run_shell_local
from packer_py.ui import BasicUi

BASE = {
    "packer_build_name": "b",
    "packer_builder_type": "null",
    "execute_command": ["/bin/sh", "-c", "{{.Vars}} {{.Script}}"],
    "inline_shebang": "/bin/sh -e",
    "env_var_format": "%s='%s' ",
}


def run(config: dict[str, object], data: dict[str, object] | None = None, cancel: CancelEvent | None = None) -> str:
    out = io.StringIO()
    run_shell_local(
        TargetedUi("b", BasicUi(out)),
        {**BASE, **config},
        RenderContext(),
        dict(data or {}),
        cancel or CancelEvent(),
        {"PATH": "/usr/bin:/bin"},
    )
    return out.getvalue()


def test_inline_with_env_and_build_data() -> None:
    out = run(
        {"inline": ["echo $PACKER_BUILD_NAME $X {{.ID}}", "echo oops >&2"], "environment_vars": ["X=y"]}, {"ID": "Null"}
    )
    lines = out.splitlines()
    assert lines[0].startswith("==> b: Running local shell script: ") and "packer-shell" in lines[0]
    assert "    b: b y Null" in lines
    assert "==> b: oops" in lines


def test_command_form_and_exit_codes() -> None:
    assert run({"command": "exit 2", "valid_exit_codes": [2]}).count("Running local shell script") == 1
    with pytest.raises(BuildError, match="non-zero exit status: 2"):
        run({"command": "exit 2"})


def test_only_on_other_os_skips() -> None:
    assert run({"inline": ["exit 1"], "only_on": ["windows"]}) == "==> b: Skipping shell-local due to runtime OS\n"


def test_cancel_kills_the_process() -> None:
    cancel = CancelEvent()
    threading.Timer(0.3, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        run({"inline": ["sleep 30"]}, cancel=cancel)
    assert time.monotonic() - started < 5
