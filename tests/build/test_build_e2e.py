"""End-to-end checks beyond the goldens: what a build leaves behind after Ctrl-C, and the debug log."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.build.golden_cases import Case
from tests.build.golden_run import Target, prepare_case_dir, run_case

REPO = Path(__file__).resolve().parents[2]
PACKER_PY = [sys.executable, "-m", "packer_py"]


def target(null_sshd) -> Target:  # type: ignore[no-untyped-def]
    return Target(null_sshd.host, null_sshd.port, null_sshd.user, str(null_sshd.client_key_path))


def test_ctrl_c_cleans_up_and_leaves_no_connection(null_sshd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = Case(
        "ctrl-c",
        provisioners=[{"type": "shell", "inline": ["echo started", "sleep 30"]}],
        post_processors=[{"type": "shell-local", "inline": ["touch {{user `remote`}}/pp-ran"]}],
        extra={"error-cleanup-provisioner": {"type": "shell-local", "inline": ["touch {{user `remote`}}/cleanup-ran"]}},
        args=["-color=false"],
        interrupt_after="null: started",
    )
    started = time.monotonic()
    out = run_case(case, PACKER_PY, target(null_sshd), tmp_path, {"PYTHONPATH": str(REPO)})
    assert time.monotonic() - started < 20
    assert out["rc"] == "1\n"
    assert out["out"].splitlines()[-1] == "Cleanly cancelled builds after being interrupted."
    remote = tmp_path / "ctrl-c" / "remote"
    assert not (remote / "pp-ran").exists() and not (remote / "cleanup-ran").exists()
    deadline = time.monotonic() + 5
    while null_sshd.connection_pids() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert null_sshd.connection_pids() == []


def test_packer_log_is_masked(null_sshd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    case = Case(
        "log",
        provisioners=[{"type": "shell", "inline": ["echo {{user `pw`}}"]}],
        variables={"pw": "hunter2"},
        sensitive=["pw"],
        args=["-color=false"],
    )
    case_dir = prepare_case_dir(case, tmp_path)
    t = target(null_sshd)
    argv = [*PACKER_PY, "build", "-color=false"]
    for k, v in {"host": t.host, "port": str(t.port), "user": t.user, "key": t.key, "remote": ""}.items():
        argv += ["-var", f"{k}={v}"]
    proc = subprocess.run(
        [*argv, "template.json"],
        cwd=case_dir,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "PACKER_LOG": "1", "HOME": str(case_dir)},
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert proc.returncode == 0
    assert "    null: <sensitive>" in proc.stdout
    assert "Running builder: null" in proc.stderr and "ui: " in proc.stderr
    assert "hunter2" not in proc.stdout + proc.stderr
