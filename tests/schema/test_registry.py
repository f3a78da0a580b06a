"""The component schemas: valid JSON Schema, complete Go annotations, Packer's decode facts."""

from __future__ import annotations

from typing import Any

import pytest

from packer_py.schema import is_supported, load_schema, supported
from packer_py.schema.gotypes import Pointer, Struct
from packer_py.schema.registry import spec

COMPONENTS = supported()


def test_supported_components() -> None:
    assert COMPONENTS == [
        ("builder", "amazon-ebs"),
        ("builder", "null"),
        ("post-processor", "manifest"),
        ("post-processor", "shell-local"),
        ("provisioner", "ansible"),
        ("provisioner", "ansible-local"),
        ("provisioner", "breakpoint"),
        ("provisioner", "file"),
        ("provisioner", "shell"),
        ("provisioner", "shell-local"),
    ]
    assert is_supported("builder", "amazon-ebs")
    assert not is_supported("builder", "docker")
    assert not is_supported("provisioner", "amazon-ebs")


@pytest.mark.parametrize(("kind", "type_"), COMPONENTS)
def test_schema_is_valid_draft_2020_12(kind: str, type_: str) -> None:
    from jsonschema import Draft202012Validator

    schema = load_schema(kind, type_)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (schema["x-packer-kind"], schema["x-packer-type"]) == (kind, type_)


def _nodes(node: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = [(path, node)]
    for name, sub in node.get("properties", {}).items():
        found += _nodes(sub, f"{path}.{name}")
    if isinstance(node.get("items"), dict):
        found += _nodes(node["items"], f"{path}[]")
    if isinstance(node.get("additionalProperties"), dict):
        found += _nodes(node["additionalProperties"], f"{path}{{}}")
    return found


@pytest.mark.parametrize(("kind", "type_"), COMPONENTS)
def test_every_node_names_its_go_type(kind: str, type_: str) -> None:
    for path, node in _nodes(load_schema(kind, type_)):
        assert isinstance(node.get("x-go-type"), str), path


def test_amazon_ebs_covers_packer_options() -> None:
    properties = load_schema("builder", "amazon-ebs")["properties"]
    for key in (
        "ami_name",
        "ssh_username",
        "source_ami_filter",
        "launch_block_device_mappings",
        "assume_role",
        "vault_aws_engine",
        "aws_polling",
        "winrm_use_ntlm",
        "ssh_bastion_host",
        "run_volume_tag",
    ):
        assert key in properties
    newest = {k for k, v in properties.items() if v.get("x-since") == "newest"}
    assert {"metadata_options", "imds_support", "deprecate_at", "skip_create_ami"} <= newest
    assert "temporary_key_pair_type" not in newest  # 1.6.6 decodes it (and ignores it)
    owners = properties["source_ami_filter"]["properties"]["owners"]
    assert owners["x-go-name"] == "Owners"


def test_interpolation_excludes_match_packer() -> None:
    assert spec("builder", "amazon-ebs").exclude == frozenset(
        {
            "ami_description",
            "run_tags",
            "run_tag",
            "run_volume_tags",
            "run_volume_tag",
            "spot_tags",
            "spot_tag",
            "snapshot_tags",
            "snapshot_tag",
            "tags",
            "tag",
        }
    )
    assert spec("provisioner", "shell").exclude == {"execute_command"}
    assert spec("provisioner", "shell-local").exclude == {"execute_command"}
    assert spec("provisioner", "ansible").exclude == {"inventory_file_template"}
    assert spec("builder", "null").exclude == frozenset()


def test_fixable_keys_follow_plugin_type() -> None:
    assert "clean_ami_name" in spec("builder", "amazon-ebs").fixable
    assert "clean_ami_name" not in spec("builder", "null").fixable
    assert "filename" in spec("post-processor", "manifest").fixable
    assert spec("provisioner", "shell-local").fixable == frozenset()  # it sets no PluginType


def test_go_types_in_strict_and_newest_modes() -> None:
    strict = spec("builder", "amazon-ebs").go_type(strict=True)
    newest = spec("builder", "amazon-ebs").go_type(strict=False)
    strict_names = {f.name for f in strict.fields}
    assert "metadata_options" not in strict_names and "packer_force" in strict_names
    assert {f.name for f in newest.fields} - strict_names == spec("builder", "amazon-ebs").newer_keys()
    policy = next(f for f in strict.fields if f.name == "temporary_iam_instance_profile_policy_document")
    assert isinstance(policy.type, Pointer) and isinstance(policy.type.elem, Struct)


def test_check_decoded_reports_schema_violations() -> None:
    from packer_py.schema.registry import check_decoded

    assert check_decoded("builder", "null", {"ssh_port": "x", "zzz": 1, "packer_force": True}) == [
        ": Additional properties are not allowed ('zzz' was unexpected)",
        "ssh_port: 'x' is not of type 'integer'",
    ]
    assert check_decoded("builder", "amazon-ebs", {"metadata_options": {}}) != []
    assert check_decoded("builder", "amazon-ebs", {"metadata_options": {}}, strict=False) == []
