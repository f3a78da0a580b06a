"""The ``imagebuilder`` command group: thin, exit status 1 on errors, lazy heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import REPO, TEMPLATES

PROBE = """
import json, sys
from packer_py.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    sys.stderr.write("RC=%s\\n" % exc.code)
sys.stderr.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _run(args: list[str], cwd: Path) -> tuple[int, str, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )
    rc = int(next(ln for ln in proc.stderr.splitlines() if ln.startswith("RC="))[3:])
    modules = set(json.loads(next(ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES="))[8:]))
    return rc, proc.stdout + proc.stderr, modules


def test_export_command_writes_and_loads_neither_boto3_nor_paramiko(tmp_path: Path) -> None:
    rc, out, modules = _run(["imagebuilder", "export", "httpd.json", "-o", str(tmp_path / "out")], TEMPLATES)
    assert rc == 0, out
    assert "==> amazon-ebs:" in out and (tmp_path / "out" / "deploy.sh").exists()
    assert "boto3" not in modules and "paramiko" not in modules


def test_errors_exit_1(tmp_path: Path) -> None:
    rc, out, _ = _run(["imagebuilder", "export", "missing.json", "-o", str(tmp_path)], tmp_path)
    assert rc == 1 and "missing.json" in out
    rc, out, _ = _run(["imagebuilder", "export", "httpd.json"], TEMPLATES)
    assert rc == 1 and "Missing option" in out
    doc = tmp_path / "bad.yaml"
    doc.write_text("schemaVersion: 1.0\nphases: []\n")
    rc, out, modules = _run(["imagebuilder", "run-component", str(doc), "--host", "127.0.0.1"], tmp_path)
    assert rc == 1 and "invalid AWSTOE document" in out
    assert "paramiko" not in modules


def test_light_commands_still_light() -> None:
    _rc, _out, modules = _run(["version"], REPO)
    assert not {"boto3", "botocore", "paramiko", "yaml"} & modules
