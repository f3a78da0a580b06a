"""Export: provisioners as AWSTOE steps, builder options as requests, warnings with template lines."""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from packer_py.api import load_template
from packer_py.imagebuilder.document import load_document
from packer_py.imagebuilder.errors import ExportError
from packer_py.imagebuilder.export import INLINE_DATA_MAX, ExportOptions, export_template
from packer_py.imagebuilder.requests import validate_request
from tests.harness.moto_server import MotoServer

from .conftest import TEMPLATES, ebs


def _steps(export) -> list[dict]:  # type: ignore[no-untyped-def]
    return export.components[0].document["phases"][0]["steps"]


def _all_valid(exports) -> None:  # type: ignore[no-untyped-def]
    for export in exports:
        for name, operation, request in export.requests():
            assert validate_request(operation, request) == [], name
        for component in export.components:
            load_document(component.text)
            if "data" in component.request:
                assert component.request["data"] == component.text


@pytest.mark.parametrize("template", ["httpd.json", "jenkins.json"])
def test_seed_templates_export_valid_requests_and_documents(template: str) -> None:
    exports = export_template(load_template(TEMPLATES / template), ExportOptions(cwd=TEMPLATES))
    assert len(exports) == 1
    _all_valid(exports)


def test_httpd_mapping() -> None:
    (export,) = export_template(load_template(TEMPLATES / "httpd.json"), ExportOptions(cwd=TEMPLATES))
    assert export.recipe["parentImage"] == "ami-06ce3edf0cff21f07"
    assert export.infrastructure["instanceTypes"] == ["t2.micro"]
    dist = export.distribution["distributions"]
    assert dist == [
        {"region": "eu-west-1", "amiDistributionConfiguration": {"name": "httpd {{imagebuilder:buildDate}}"}}
    ]
    assert export.role is not None
    assert export.role.inline_policy == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": ["*"]}],
    }
    assert export.infrastructure["instanceProfileName"] == export.role.name
    steps = _steps(export)
    assert [s["action"] for s in steps] == ["ExecuteBash"] * 4
    assert steps[1]["inputs"]["commands"] == [
        "set -e",
        "export PACKER_BUILDER_TYPE='amazon-ebs'",
        "export PACKER_BUILD_NAME='amazon-ebs'",
        "sudo yum update && sudo yum -y install httpd",
    ]
    assert export.warnings == []


def test_inline_keeps_packer_fail_fast_semantics(tmp_path: Path) -> None:
    """Packer's `/bin/sh -e` fails on the first failing command; the generated bash must too."""
    from packer_py.imagebuilder.export import export_template as run

    tpl = {"builders": [ebs()], "provisioners": [{"type": "shell", "inline": ["false", "touch reached"]}]}
    (tmp_path / "t.json").write_text(__import__("json").dumps(tpl))
    (export,) = run(load_template(tmp_path / "t.json"), ExportOptions(cwd=tmp_path))
    script = "\n".join(_steps(export)[0]["inputs"]["commands"])
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, check=False)
    assert done.returncode != 0
    assert not (tmp_path / "reached").exists()


def test_shebang_flags_environment_and_sudo_note(export_of) -> None:  # type: ignore[no-untyped-def]
    (export,) = export_of(
        {
            "builders": [ebs()],
            "provisioners": [
                {
                    "type": "shell",
                    "inline_shebang": "/bin/bash -ex",
                    "environment_vars": ["GREETING=it's me", "EMPTY="],
                    "execute_command": "echo 'packer' | sudo -S sh -c '{{ .Vars }} {{ .Path }}'",
                    "inline": ["echo $GREETING"],
                }
            ],
        }
    )
    commands = _steps(export)[0]["inputs"]["commands"]
    assert commands[0] == "set -ex"
    assert "export GREETING='it'\"'\"'s me'" in commands
    assert "export EMPTY=''" in commands
    assert ("execute_command with sudo", "dropped: AWSTOE runs every step as root") in export.mappings


def test_reboot_line_becomes_reboot_step_and_retries_timeouts(export_of) -> None:  # type: ignore[no-untyped-def]
    (export,) = export_of(
        {
            "builders": [ebs()],
            "provisioners": [
                {
                    "type": "shell",
                    "expect_disconnect": True,
                    "max_retries": 2,
                    "timeout": "5m",
                    "pause_before": "10s",
                    "inline": ["echo before", "sudo reboot", "echo after"],
                }
            ],
        }
    )
    steps = _steps(export)
    assert [s["action"] for s in steps] == ["ExecuteBash", "ExecuteBash", "Reboot", "ExecuteBash"]
    assert steps[0]["inputs"]["commands"] == ["sleep 10"]
    assert steps[1]["maxAttempts"] == 3 and steps[1]["timeoutSeconds"] == 300
    assert steps[1]["inputs"]["commands"][-1] == "echo before"
    assert steps[3]["inputs"]["commands"][-1] == "echo after"
    assert "maxAttempts" not in steps[2]
    assert export.warnings == []


def test_scripts_inline_and_run_like_packer(tmp_path: Path, export_of) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "setup.sh"
    script.write_text('#!/bin/sh\necho "$PACKER_BUILD_NAME" > "$OUT"\nexit 3\n')
    (export,) = export_of(
        {
            "builders": [ebs()],
            "provisioners": [
                {
                    "type": "shell",
                    "script": "setup.sh",
                    "remote_folder": str(tmp_path),
                    "environment_vars": [f"OUT={tmp_path}/out"],
                }
            ],
        }
    )
    (step,) = _steps(export)
    done = subprocess.run(["bash", "-c", "\n".join(step["inputs"]["commands"])], check=False)
    assert done.returncode == 3  # the script's status is the step's
    assert (tmp_path / "out").read_text() == "amazon-ebs\n"


def test_large_scripts_are_staged_until_the_component_fits(tmp_path: Path, export_of) -> None:  # type: ignore[no-untyped-def]
    for name in ("a.sh", "b.sh", "c.sh"):
        (tmp_path / name).write_text("#!/bin/sh\n" + f"echo {name} {'x' * 70}\n" * 90)
    (export,) = export_of(
        {"builders": [ebs()], "provisioners": [{"type": "shell", "scripts": ["a.sh", "b.sh", "c.sh"]}]}
    )
    _all_valid([export])
    assert len(export.components[0].text) <= INLINE_DATA_MAX
    assert 1 <= len(export.staged) < 3
    actions = [s["action"] for s in _steps(export)]
    assert "S3Download" in actions
    assert export.bucket and export.recipe["components"][0]["parameters"] == [
        {"name": "StagingBucket", "value": [export.bucket]}
    ]
    assert export.role is not None and export.role.inline_policy is not None
    assert export.role.inline_policy["Statement"][-1]["Action"] == ["s3:GetObject"]


def test_file_provisioner_small_text_and_binary(tmp_path: Path, export_of) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "motd").write_text("hello\n")
    os.chmod(tmp_path / "motd", 0o640)
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)))
    (export,) = export_of(
        {
            "builders": [ebs()],
            "provisioners": [
                {"type": "file", "source": "motd", "destination": "/tmp/"},
                {"type": "file", "source": "blob.bin", "destination": "/opt/blob"},
            ],
        }
    )
    steps = _steps(export)
    assert steps[0] == {
        "name": "file-1",
        "action": "CreateFile",
        "inputs": [{"path": "/tmp/motd", "content": "hello\n", "permissions": "0640", "owner": "ec2-user"}],
    }
    assert [s["action"] for s in steps[1:]] == ["S3Download", "SetFilePermissions"]
    assert steps[1]["inputs"][0]["destination"] == "/opt/blob"
    assert [s.key for s in export.staged] == ["file-2/blob.bin"]
    _all_valid([export])


def test_unsupported_things_are_warned_with_template_lines(export_of) -> None:  # type: ignore[no-untyped-def]
    (export,) = export_of(
        {
            "builders": [ebs(tags={"Source": "{{ .SourceAMIName }}", "Built": "{{ isotime }}"}, snapshot_users=["1"])],
            "provisioners": [
                {"type": "shell-local", "inline": ["echo local"]},
                {"type": "breakpoint"},
                {"type": "shell", "inline": ["echo {{ build `ID` }} done"]},
            ],
            "post-processors": [{"type": "manifest"}],
        }
    )
    kinds = sorted(w.kind for w in export.warnings)
    assert kinds == [
        "build-variable",
        "build-variable",
        "builder-option",
        "post-processor-manifest",
        "provisioner-breakpoint",
        "provisioner-shell-local",
    ]
    assert all(w.pos is not None and w.pos.line > 0 for w in export.warnings)
    tags = export.distribution["distributions"][0]["amiDistributionConfiguration"]["amiTags"]
    assert tags == {"Built": "{{imagebuilder:buildDate}}"}
    assert _steps(export)[0]["inputs"]["commands"][-1] == "echo  done"


def test_only_except_per_build_and_one_folder_each(export_of) -> None:  # type: ignore[no-untyped-def]
    exports = export_of(
        {
            "builders": [ebs(name="one"), ebs(name="two", region="us-east-1", ami_regions=["eu-central-1"])],
            "provisioners": [
                {"type": "shell", "inline": ["echo one"], "only": ["one"]},
                {"type": "shell", "inline": ["echo not-one"], "except": ["one"]},
            ],
        }
    )
    assert [e.folder for e in exports] == ["one", "two"]
    assert _steps(exports[0])[0]["inputs"]["commands"][-1] == "echo one"
    assert _steps(exports[1])[0]["inputs"]["commands"][-1] == "echo not-one"
    assert [d["region"] for d in exports[1].distribution["distributions"]] == ["us-east-1", "eu-central-1"]
    _all_valid(exports)


def test_builder_options(tmp_path: Path, export_of) -> None:  # type: ignore[no-untyped-def]
    (export,) = export_of(
        {
            "builders": [
                ebs(
                    ami_name='web (prod) {{isotime "2006-01-02"}}',
                    iam_instance_profile="my-profile",
                    subnet_id="subnet-1",
                    security_group_ids=["sg-1"],
                    ssh_keypair_name="kp",
                    ssh_agent_auth=True,
                    user_data="#!/bin/sh\necho hi\n",
                    run_tags={"Name": "builder {{ build_name }}"},
                    ami_users=["123456789012"],
                    ami_groups=["all"],
                    encrypt_boot=True,
                    kms_key_id="alias/mine",
                    launch_block_device_mappings=[
                        {
                            "device_name": "/dev/xvda",
                            "volume_size": 20,
                            "volume_type": "gp2",
                            "delete_on_termination": True,
                        }
                    ],
                )
            ],
            "provisioners": [{"type": "shell", "inline": ["true"]}],
        }
    )
    ami = export.distribution["distributions"][0]["amiDistributionConfiguration"]
    assert ami["name"] == "web -prod- {{imagebuilder:buildDate}}"
    assert ami["launchPermission"] == {"userIds": ["123456789012"], "userGroups": ["all"]}
    assert ami["kmsKeyId"] == "alias/mine"
    assert export.role is None and export.infrastructure["instanceProfileName"] == "my-profile"
    assert export.infrastructure["resourceTags"] == {"Name": "builder amazon-ebs"}
    assert export.infrastructure["keyPair"] == "kp" and export.infrastructure["subnetId"] == "subnet-1"
    user_data = export.recipe["additionalInstanceConfiguration"]["userDataOverride"]
    assert base64.b64decode(user_data) == b"#!/bin/sh\necho hi\n"
    assert export.recipe["blockDeviceMappings"] == [
        {"deviceName": "/dev/xvda", "ebs": {"volumeSize": 20, "volumeType": "gp2", "deleteOnTermination": True}}
    ]
    assert [w.kind for w in export.warnings] == ["user-data"]
    _all_valid([export])


def test_ami_name_without_time_gets_the_placeholder_and_fits() -> None:
    from packer_py.imagebuilder.values import Translated, ami_name

    name, notes = ami_name(Translated("x" * 200))
    assert len(name) == 127 and name.endswith("{{imagebuilder:buildDate}}")
    assert len(notes) == 2


def test_source_ami_filter_needs_resolving(export_of) -> None:  # type: ignore[no-untyped-def]
    builder = ebs(
        source_ami="", source_ami_filter={"filters": {"name": "al2-*"}, "owners": ["amazon"], "most_recent": True}
    )
    tpl = {"builders": [builder], "provisioners": [{"type": "shell", "inline": ["true"]}]}
    with pytest.raises(ExportError) as info:
        export_of(tpl)
    assert info.value.reason == "source-ami-filter"
    seen = []

    def resolver(region: str, source_filter: dict) -> str:  # type: ignore[type-arg]
        seen.append((region, source_filter["owners"]))
        return "ami-0fedcba9876543210"

    (export,) = export_of(tpl, resolver=resolver)
    assert export.recipe["parentImage"] == "ami-0fedcba9876543210" and seen == [("eu-west-1", ["amazon"])]


def test_resolve_source_with_moto(moto: MotoServer) -> None:
    from packer_py.imagebuilder.source import resolve_source_ami

    ec2 = moto.client("ec2", "us-east-1")
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    name = images[0]["Name"]
    assert (
        resolve_source_ami("us-east-1", {"filters": {"name": name}, "owners": ["amazon"], "most_recent": True}, ec2)
        == images[0]["ImageId"]
    )
    with pytest.raises(ExportError):
        resolve_source_ami("us-east-1", {"filters": {"name": "no-such-*"}}, ec2)


def test_written_directory_round_trips(tmp_path: Path) -> None:
    from packer_py.imagebuilder.output import read_export, write_export

    exports = export_template(load_template(TEMPLATES / "jenkins.json"), ExportOptions(cwd=TEMPLATES))
    out = tmp_path / "out"
    written = write_export(exports, out, "packer-py imagebuilder export jenkins.json -o out")
    assert Path("deploy.sh") in written and Path("files/ansible-2/jenkins.yml") in written
    assert os.access(out / "deploy.sh", os.X_OK)
    back = read_export(out)
    assert back.recipe == exports[0].recipe and back.bucket == exports[0].bucket
    assert [s.key for s in back.staged] == [s.key for s in exports[0].staged]
    assert yaml.safe_load((out / "component-jenkins-amazon-ebs.yaml").read_text())["schemaVersion"] == 1.0
    readme = (out / "README.md").read_text()
    assert "build-variable" in readme and "| `ami_name` |" in readme
