"""``packer-py local images|diff|show`` over a sandbox, and the ``-local`` flag's refusal without isolation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from packer_py.local.images import ImageStore

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("boto3", "botocore", "paramiko", "moto")


def packer_py(args: list[str], sandbox: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packer_py", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PACKER_PY_LOCAL_DIR": str(sandbox), **env},
    )


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    upper = tmp_path / "upper"
    (upper / "var/www/html").mkdir(parents=True)
    (upper / "var/www/html/index.html").write_text("<p>page</p>\n")
    (upper / "etc").mkdir()
    (upper / "etc/os-release").write_text("changed\n")
    sandbox = tmp_path / "sandbox"
    ImageStore(sandbox / "images").save(
        upper=upper, image_id="ami-0123456789abcdef0", region="eu-west-1", name="httpd 1", instance_id="i-1"
    )
    return sandbox


def test_diff_lists_the_changes(sandbox: Path) -> None:
    proc = packer_py(["local", "diff", "ami-0123456789abcdef0"], sandbox)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "C /etc/os-release",
        "A /var/www",
        "A /var/www/html",
        "A /var/www/html/index.html",
    ]


def test_show_prints_the_record_or_a_file(sandbox: Path) -> None:
    proc = packer_py(["local", "show", "ami-0123456789abcdef0"], sandbox)
    assert proc.returncode == 0
    assert "name:     httpd 1" in proc.stdout and "  A /var/www/html/index.html (file)" in proc.stdout
    proc = packer_py(["local", "show", "ami-0123456789abcdef0", "/var/www/html/index.html"], sandbox)
    assert (proc.returncode, proc.stdout) == (0, "<p>page</p>\n")


def test_images_lists_and_unknown_ids_fail(sandbox: Path) -> None:
    proc = packer_py(["local", "images"], sandbox)
    assert proc.returncode == 0 and proc.stdout.startswith("ami-0123456789abcdef0  eu-west-1  ")
    proc = packer_py(["local", "diff", "ami-ffffffffffffffff0"], sandbox)
    assert proc.returncode == 1 and "no local image ami-ffffffffffffffff0" in proc.stderr + proc.stdout
    proc = packer_py(["local", "frobnicate"], sandbox)
    assert proc.returncode == 1 and "Usage: packer-py local" in proc.stdout


def test_local_commands_stay_light(sandbox: Path) -> None:
    probe = (
        "import json, sys\nfrom packer_py.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('MODULES=' + json.dumps(sorted(sys.modules)) + '\\n')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, "local", "diff", "ami-0123456789abcdef0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PACKER_PY_LOCAL_DIR": str(sandbox)},
    )
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES="))
    loaded = set(json.loads(line[len("MODULES=") :]))
    assert not [m for m in HEAVY if m in loaded]


def test_build_local_refuses_without_isolation(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    proc = packer_py(["build", "-local", "templates/httpd.json"], tmp_path / "sandbox", PATH=str(bin_dir))
    assert proc.returncode == 1
    assert "local mode needs unshare, nsenter, setpriv" in proc.stdout + proc.stderr
    assert "refusing to run them on this host" in proc.stdout + proc.stderr
    assert not (tmp_path / "sandbox").exists()
