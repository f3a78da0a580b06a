"""prepare_build: order and stopping, located findings, defaults, newest mode, the ansible probe."""

from __future__ import annotations

import dataclasses
import random
import stat
from pathlib import Path

import pytest

from packer_py.errors import UnsupportedError
from packer_py.findings import Finding
from packer_py.goparse import Duration
from packer_py.schema import ComponentInput, PrepareContext, prepare_build
from packer_py.template.positions import PositionMap

AMAZON = {
    "type": "amazon-ebs",
    "region": "us-east-1",
    "ami_name": "packer-test",
    "ssh_username": "ec2-user",
    "source_ami": "ami-0123456789abcdef0",
    "instance_type": "t2.micro",
}


def plain(text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
    return text


def context(tmp_path: Path, positions: PositionMap | None = None, **options: object) -> PrepareContext:
    return PrepareContext(
        render=plain,
        build_name="amazon-ebs",
        builder_type="amazon-ebs",
        positions=positions or PositionMap("t.json"),
        cwd=tmp_path,
        environ={"PATH": str(tmp_path / "no-bin")},
        new_uuid=lambda: "5fbc5b10-1111-2222-3333-444455556666",
        rng=random.Random(7),
        **options,  # type: ignore[arg-type]
    )


def builder(config: dict[str, object]) -> ComponentInput:
    return ComponentInput("builder", str(config["type"]), [config], ("builders", 0))


def provisioner(index: int, *configs: dict[str, object]) -> ComponentInput:
    return ComponentInput("provisioner", str(configs[0]["type"]), list(configs), ("provisioners", index))


def test_valid_amazon_gets_packer_defaults(tmp_path: Path) -> None:
    result = prepare_build(builder(AMAZON), [], None, [], context(tmp_path))
    assert result.error_detail is None and result.findings == []
    config = result.builder
    assert config is not None
    assert config["ssh_port"] == 22
    assert config["ssh_timeout"] == Duration(300_000_000_000)
    assert config["communicator"] == "ssh"
    assert config["shutdown_behavior"] == "stop"
    assert config["temporary_security_group_source_cidrs"] == ["0.0.0.0/0"]
    assert config["temporary_key_pair_name"] == "packer_5fbc5b10-1111-2222-3333-444455556666"
    assert config["max_retries"] == 10
    assert config["windows_password_timeout"] == Duration(1_200_000_000_000)
    assert config["run_tags"] == {}
    assert config["packer_build_name"] == "amazon-ebs"


def test_force_implies_force_deregister_and_build_region_is_not_a_copy_target(tmp_path: Path) -> None:
    config = {**AMAZON, "ami_regions": ["us-west-2", "us-east-1", "us-west-2"]}
    result = prepare_build(builder(config), [], None, [], context(tmp_path, force=True))
    assert result.builder is not None
    assert result.builder["force_deregister"] is True
    assert result.builder["ami_regions"] == ["us-west-2"]


def test_shell_defaults(tmp_path: Path) -> None:
    shell = provisioner(0, {"type": "shell", "inline": ["echo hi"]})
    result = prepare_build(builder(AMAZON), [shell], None, [], context(tmp_path))
    assert result.error_detail is None
    (config,) = result.provisioners
    assert config["execute_command"] == "chmod +x {{.Path}}; {{.Vars}} {{.Path}}"
    assert config["remote_path"] == f"/tmp/{config['remote_file']}"
    assert config["inline_shebang"] == "/bin/sh -e"
    assert config["start_retry_timeout"] == Duration(300_000_000_000)


def test_stops_at_first_failing_component(tmp_path: Path) -> None:
    first = provisioner(0, {"type": "shell"})
    second = provisioner(1, {"type": "file"})
    result = prepare_build(builder(AMAZON), [first, second], None, [], context(tmp_path))
    assert result.error_detail == "1 error(s) occurred:\n\n* Either a script file or inline script must be specified."
    assert result.failed == ("provisioners", 0)
    assert result.builder is not None and result.provisioners == []


def test_unsupported_component_is_refused(tmp_path: Path) -> None:
    puppet = ComponentInput("provisioner", "puppet-masterless", [{"type": "puppet-masterless"}], ("provisioners", 0))
    with pytest.raises(UnsupportedError):
        prepare_build(builder(AMAZON), [puppet], None, [], context(tmp_path))


def test_findings_are_located_in_the_template(tmp_path: Path) -> None:
    positions = PositionMap("t.json")
    positions.record(("builders", 0), 3, 5)
    positions.record(("builders", 0, "shutdown_behavior"), 9, 7)
    positions.record(("builders", 0, "launch_block_device_mappings", 1), 12, 9)
    config = {
        **AMAZON,
        "shutdown_behavior": "hibernate",
        "launch_block_device_mappings": [{"device_name": "/dev/sda"}, {"volume_size": 8}],
    }
    del config["ssh_username"]
    result = prepare_build(builder(config), [], None, [], context(tmp_path, positions))
    assert result.findings == sorted(
        [
            Finding(
                "t.json",
                3,
                5,
                "E801",
                'An ssh_username must be specified\n  Note: some builders used to default ssh_username to "root".',
            ),
            Finding("t.json", 9, 7, "E255", "shutdown_behavior only accepts 'stop' or 'terminate' values."),
            Finding(
                "t.json",
                12,
                9,
                "E230",
                "The `device_name` must be specified for every device in the block device mapping.",
            ),
        ]
    )


def test_findings_in_overrides_point_at_the_override(tmp_path: Path) -> None:
    positions = PositionMap("t.json")
    positions.record(("provisioners", 0, "override", "amazon-ebs", "skip_clean"), 20, 11)
    positions.record(("provisioners", 0, "override", "amazon-ebs", "Sources"), 21, 11)
    bad_type = provisioner(0, {"type": "shell", "inline": ["x"]}, {"skip_clean": "nope"})
    result = prepare_build(builder(AMAZON), [bad_type], None, [], context(tmp_path, positions))
    assert [(f.line, f.code) for f in result.findings] == [(20, "E102")]
    bad_source = provisioner(0, {"type": "file", "destination": "/tmp/", "sources": ["a"]}, {"Sources": ["gone"]})
    result = prepare_build(builder(AMAZON), [bad_source], None, [], context(tmp_path, positions))
    assert [(f.line, f.code, f.message) for f in result.findings] == [
        (21, "E451", "Bad source 'gone': stat gone: no such file or directory")
    ]


def test_core_keys_are_removed_before_decoding(tmp_path: Path) -> None:
    shell = provisioner(
        0,
        {
            "type": "shell",
            "inline": ["x"],
            "only": ["a"],
            "override": {},
            "pause_before": "1s",
            "max_retries": 2,
            "timeout": "1m",
        },
    )
    manifest = ComponentInput(
        "post-processor", "manifest", [{"type": "manifest", "name": "m", "keep_input_artifact": True}], ("pp", 0)
    )
    result = prepare_build(builder({**AMAZON, "name": "x"}), [shell], None, [[manifest]], context(tmp_path))
    assert result.error_detail is None
    assert result.post_processors[0][0]["output"] == "packer-manifest.json"


def test_warnings_are_returned_and_located(tmp_path: Path) -> None:
    result = prepare_build(
        builder({**AMAZON, "spot_price_auto_product": "Linux/UNIX"}), [], None, [], context(tmp_path)
    )
    assert result.error_detail is None
    assert result.warnings and result.warnings[0].startswith("spot_price_auto_product is deprecated")
    assert [f.code for f in result.findings] == ["W200"]


def test_newest_mode_accepts_and_checks_newer_options(tmp_path: Path) -> None:
    config = {**AMAZON, "metadata_options": {"http_tokens": "mandatory"}, "imds_support": "v2.0"}
    strict = prepare_build(builder(config), [], None, [], context(tmp_path))
    assert strict.error_detail == (
        "2 errors occurred:\n\t* unknown configuration key: '\"imds_support\"'\n"
        "\t* unknown configuration key: '\"metadata_options\"'\n\n"
    )
    newest = prepare_build(builder(config), [], None, [], context(tmp_path, strict_1_6_6=False))
    assert (
        newest.error_detail == "1 error(s) occurred:\n\n* http_tokens requires either optional or required as its value"
    )
    fixed = {**config, "metadata_options": {"http_tokens": "required"}}
    newest = prepare_build(builder(fixed), [], None, [], context(tmp_path, strict_1_6_6=False))
    assert newest.builder is not None
    assert newest.builder["metadata_options"] == {
        "http_endpoint": "enabled",
        "http_tokens": "required",
        "http_put_response_hop_limit": 1,
        "instance_metadata_tags": "disabled",
    }
    assert newest.builder["temporary_key_pair_type"] == "rsa"


def test_newest_file_content_replaces_source(tmp_path: Path) -> None:
    file = provisioner(0, {"type": "file", "content": "hello", "destination": "/tmp/x"})
    assert prepare_build(builder(AMAZON), [file], None, [], context(tmp_path, strict_1_6_6=False)).error_detail is None
    both = provisioner(
        0, {"type": "file", "content": "hello", "source": "a", "destination": "/tmp/x", "generated": True}
    )
    result = prepare_build(builder(AMAZON), [both], None, [], context(tmp_path, strict_1_6_6=False))
    assert result.error_detail == "1 error(s) occurred:\n\n* source(s) conflicts with content."


def _fake_ansible(directory: Path, script: str) -> None:
    directory.mkdir()
    path = directory / "ansible-playbook"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize(
    ("script", "error"),
    [
        ("echo 'ansible-playbook [core 2.14.3]'\n", None),
        ("echo nothing here\n", "* Could not find ansible-playbook version in output:\nnothing here\n"),
        ("exit 3\n", '* Error running "ansible-playbook --version": exit status 3'),
    ],
)
def test_ansible_version_probe_runs_on_the_builds_path(tmp_path: Path, script: str, error: str | None) -> None:
    _fake_ansible(tmp_path / "bin", script)
    (tmp_path / "play.yml").write_text("- hosts: all\n")
    ctx = dataclasses.replace(context(tmp_path), environ={"PATH": str(tmp_path / "bin")})
    ansible = provisioner(0, {"type": "ansible", "playbook_file": "play.yml"})
    result = prepare_build(builder(AMAZON), [ansible], None, [], ctx)
    if error is None:
        assert result.error_detail is None
        assert result.provisioners[0]["ansible_env_vars"] == [
            "ANSIBLE_HOST_KEY_CHECKING=False",
            "ANSIBLE_SCP_IF_SSH=True",
        ]
    else:
        assert result.error_detail == "1 error(s) occurred:\n\n" + error


def test_ansible_probe_can_be_replaced(tmp_path: Path) -> None:
    (tmp_path / "play.yml").write_text("- hosts: all\n")
    calls: list[str] = []
    ctx = context(tmp_path, run_version_probe=lambda command, env: calls.append(command))
    ansible = provisioner(0, {"type": "ansible", "playbook_file": "play.yml", "command": "my-ansible"})
    assert prepare_build(builder(AMAZON), [ansible], None, [], ctx).error_detail is None
    assert calls == ["my-ansible"]
