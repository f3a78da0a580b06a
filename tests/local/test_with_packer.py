"""HashiCorp Packer 1.6.6 itself builds against a local-mode session: the embedded endpoint and SSH server speak what
Packer's Go SDK and SSH client (with its default scp transfers, both directions) expect."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from packer_py.local.cloud import SourceImage
from packer_py.local.session import LocalSession

from .conftest import SOURCE_AMI

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("packer") is None, reason="Packer 1.6.6 is not installed")
def test_packer_builds_the_seed_template_against_local_mode(session: LocalSession, tmp_path: Path) -> None:
    session.register_source_images([SourceImage("eu-west-1", SOURCE_AMI)])
    session.create_s3_placeholders([("your-bucket-name-here", "index_packer.html")], "eu-west-1")
    template = json.loads((REPO / "templates" / "httpd.json").read_text())
    template["builders"][0].update(session.builder_overrides(), skip_metadata_api_check=True)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "app.conf").write_text("listen 80\n")
    template["provisioners"] += [
        {"type": "file", "source": str(tmp_path / "site"), "destination": "/etc/"},
        {"type": "file", "source": "/etc/os-release", "destination": str(tmp_path / "back"), "direction": "download"},
    ]
    (tmp_path / "t.json").write_text(json.dumps(template))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PACKER_"))}
    env.update(session.environ(), HOME=str(tmp_path), PACKER_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(
        ["packer", "build", "-color=false", "-var", "aws_access_key=x", "-var", "aws_secret_key=y", "t.json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "    amazon-ebs: download: s3://your-bucket-name-here/index_packer.html to /var/www/html/index.html" in (
        proc.stdout
    )
    image_id = proc.stdout.rsplit("eu-west-1: ", 1)[1].split()[0]
    changes = {c.path: c.letter for c in session.instances.images.get(image_id).changes}
    assert changes["/var/www/html/index.html"] == "A"
    assert changes["/etc/site/app.conf"] == "A"
    assert (tmp_path / "back").read_bytes() == Path("/etc/os-release").read_bytes()
