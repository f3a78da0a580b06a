"""The HCL2 loader: Packer's Parse (validate -syntax-only), variable precedence, Initialize, model and inspect."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from packer_py.api import HclDiagnosticsError, load_hcl_template
from packer_py.interpolate.hcl.diagtext import render
from packer_py.template.hcl_loader import parse_hcl

DATA = Path(__file__).resolve().parent / "data" / "hcl"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for f in DATA.glob("*.pkr.hcl"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def test_folder_loads_into_the_model(folder: Path) -> None:
    tpl = load_hcl_template(str(folder), vars={"unset": "x"}, environ={})
    model = tpl.template()
    src = model.sources["amazon-ebs.web"]
    assert src.config["ami_name"] == "web-hello {{timestamp}}"
    assert src.config["source_ami_filter"] == {
        "filters": {"name": "ubuntu/*"},
        "owners": ["099720109477"],
        "most_recent": True,
    }
    assert src.config["launch_block_device_mappings"] == [{"device_name": "/dev/sda1", "volume_size": 42}]
    assert src.config["tags"] == {"Name": "web"}
    (build,) = model.builds
    assert build.name == "main" and [s.build_name for s in build.sources] == ["web"]
    assert build.provisioners[0].config == {"inline": ["echo hello, world\n"]}
    assert [[p.type for p in c] for c in build.post_processors] == [["manifest", "shell-local"]]
    assert model.positions.locate(("source", "amazon-ebs.web", "region")).line == 4


def test_inspect_prints_packer_hcl2_layout(folder: Path) -> None:
    text = load_hcl_template(str(folder), environ={}).inspect().text
    assert text.startswith("Packer Inspect: HCL2 mode\n\n> input-variables:\n\n")
    assert 'var.names: "[\\n  \\"a\\",\\n  \\"b\\",\\n  \\"c\\",\\n]"\n' in text
    assert 'var.unset: "<unknown>"\n' in text
    assert "  > main:\n\n  > Description: A build.\nTwo lines.\n" in text
    assert "    post-processors:\n\n      0:\n        manifest\n        shell-local\n" in text


def test_precedence_default_env_varfile_cli(folder: Path) -> None:
    (folder / "a.auto.pkrvars.hcl").write_text('str = "auto"\n')
    (folder / "given.hcl").write_text('str = "file"\nnum = 7\n')
    env = {"PKR_VAR_str": "env", "PKR_VAR_num": "1"}
    cfg, diags = parse_hcl(str(folder), [], {}, env)
    assert cfg is not None and cfg.variables["str"].value()[0].as_string() == "auto"
    cfg, diags = parse_hcl(str(folder), [str(folder / "given.hcl")], {"str": "cli"}, env)
    assert cfg is not None and not diags
    assert cfg.variables["str"].value()[0].as_string() == "cli"
    assert str(cfg.variables["num"].value()[0].as_bigfloat()) == "7"


def test_undeclared_variables(folder: Path) -> None:
    (folder / "extra.hcl").write_text('nope = "x"\n')
    cfg, diags = parse_hcl(str(folder), [str(folder / "extra.hcl")], {}, {"PKR_VAR_other": "ignored"})
    assert [(d.severity, d.summary) for d in diags] == [("warning", "Undefined variable")]
    with pytest.raises(HclDiagnosticsError) as exc:
        load_hcl_template(str(folder), vars={"nope": "x"}, environ={})
    assert str(exc.value).startswith('Error: Undefined -var variable\n\nA "nope" variable was passed')


def test_type_conversion_errors_name_the_constraint(folder: Path) -> None:
    with pytest.raises(HclDiagnosticsError) as exc:
        load_hcl_template(str(folder), vars={"names": "[1, [2]]"}, environ={})
    assert "Error: Invalid argument value for -var variable" in str(exc.value)
    assert "constraint: element 1: string required." in str(exc.value)


def test_unset_variable_is_reported_when_used(folder: Path) -> None:
    cfg, _ = parse_hcl(str(folder), environ={})
    assert cfg is not None
    diags = cfg.initialize()
    assert [d.summary for d in diags] == ['Unset variable "unset"']


def test_syntax_error_has_packer_layout(tmp_path: Path) -> None:
    (tmp_path / "bad.pkr.hcl").write_text('source "null" "x" {\n  a = \n}\n')
    with pytest.raises(HclDiagnosticsError) as exc:
        load_hcl_template(str(tmp_path / "bad.pkr.hcl"), environ={})
    assert str(exc.value) == (
        "Error: Invalid expression\n\n"
        f'  on {tmp_path}/bad.pkr.hcl line 2, in source "null" "x":\n'
        "   2:   a = \n   3: }\n\n"
        "Expected the start of an expression, but found an invalid expression token.\n\n"
    )


@pytest.mark.parametrize("strict", [True, False])
def test_newer_blocks_depend_on_the_1_6_6_switch(tmp_path: Path, strict: bool) -> None:
    (tmp_path / "t.pkr.hcl").write_text(
        'packer {\n  required_plugins {\n    amazon = { version = ">= 1" }\n  }\n}\n'
        'data "amazon-ami" "x" {\n  owners = ["self"]\n}\n'
    )
    cfg, diags = parse_hcl(str(tmp_path), environ={}, strict_1_6_6=strict)
    summaries = [d.summary for d in diags]
    if strict:
        assert summaries == ["Unsupported block type"] * 3
        assert 'Blocks of type "data" are not expected here.' in render(diags, cfg.files if cfg else {})
    else:
        assert summaries == []
        assert cfg is not None
        cfg.initialize()
        assert [(d.type, d.name) for d in cfg.data] == [("amazon-ami", "x")]


def test_required_version(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text('packer {\n  required_version = ">= 1.7.0"\n}\n')
    _, diags = parse_hcl(str(tmp_path), environ={})
    assert [d.summary for d in diags] == ["Unsupported Packer Core version"]
    (tmp_path / "t.pkr.hcl").write_text('packer {\n  required_version = "~> 1.6"\n}\n')
    _, diags = parse_hcl(str(tmp_path), environ={})
    assert diags == []


def test_validation_blocks(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text(
        'variable "size" {\n  type = number\n  default = 5\n  validation {\n'
        '    condition = var.size < 3\n    error_message = "Size must be small."\n  }\n}\n'
    )
    cfg, diags = parse_hcl(str(tmp_path), environ={})
    assert cfg is not None and not diags
    _, errs = cfg.variables["size"].value()
    assert [e.summary for e in errs] == ["Invalid value for default variable"]
    assert errs[0].detail.startswith("Size must be small.\n\nThis was checked by the validation rule at ")
