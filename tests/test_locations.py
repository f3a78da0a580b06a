"""A JSON template's configuration errors name their file, line and column after Packer's text.

Packer 1.6.6 reports ``unknown configuration key: '"bogus"'`` or a failed type conversion without saying where the
key sits; packer-py prints Packer's text unchanged and then one ``FILE:LINE:COL: CODE message`` line per located
finding. ``PACKER_PY_LOCATIONS=0`` gives Packer's text alone (the goldens compare that)."""

from __future__ import annotations

import json
from pathlib import Path

from packer_py.diagnostics import Diagnostic, locations_wanted, render_locations
from packer_py.findings import Finding
from tests.conftest import run_cli

TEMPLATE = """{
  "builders": [
    {
      "type": "amazon-ebs",
      "region": "us-east-1",
      "source_ami": "ami-12345678",
      "instance_type": "t2.micro",
      "ssh_username": "ec2-user",
      "ami_name": "located {{timestamp}}",
      "bogus": true
    }
  ]
}
"""

ON = {"PACKER_PY_LOCATIONS": "1"}
OFF = {"PACKER_PY_LOCATIONS": "0"}


def _write(tmp_path: Path, text: str, name: str = "t.json") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_unknown_key_is_located_after_packers_text(tmp_path: Path) -> None:
    _write(tmp_path, TEMPLATE)
    packer_text = run_cli(["validate", "t.json"], cwd=tmp_path, env=OFF)
    located = run_cli(["validate", "t.json"], cwd=tmp_path, env=ON)
    assert packer_text.returncode == located.returncode == 1
    assert "unknown configuration key: '\"bogus\"'" in packer_text.stdout
    assert "t.json:" not in packer_text.stdout
    assert located.stdout.startswith(packer_text.stdout)
    extra = located.stdout[len(packer_text.stdout) :].strip().splitlines()
    assert extra == ["t.json:10:7: E100 unknown configuration key: '\"bogus\"'"]
    assert "Traceback" not in located.stdout


def test_wrong_type_names_the_line_of_its_key(tmp_path: Path) -> None:
    config = json.loads(TEMPLATE)
    del config["builders"][0]["bogus"]
    config["builders"][0]["ssh_port"] = "twenty-two"
    text = json.dumps(config, indent=2)
    _write(tmp_path, text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"ssh_port"' in row)
    out = run_cli(["validate", "t.json"], cwd=tmp_path, env=ON)
    assert out.returncode == 1
    assert f"t.json:{line}:7: " in out.stdout  # json.dumps(indent=2): the key is 6 spaces in
    assert "cannot parse 'ssh_port' as int" in out.stdout.strip().splitlines()[-1]


def test_build_reports_the_same_location_and_calls_nothing(tmp_path: Path) -> None:
    _write(tmp_path, TEMPLATE)
    out = run_cli(["build", "t.json"], cwd=tmp_path, env=ON)
    assert out.returncode == 1
    assert "t.json:10:7: E100 unknown configuration key: '\"bogus\"'" in out.stdout
    assert "==> amazon-ebs:" not in out.stdout  # prepare failed: no step ran, no AWS call


def test_a_valid_template_and_hcl2_get_no_extra_lines(tmp_path: Path) -> None:
    config = json.loads(TEMPLATE)
    del config["builders"][0]["bogus"]
    _write(tmp_path, json.dumps(config))
    assert run_cli(["validate", "t.json"], cwd=tmp_path, env=ON).stdout == ""
    hcl = 'source "amazon-ebs" "x" {\n  bogus = true\n}\nbuild {\n  sources = ["source.amazon-ebs.x"]\n}\n'
    _write(tmp_path, hcl, "t.pkr.hcl")
    on = run_cli(["validate", "t.pkr.hcl"], cwd=tmp_path, env=ON)
    off = run_cli(["validate", "t.pkr.hcl"], cwd=tmp_path, env=OFF)
    assert on.returncode == off.returncode == 1
    assert on.stdout == off.stdout and "on t.pkr.hcl line 2" in on.stdout  # HCL2 errors are located by Packer


def test_render_locations_relative_paths_and_one_line_messages(tmp_path: Path) -> None:
    inside = Finding(str(tmp_path / "a" / "t.json"), 3, 9, "E801", "An ssh_username must be specified\n  Note: x")
    outside = Finding("/elsewhere/t.json", 1, 2, "E100", "unknown configuration key: '\"k\"'")
    diag = Diagnostic("error", "Failed to prepare build", "detail", locations=(inside, outside))
    assert render_locations([diag], tmp_path) == (
        "a/t.json:3:9: E801 An ssh_username must be specified Note: x\n"
        "/elsewhere/t.json:1:2: E100 unknown configuration key: '\"k\"'\n"
    )
    assert render_locations([Diagnostic("error", "no place")], tmp_path) == ""
    assert locations_wanted({}) and locations_wanted({"PACKER_PY_LOCATIONS": "1"})
    assert not locations_wanted({"PACKER_PY_LOCATIONS": "0"})


def test_an_unset_required_variable_is_located_at_its_declaration(tmp_path: Path) -> None:
    _write(tmp_path, '{\n  "variables": {\n    "region": null\n  },\n  "builders": [{"type": "null"}]\n}\n')
    packer_text = run_cli(["validate", "t.json"], cwd=tmp_path, env=OFF)
    located = run_cli(["validate", "t.json"], cwd=tmp_path, env=ON)
    assert packer_text.returncode == located.returncode == 1
    assert "required variable not set: region" in packer_text.stdout and "t.json:" not in packer_text.stdout
    assert located.stdout.startswith(packer_text.stdout)
    assert located.stdout[len(packer_text.stdout) :].strip() == "t.json:3:5: E001 required variable not set: region"
    given = run_cli(["validate", "-var", "region=x", "t.json"], cwd=tmp_path, env=ON)
    assert "required variable" not in given.stdout


def test_template_structure_errors_are_located_entry_by_entry(tmp_path: Path) -> None:
    text = (
        '{\n  "builderz": [],\n  "builders": [{"type": "null"}]\n}\n',
        '{\n  "builders": [\n    {"name": "x"}\n  ],\n  "provisioners": [{"inline": ["a"]}]\n}\n',
    )
    _write(tmp_path, text[0], "root.json")
    _write(tmp_path, text[1], "entries.json")
    for name, expected in (
        ("root.json", ["root.json:2:3: E010 Unknown root level key in template: 'builderz'"]),
        (
            "entries.json",
            [
                "entries.json:3:5: E011 builder 1: missing 'type'",
                "entries.json:5:20: E011 provisioner 1: Provisioner missing 'type'",
            ],
        ),
    ):
        for command in ("validate", "inspect"):
            packer_text = run_cli([command, name], cwd=tmp_path, env=OFF)
            located = run_cli([command, name], cwd=tmp_path, env=ON)
            assert packer_text.returncode == located.returncode == 1
            assert packer_text.stdout.startswith("Failed to parse template: ") and f"{name}:" not in packer_text.stdout
            assert located.stdout.startswith(packer_text.stdout)
            assert located.stdout[len(packer_text.stdout) :].strip().splitlines() == expected
