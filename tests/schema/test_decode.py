"""config.Decode: weak decoding, merging of raws, unknown keys, interpolation failures, strict 1.6.6 mode."""

from __future__ import annotations

import pytest

from packer_py.errors import InterpolationError
from packer_py.goparse import Duration
from packer_py.schema.decode import decode_component
from packer_py.schema.gotypes import Map, Scalar, Slice
from packer_py.schema.mapstructure import Decoder
from packer_py.schema.registry import spec

CORE = {"packer_build_name": "b", "packer_builder_type": "null", "packer_user_variables": {}}


def plain(text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
    return text


def decode(kind: str, type_: str, *raws: dict[str, object], strict: bool = True):  # type: ignore[no-untyped-def]
    return decode_component(spec(kind, type_), list(raws), CORE, plain, strict=strict)


def test_weak_conversions() -> None:
    result = decode(
        "builder",
        "amazon-ebs",
        {
            "ssh_port": "0x16",
            "ami_regions": "us-west-2,eu-west-1",
            "ena_support": "true",
            "encrypt_boot": False,
            "ssh_pty": 1,
            "ami_description": 5.5,
            "ami_name": True,
            "ssh_timeout": "1m30s",
            "windows_password_timeout": 300,
            "launch_block_device_mappings": {"device_name": "/dev/sdb", "volume_size": "16"},
            "tags": [{"a": "b"}, {"c": 1}],
            "ami_groups": "",
        },
    )
    config = result.config
    assert result.error is None and config is not None
    assert config["ssh_port"] == 22
    assert config["ami_regions"] == ["us-west-2", "eu-west-1"]
    assert config["ena_support"] is True
    assert config["encrypt_boot"] is False
    assert config["sriov_support"] is False
    assert config["ssh_pty"] is True
    assert config["ami_description"] == "5.5"
    assert config["ami_name"] == "1"
    assert config["ssh_timeout"] == Duration(90_000_000_000)
    assert config["windows_password_timeout"] == 300  # a bare number is nanoseconds
    assert config["launch_block_device_mappings"][0]["volume_size"] == 16  # type: ignore[index]
    assert config["tags"] == {"a": "b", "c": "1"}
    assert config["ami_groups"] == []
    assert config["ami_users"] is None  # nil, not empty
    assert config["aws_polling"] is None  # nil pointer until set


def test_override_merges_lists_index_by_index_maps_key_by_key() -> None:
    result = decode(
        "provisioner",
        "shell",
        {"inline": ["a", "b", "c"], "environment_vars": ["A=1"], "execute_command": "x"},
        {"inline": ["x"], "environment_vars": [], "execute_command": None},
    )
    assert result.config is not None
    assert result.config["inline"] == ["x", "b", "c"]
    assert result.config["environment_vars"] == ["A=1"]  # an empty list does not clear
    assert result.config["execute_command"] == "x"  # null leaves the field alone


def test_structs_in_lists_merge_field_by_field() -> None:
    result = decode(
        "builder",
        "amazon-ebs",
        {"launch_block_device_mappings": [{"device_name": "/dev/sda", "volume_size": 8}]},
        {"launch_block_device_mappings": [{"volume_type": "gp2"}, {"device_name": "/dev/sdb"}]},
    )
    assert result.config is not None
    first, second = result.config["launch_block_device_mappings"]  # type: ignore[misc]
    assert (first["device_name"], first["volume_size"], first["volume_type"]) == ("/dev/sda", 8, "gp2")
    assert second["device_name"] == "/dev/sdb"


def test_keys_match_case_insensitively_and_untagged_fields_by_go_name() -> None:
    result = decode("provisioner", "shell", {"INLINE": ["x"], "Remote_Folder": "/var/tmp"})
    assert result.config is not None
    assert result.config["inline"] == ["x"] and result.config["remote_folder"] == "/var/tmp"


def test_type_errors_are_sorted_and_use_go_names() -> None:
    result = decode("provisioner", "shell", {"inline": {"a": 1}, "valid_exit_codes": ["a"], "binary": "perhaps"})
    assert result.error == (
        "3 error(s) decoding:\n\n"
        "* 'Inline[0]' expected type 'string', got unconvertible type 'map[interface {}]interface {}', value: "
        "'map[a:1]'\n"
        "* cannot parse 'Binary' as bool: strconv.ParseBool: parsing \"perhaps\": invalid syntax\n"
        "* cannot parse 'valid_exit_codes[0]' as int: strconv.ParseInt: parsing \"a\": invalid syntax"
    )
    assert sorted(issue.path for issue in result.issues) == [("binary",), ("inline",), ("valid_exit_codes", 0)]


def test_first_raw_with_errors_wins() -> None:
    result = decode("provisioner", "shell", {"inline": ["x"], "skip_clean": "x"}, {"pause_after": "bad"})
    assert result.error is not None and "skip_clean" in result.error and "pause_after" not in result.error
    assert result.issues[0].raw == 0


def test_unknown_keys_are_reported_after_a_clean_decode_only() -> None:
    result = decode("provisioner", "shell", {"inline": ["x"], "zzz": 1, "skip_clean": "nope"})
    assert result.error is not None and "zzz" not in result.error


def test_unknown_and_fixable_keys() -> None:
    result = decode("builder", "amazon-ebs", {"zzz": 1, "clean_ami_name": True, "type": "amazon-ebs", "packer_x": 1})
    assert result.error == (
        "2 errors occurred:\n"
        "\t* Deprecated configuration key: 'clean_ami_name'. Please call `packer fix` against your template to "
        "update your template to be compatible with the current version of Packer. Visit "
        "https://www.packer.io/docs/commands/fix/ for more detail.\n"
        "\t* unknown configuration key: '\"zzz\"'\n\n"
    )
    assert [i.code for i in result.issues] == ["E101", "E100"]


def test_unknown_key_in_both_raws_is_reported_twice() -> None:
    result = decode("provisioner", "shell", {"inline": ["x"], "foo": 1}, {"foo": 2})
    assert result.error == (
        "2 errors occurred:\n\t* unknown configuration key: '\"foo\"'\n\t* unknown configuration key: '\"foo\"'\n\n"
    )
    assert [i.raw for i in result.issues] == [0, 1]


def test_shell_local_prefixes_its_decode_errors() -> None:
    result = decode("post-processor", "shell-local", {"inline": ["x"], "oops": 1})
    assert result.error == "Error decoding config: 1 error occurred:\n\t* unknown configuration key: '\"oops\"'\n\n"


@pytest.mark.parametrize(
    ("kind", "type_", "raw"),
    [
        ("builder", "amazon-ebs", {"metadata_options": {"http_tokens": "required"}, "imds_support": "v2.0"}),
        ("provisioner", "shell", {"inline": ["x"], "env": {"A": "1"}}),
        ("provisioner", "file", {"content": "x", "destination": "/tmp/x"}),
    ],
)
def test_newer_options_are_unknown_in_strict_mode_only(kind: str, type_: str, raw: dict[str, object]) -> None:
    strict = decode(kind, type_, raw)
    assert strict.error is not None and "unknown configuration key" in strict.error
    newest = decode(kind, type_, raw, strict=False)
    assert newest.error is None and newest.config is not None
    for key in raw:
        assert newest.config[key]


class _Failing:
    """A renderer whose failures carry the engine's phase."""

    def __init__(self, phase: str, message: str) -> None:
        self.phase = phase
        self.message = message

    def __call__(self, text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
        if "{{" not in text:
            return text
        error = InterpolationError(self.message)
        error.phase = self.phase  # type: ignore[attr-defined]
        raise error


def test_interpolation_failures_are_worded_by_phase() -> None:
    parse = _Failing("parse", 'template: root:1: function "nope" not defined')
    result = decode_component(spec("provisioner", "shell"), [{"inline": ["ok", "{{nope}}"]}], CORE, parse, strict=True)
    assert result.error == "invalid 'inline': template: root:1: function \"nope\" not defined in:\n\n{{nope}}"
    execute = _Failing("exec", 'template: root:1:2: executing "root" at <env>: error calling env: no')
    result = decode_component(spec("provisioner", "shell"), [{"inline": ["{{env}}"]}], CORE, execute, strict=True)
    assert result.error == (
        "render 'inline': template: root:1:2: executing \"root\" at <env>: error calling env: no in:\n\n{{env}}"
    )


def test_excluded_keys_are_parsed_but_not_executed() -> None:
    execute = _Failing("exec", "boom")
    result = decode_component(
        spec("provisioner", "shell"), [{"inline": ["x"], "execute_command": "{{.Path}}"}], CORE, execute, strict=True
    )
    assert result.error is None and result.config is not None
    assert result.config["execute_command"] == "{{.Path}}"


def test_amazon_asks_for_clean_resource_name() -> None:
    seen: list[frozenset[str]] = []

    def render(text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
        seen.append(extra_funcs)
        return text

    decode_component(spec("builder", "amazon-ebs"), [{"ami_name": "x"}], CORE, render, strict=True)
    assert seen and set(seen) == {frozenset({"clean_resource_name"})}
    seen.clear()
    decode_component(spec("provisioner", "shell"), [{"inline": ["x"]}], CORE, render, strict=True)
    assert seen and set(seen) == {frozenset()}


def test_nested_map_keys_are_rendered() -> None:
    def upper(text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
        return text.upper()

    result = decode_component(
        spec("post-processor", "manifest"), [{"custom_data": {"k": "v"}}], CORE, upper, strict=True
    )
    assert result.config is not None and result.config["custom_data"] == {"K": "V"}


def test_decoder_lifts_single_values_and_keeps_nil_apart_from_empty() -> None:
    decoder = Decoder()
    strings = Slice(Scalar("string"), "[]string")
    assert decoder.decode("x", 5, strings, None, ()) == (["5"], [])
    assert decoder.decode("x", {}, strings, ["keep"], ()) == ([], [])
    assert decoder.decode("x", [], strings, None, ()) == ([], [])
    assert decoder.decode("x", None, strings, None, ()) == (None, [])
    value, issues = decoder.decode("m", "text", Map(Scalar("string")), None, ("m",))
    assert value is None and [i.message for i in issues] == ["'m' expected a map, got 'string'"]
