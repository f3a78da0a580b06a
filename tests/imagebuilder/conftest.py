from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
SEED = TEMPLATES / "imagebuilder" / "seed"


def write_template(folder: Path, template: dict[str, Any], name: str = "t.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(template, indent=2))
    return path


def ebs(**extra: Any) -> dict[str, Any]:
    builder = {
        "type": "amazon-ebs",
        "region": "eu-west-1",
        "source_ami": "ami-0123456789abcdef0",
        "instance_type": "t3.micro",
        "ssh_username": "ec2-user",
        "ami_name": "demo {{timestamp}}",
    }
    builder.update(extra)
    return builder


@pytest.fixture
def export_of(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Export a template dict (written to tmp_path) with tmp_path as Packer's working directory."""
    from packer_py.api import load_template
    from packer_py.imagebuilder.export import ExportOptions, export_template

    def run(template: dict[str, Any], **options: Any):  # type: ignore[no-untyped-def]
        path = write_template(tmp_path, template)
        return export_template(load_template(path), ExportOptions(cwd=tmp_path, **options))

    return run
