"""HCL2 full validate: component specs, hcldec decoding, -only/-except globs, GetBuilds and the prepared builds.

The exact texts Packer prints are held by the recorded conformance cases (``conformance/cases/hcl-*``); these tests
pin the pieces and the prepared builds that ``build`` consumes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from packer_py.api import HclLoadedTemplate, load_hcl_template
from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl.evaluator import EvalContext
from packer_py.interpolate.hcl.types import BOOL, NUMBER, STRING, ListType, MapType
from packer_py.schema.hcl2spec import AttrSpec, BlockSpec, hcl2_spec
from packer_py.template.globs import GlobError, compile_glob
from packer_py.template.hcl_builds import go_sources_map
from packer_py.template.hcldec import UNKNOWN_VALUE_ERROR, ConfigValueError, decode, diagnostics_error, to_plain

NULL_A = 'source "null" "a" {\n  communicator = "none"\n}\n'


def load(tmp_path: Path, text: str, **kw: object) -> HclLoadedTemplate:
    (tmp_path / "t.pkr.hcl").write_text(text)
    return load_hcl_template(str(tmp_path / "t.pkr.hcl"), environ={}, **kw)  # type: ignore[arg-type]


def body(text: str) -> s.Body:
    parsed, diags = s.parse_config(text, "t.pkr.hcl")
    assert not diags
    return parsed


# -- specs ------------------------------------------------------------------------------------------------------


def test_amazon_ebs_spec_has_packers_generated_shapes() -> None:
    spec = {item.name: item for item in hcl2_spec("builder", "amazon-ebs").items}
    assert spec["ami_regions"] == AttrSpec("ami_regions", ListType(STRING))
    assert spec["tags"] == AttrSpec("tags", MapType(STRING))
    assert spec["ssh_port"] == AttrSpec("ssh_port", NUMBER, "int")
    assert spec["encrypt_boot"].type == BOOL  # type: ignore[union-attr]  # a config.Trilean
    assert spec["ssh_timeout"].type == STRING  # type: ignore[union-attr]  # a time.Duration
    filt = spec["source_ami_filter"]
    assert isinstance(filt, BlockSpec) and not filt.many
    assert {i.name for i in filt.nested.items} == {"filters", "filter", "owners", "most_recent"}
    mappings = spec["launch_block_device_mappings"]
    assert isinstance(mappings, BlockSpec) and mappings.many
    assert "packer_build_name" in spec and "packer_user_variables" in spec


def test_newer_options_are_only_in_the_newest_spec() -> None:
    strict = {i.name for i in hcl2_spec("builder", "amazon-ebs").items}
    newest = {i.name for i in hcl2_spec("builder", "amazon-ebs", strict=False).items}
    assert "metadata_options" not in strict and "metadata_options" in newest


# -- hcldec -----------------------------------------------------------------------------------------------------


def test_decode_fills_every_spec_item() -> None:
    spec = hcl2_spec("builder", "null")
    val, diags = decode([body('communicator = "none"\nssh_port = "22"\n')], spec, EvalContext())
    assert not diags
    plain = to_plain(val, spec)
    assert plain["communicator"] == "none" and plain["ssh_port"] == 22 and plain["ssh_host"] is None


def test_decode_reports_content_then_type_errors() -> None:
    spec = hcl2_spec("builder", "amazon-ebs")
    src = 'ami_regions = "x"\nami_nme = "y"\naws_polling {\n}\naws_polling {\n}\n'
    _, diags = decode([body(src)], spec, EvalContext())
    assert [(d.summary, d.subject.start.line if d.subject else 0) for d in diags] == [
        ("Unsupported argument", 2),
        ("Incorrect attribute value type", 1),
        ("Duplicate aws_polling block", 5),
    ]
    assert diags[0].detail == 'An argument named "ami_nme" is not expected here. Did you mean "ami_name"?'
    assert diags[1].detail == 'Inappropriate value for attribute "ami_regions": list of string required.'
    assert diags[2].detail.endswith("Previous definition was at t.pkr.hcl:3,1-12.")


def test_merged_bodies_report_an_argument_set_twice() -> None:
    spec = hcl2_spec("builder", "null")
    first, second = body('communicator = "none"\n'), body('\n\ncommunicator = "ssh"\n')
    _, diags = decode([first, second], spec, EvalContext())
    assert [(d.summary, d.detail) for d in diags] == [
        ("Duplicate argument", 'Argument "communicator" was already set at t.pkr.hcl:1,1-13')
    ]


def test_empty_block_list_is_an_empty_list_and_missing_block_is_null() -> None:
    spec = hcl2_spec("builder", "amazon-ebs")
    val, _ = decode([body("")], spec, EvalContext())
    plain = to_plain(val, spec)
    assert plain["launch_block_device_mappings"] == [] and plain["source_ami_filter"] is None


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("ssh_port = 22.5", "[{{} ssh_port}]"),
        ("aws_polling {\n  max_attempts = 1e30\n}", "[{{} aws_polling} {{} max_attempts}]"),
        (
            "launch_block_device_mappings {\n  volume_size = 0.5\n}",
            "[{{} launch_block_device_mappings} {{} {{{{} 78}} 0xc000010000}} {{} volume_size}]",
        ),
    ],
)
def test_numbers_must_fit_their_go_integer(src: str, message: str) -> None:
    spec = hcl2_spec("builder", "amazon-ebs")
    val, diags = decode([body(src)], spec, EvalContext())
    assert not diags
    with pytest.raises(ConfigValueError) as exc:
        to_plain(val, spec)
    assert str(exc.value) == (
        f"value must be a whole number, between -9223372036854775808 and 9223372036854775807: {message}"
    )


def test_unknown_values_fail_as_packers_rpc_does() -> None:
    from packer_py.interpolate.hcl.values import object_val, unknown_val

    spec = hcl2_spec("builder", "null")
    ctx = EvalContext({"source": object_val({"name": unknown_val(STRING)})})
    val, diags = decode([body("communicator = source.name\n")], spec, ctx)
    assert not diags
    with pytest.raises(ConfigValueError, match="^" + UNKNOWN_VALUE_ERROR + "$"):
        to_plain(val, spec)


def test_diagnostics_error_is_hcls_text() -> None:
    rng = s.Range("t.pkr.hcl", s.SrcPos(3, 5, 20), s.SrcPos(3, 8, 23))
    one = s.HclDiagnostic("error", "Unsupported argument", 'An argument named "foo" is not expected here.', rng)
    assert diagnostics_error([one]) == (
        't.pkr.hcl:3,5-8: Unsupported argument; An argument named "foo" is not expected here.'
    )
    assert diagnostics_error([one, one]).endswith("here., and 1 other diagnostic(s)")


# -- globs ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("*.a", "null.a", True),
        ("*", "bb.null.a", True),
        ("null.?", "null.ab", False),
        ("null.[a-c]", "null.b", True),
        ("null.[!a-c]", "null.b", False),
        ("null.[xb]", "null.b", True),
        ("{null.a", "null.a", True),
        ("{null.a}", "null.a", True),
        ("a\\*", "a*", True),
        ("a\\*", "ab", False),
        ("null.a", "bb.null.a", False),
        ("x}", "x}", True),
    ],
)
def test_gobwas_globs(pattern: str, name: str, matches: bool) -> None:
    assert bool(compile_glob(pattern).fullmatch(name)) is matches


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("[a", "unexpected end of input"),
        ("[]", "could not parse range"),
        ("[!]", "could not parse range"),
        ("[z-a]", "hi character 'a' should be greater than lo 'z'"),
        ("[a-bc]", "expected close range character"),
    ],
)
def test_gobwas_glob_errors(pattern: str, message: str) -> None:
    with pytest.raises(GlobError, match="^" + message.replace("[", "\\[") + "$"):
        compile_glob(pattern)


# -- GetBuilds --------------------------------------------------------------------------------------------------


def test_known_sources_dump_is_sorted_like_gos_map_printing(tmp_path: Path) -> None:
    tpl = load(tmp_path, NULL_A + 'source "amazon-ebs" "z" {\n}\nsource "null" "B" {\n}\n')
    tpl.initialize()
    dump = go_sources_map(tpl.config.sources)
    assert dump.startswith("map[amazon-ebs.z:{amazon-ebs z 0xc")
    assert dump.index("null.B:{null B 0xc") < dump.index("null.a:{null a 0xc")
    assert dump.endswith(" <nil> }]")


def test_validate_prints_no_source_lines(tmp_path: Path) -> None:
    result = load(tmp_path, NULL_A + NULL_A + 'build {\n  sources = ["source.null.a"]\n}\n').validate()
    assert not result.ok
    assert result.render().startswith("Error: Duplicate source block\n\n  on ")
    assert "line 4:\n  (source code not available)\n\nThis source block" in result.render()


def test_builds_are_named_as_packer_names_them(tmp_path: Path) -> None:
    text = (
        NULL_A
        + 'build {\n  sources = ["source.null.a"]\n}\n'
        + 'build {\n  name = "bb"\n  source "source.null.a" {\n    name = "renamed"\n  }\n}\n'
    )
    result = load(tmp_path, text).validate()
    assert result.ok, result.render()
    assert [b.name for b in result.builds] == ["null.a", "bb.null.renamed"]
    assert [b.components.packer_build_name for b in result.builds] == ["a", "a"]
    assert result.builds[1].builder_config["packer_build_name"] == "a"


@pytest.mark.parametrize(
    ("only", "except_", "names"),
    [
        (["*.a"], [], ["null.a"]),
        (["bb.*"], [], ["bb.null.b"]),
        ([], ["*.b"], ["null.a"]),
        (["null.b"], [], []),
    ],
)
def test_only_and_except_are_globs_on_build_names(
    tmp_path: Path, only: list[str], except_: list[str], names: list[str]
) -> None:
    text = (
        NULL_A
        + 'source "null" "b" {\n  communicator = "none"\n}\n'
        + 'build {\n  sources = ["source.null.a"]\n}\n'
        + 'build {\n  name = "bb"\n  sources = ["source.null.b"]\n}\n'
    )
    result = load(tmp_path, text).validate(only=only, except_=except_)
    assert result.ok and [b.name for b in result.builds] == names


def test_provisioners_apply_by_only_except_and_take_their_override(tmp_path: Path) -> None:
    text = (
        NULL_A
        + 'source "null" "b" {\n  communicator = "none"\n}\n'
        + 'build {\n  sources = ["source.null.a", "source.null.b"]\n'
        + '  provisioner "shell-local" {\n    only = ["null.b"]\n    inline = ["only b"]\n  }\n'
        + '  provisioner "shell-local" {\n    inline = ["${source.name} ${build.ID}"]\n'
        + '    override = {\n      a = {\n        inline = ["overridden"]\n      }\n    }\n  }\n}\n'
    )
    result = load(tmp_path, text).validate()
    assert result.ok, result.render()
    a, b = result.builds
    assert [p["inline"] for p in a.provisioner_configs] == [["overridden"]]
    assert [p["inline"] for p in b.provisioner_configs] == [["only b"], ["b <unknown>"]]
    assert [p.only for p in b.components.provisioners] == [["null.b"], []]
    # the model holds what the blocks set (hcldec's nulls and empty block lists left out), before the override
    assert b.components.source.config == {"communicator": "none"}
    assert a.components.provisioners[0].config == {"inline": ["a <unknown>"]}


def test_hooks_prepare_again_with_the_builds_data(tmp_path: Path) -> None:
    text = (
        NULL_A
        + 'build {\n  name = "bb"\n  sources = ["source.null.a"]\n'
        + '  provisioner "shell-local" {\n    inline = ["${build.ID} ${build.Host} ${build.name}"]\n  }\n'
        + '  post-processor "shell-local" {\n    inline = ["${build.ID}"]\n  }\n}\n'
    )
    (prepared,) = load(tmp_path, text).validate().builds
    assert prepared.provisioner_configs[0]["inline"] == ["<unknown> <unknown> bb"]
    (hook,) = prepared.provisioner_hooks
    assert hook({"ID": "i-123", "Port": 22})["inline"] == ["i-123 <unknown> bb"]
    ((pp_hook,),) = prepared.post_processor_hooks
    assert pp_hook({"ID": "i-123"})["inline"] == ["i-123"]
    from packer_py.errors import PackerPyError

    with pytest.raises(PackerPyError, match='attribute named "ID"'):
        pp_hook({})


def test_except_names_a_post_processor_and_drops_the_rest_of_its_chain(tmp_path: Path) -> None:
    text = (
        NULL_A
        + 'build {\n  sources = ["source.null.a"]\n  post-processors {\n'
        + '    post-processor "manifest" {\n    }\n'
        + '    post-processor "manifest" {\n      name = "drop"\n    }\n'
        + '    post-processor "shell-local" {\n    }\n  }\n'
        + '  post-processor "manifest" {\n  }\n}\n'
    )
    (prepared,) = load(tmp_path, text).validate(except_=["drop"]).builds
    assert [[p.type for p in chain] for chain in prepared.components.post_processors] == [["manifest"], ["manifest"]]


def test_a_failing_provisioner_skips_post_processors(tmp_path: Path) -> None:
    text = (
        NULL_A
        + 'build {\n  sources = ["source.null.a"]\n'
        + '  provisioner "shell-local" {\n  }\n  post-processor "shell-local" {\n  }\n}\n'
    )
    result = load(tmp_path, text).validate()
    assert [d.summary for d in result.diagnostics] == ['Failed preparing provisioner-block "shell-local" ""']
    assert result.builds == []


def test_components_packer_py_lacks_are_reported_not_skipped(tmp_path: Path) -> None:
    text = 'source "docker" "d" {\n}\nbuild {\n  sources = ["source.docker.d"]\n}\n'
    (diag,) = load(tmp_path, text).validate().diagnostics
    assert diag.summary == "Failed to load source type"
    assert "not supported by packer-py" in diag.detail
