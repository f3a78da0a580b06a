"""The CLI's start-up path stays light: commands that only read templates import neither boto3 nor paramiko (nor
jsonschema, nor the HCL grammar unless they need it). Measured by the modules present after the command ran."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("boto3", "botocore", "paramiko", "moto", "hcl2", "lark", "yaml")

PROBE = """
import json, sys
from packer_py.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(args: list[str]) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=REPO, capture_output=True, text=True, timeout=60)
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES="))
    return set(json.loads(line[len("MODULES=") :]))


@pytest.mark.parametrize(
    "args",
    [
        ["version"],
        ["validate", "-syntax-only", "templates/httpd.json"],
        ["inspect", "templates/httpd.json"],
    ],
)
def test_light_commands_import_no_heavy_library(args: list[str]) -> None:
    loaded = modules_after(args)
    assert not [m for m in HEAVY if m in loaded]
    assert "jsonschema" not in loaded


def test_hcl_commands_use_our_parser_and_no_heavy_library(tmp_path: Path) -> None:
    (tmp_path / "a.pkr.hcl").write_text(
        'source "null" "a" {\n  communicator = "none"\n}\nbuild {\n  sources = ["null.a"]\n}\n'
    )  # noqa: E501
    for args in (
        ["fmt", "-check", str(tmp_path / "a.pkr.hcl")],
        ["validate", "-syntax-only", str(tmp_path)],
        ["inspect", str(tmp_path)],
    ):
        loaded = modules_after(args)
        assert "packer_py.interpolate.hcl.syntax" in loaded
        assert not [m for m in (*HEAVY, "jsonschema") if m in loaded], args
