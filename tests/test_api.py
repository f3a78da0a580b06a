"""``packer_py.api``: how ``GetConfig`` picks a loader (``config_type``, ``strict_1_6_6``) and the templates the
commands fall back to when given no TEMPLATE."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from packer_py.api import (
    HclDiagnosticsError,
    HclLoadedTemplate,
    LoadedTemplate,
    load_template,
    placeholder_template,
    variables_only_hcl_template,
)
from packer_py.console.hcl_console import run_piped

NULL_JSON = '{"builders": [{"type": "null", "communicator": "none"}]}'
NEWER_HCL = """packer {
  required_plugins {
    amazon = {
      version = ">= 1.0.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}
source "null" "a" {
  communicator = "none"
}
build {
  sources = ["null.a"]
}
"""


def test_the_path_picks_the_loader_unless_config_type_says_hcl2(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(NULL_JSON)
    assert isinstance(load_template(path), LoadedTemplate)
    assert isinstance(load_template(path, config_type="json"), LoadedTemplate)
    with pytest.raises(HclDiagnosticsError, match="Could not find any config file"):
        load_template(path, config_type="hcl2")  # Packer's HCL2 loader wants .pkr.hcl / .pkr.json files


def test_strict_1_6_6_off_accepts_the_newest_packer_blocks(tmp_path: Path) -> None:
    path = tmp_path / "t.pkr.hcl"
    path.write_text(NEWER_HCL)
    with pytest.raises(HclDiagnosticsError, match='Blocks of type "required_plugins" are not expected here'):
        load_template(str(path))
    assert isinstance(load_template(str(path), strict_1_6_6=False), HclLoadedTemplate)


def test_the_placeholder_is_packers_tiniest_builder_with_the_vars_given() -> None:
    tpl = placeholder_template({"x": "1"})
    assert [b.name for b in tpl.inspect().builders] == ["null"]
    assert tpl.validate().ok
    assert tpl.console(["{{ user `x` }}"]).stdout == "1\n"
    assert placeholder_template().variables == {}


def test_a_variables_only_hcl_config_has_no_sources_and_ignores_bad_var_files(tmp_path: Path) -> None:
    tpl = variables_only_hcl_template(vars={"a": "b"}, var_files=[str(tmp_path / "missing.pkrvars.hcl")])
    assert tpl.config.sources == {} and tpl.warnings == ""
    assert run_piped(tpl.config, io.StringIO("1 + 1\n")) == ([("say", "2")], 0)
