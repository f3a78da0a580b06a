"""The amazon builder's ``clean_resource_name`` is available while its config is prepared (Packer 1.6.6:
``packer validate`` accepts ``ami_name: "web {{isotime \\"2006-01-02\\" | clean_resource_name}}"``, exit 0)."""

from __future__ import annotations

import json
from pathlib import Path

from packer_py.api import load_template


def test_clean_resource_name_in_ami_name(tmp_path: Path) -> None:
    builder = {
        "type": "amazon-ebs",
        "region": "eu-west-1",
        "source_ami": "ami-1",
        "instance_type": "t2.micro",
        "ssh_username": "u",
        "ami_name": 'web {{isotime "2006-01-02" | clean_resource_name}} {{ clean_resource_name "a:b" }}',
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"builders": [builder]}))
    result = load_template(path).validate()
    assert result.ok, result.render()
    assert str(result.builds[0].builder_config["ami_name"]).endswith(" a-b")
