"""Running one golden case (``golden_cases.py``) with a given ``packer``-like command; shared by the recorder and
the test, so that Packer and packer-py run in exactly the same conditions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.build.golden_cases import Case, normalise


@dataclass(frozen=True)
class Target:
    """Where the templates' SSH connections go: the harness sshd."""

    host: str
    port: int
    user: str
    key: str


def prepare_case_dir(case: Case, root: Path) -> Path:
    case_dir = root / case.name
    shutil.rmtree(case_dir, ignore_errors=True)
    (case_dir / "tmp").mkdir(parents=True)
    (case_dir / "remote").mkdir()
    for rel, text in case.files.items():
        path = case_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    if case.hcl:
        (case_dir / case.template_file).write_text(case.hcl)
    else:
        (case_dir / case.template_file).write_text(json.dumps(case.template(), indent=2))
    return case_dir


def run_case(
    case: Case, command: list[str], target: Target, root: Path, extra_env: dict[str, str] | None = None
) -> dict[str, str]:
    """Run ``command build ARGS -var ... template.json`` in a scratch dir; return the normalised outputs by name."""
    case_dir = prepare_case_dir(case, root)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(case_dir),
        "TMPDIR": str(case_dir / "tmp"),
        "CHECKPOINT_DISABLE": "1",
        "TZ": "UTC",
        "LANG": "C.UTF-8",
    }
    env.update(extra_env or {})
    variables = {
        "host": target.host,
        "port": str(target.port),
        "user": target.user,
        "key": target.key,
        "remote": str(case_dir / "remote"),
    }
    argv = [*command, "build", *case.args]
    for k, v in variables.items():
        argv += ["-var", f"{k}={v}"]
    argv.append(case.template_file)
    if case.interrupt_after:
        stdout, rc = _run_interrupted(argv, case_dir, env, case.interrupt_after, case.interrupt_signal)
    else:
        proc = subprocess.run(  # a new session: no controlling terminal, so questions fail as in CI
            argv,
            cwd=case_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            start_new_session=True,
        )
        stdout, rc = proc.stdout, proc.returncode
    out = {"out": normalise(stdout, str(case_dir)), "rc": f"{rc}\n"}
    for rel in case.record_files:
        path = case_dir / rel
        out[rel.replace("/", "_")] = normalise(path.read_text(), str(case_dir)) if path.exists() else "<missing>\n"
    if case.listing:
        lines = []
        for top in ("remote", "down"):
            base = case_dir / top
            for p in sorted(base.rglob("*")) if base.exists() else []:
                kind = "d" if p.is_dir() else f"f {p.stat().st_size}"
                lines.append(f"{p.relative_to(case_dir)} {kind}")
        out["listing"] = "\n".join(lines) + "\n"
    return out


def _run_interrupted(argv: list[str], cwd: Path, env: dict[str, str], marker: str, sig_name: str) -> tuple[str, int]:
    """Run in a new session and signal the whole process group once ``marker`` is printed (Packer 1.6.6's
    panicwrap parent ignores a signal sent to it alone, as a terminal signals the group)."""
    import signal
    import threading

    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    killer = threading.Timer(90, lambda: os.killpg(proc.pid, signal.SIGKILL))
    killer.start()
    lines: list[str] = []
    sent = False
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            lines.append(line)
            if not sent and marker in line:
                sent = True
                threading.Timer(0.5, lambda: os.killpg(proc.pid, getattr(signal, sig_name))).start()
        rc = proc.wait()
    finally:
        killer.cancel()
    return "".join(lines), rc
