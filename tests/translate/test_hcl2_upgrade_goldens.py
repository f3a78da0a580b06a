"""The upgrade's HCL2 translations of Go-template functions, evaluated by real Packer 1.6.6 (recorded by
``record_upgrade_goldens.py``), print what the JSON engine prints for the same input.

Each golden holds the expression the code wrote when it was recorded: if the code now writes another, the golden is
stale and must be recorded again (the test says so rather than comparing values of a different expression).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from packer_py.gotime import TimeFields
from packer_py.interpolate.gotemplate.functions import clean_resource_name
from packer_py.translate.go_layout import date_parts_expr, epoch_seconds_expr, layout_parts, strftime_parts
from packer_py.translate.gotemplate_hcl import clean_resource_name_expr
from packer_py.translate.hclwrite import quote_literal, template_text
from tests.translate.upgrade_helpers import hcl_eval

GOLDENS = json.loads((Path(__file__).resolve().parent / "data" / "upgrade_goldens.json").read_text())
STALE = "the code writes another expression now: run tests/translate/record_upgrade_goldens.py"


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _template(parts: list[tuple[str, str]]) -> str:
    if len(parts) == 1 and parts[0][0] == "expr":
        return parts[0][1]
    return '"' + "".join(template_text(t) if k == "text" else "${" + t + "}" for k, t in parts) + '"'


def test_goldens_come_from_packer_1_6_6() -> None:
    assert GOLDENS["packer"] == "Packer v1.6.6"


@pytest.mark.parametrize("item", GOLDENS["layouts"], ids=lambda i: f"{i['kind']}:{i['layout']}")
def test_layout_translation_prints_what_go_prints(item: dict[str, object]) -> None:
    layout = str(item["layout"])
    translate = layout_parts if item["kind"] == "isotime" else strftime_parts
    assert _template(translate(layout, "local.t").parts) == item["expr"], STALE
    for instant, packer_value in item["values"].items():  # type: ignore[attr-defined]
        moment = _instant(instant)
        fields = TimeFields.utc(moment)
        expected = fields.format(layout) if item["kind"] == "isotime" else fields.strftime(layout)
        assert packer_value == expected, (layout, instant)
        assert hcl_eval(str(item["expr"]), {"local": {"t": instant}}) == expected  # packer-py's evaluator agrees


def test_timestamp_is_unix_seconds_as_json_prints_them() -> None:
    golden = GOLDENS["timestamp"]
    assert golden["parts"] == date_parts_expr("local.t") and golden["expr"] == epoch_seconds_expr("local.parts"), STALE
    for instant, packer_value in golden["values"].items():
        assert packer_value == str(int(_instant(instant).timestamp()))


def _google_clean(s: str) -> str:
    """googlecompute's templateCleanImageName (Packer 1.6.6)."""
    if re.fullmatch(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?", s):
        return s
    return "".join(c if c.isascii() and (c.isdigit() or "a" <= c <= "z") else "-" for c in s.lower())


def _azure_clean(s: str) -> str:
    """azure's templateCleanImageName (Packer 1.6.6): invalid bytes become ``-``, then ``-_.`` trimmed on the right."""
    out = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in s)
    return out.rstrip("-_.")


@pytest.mark.parametrize("item", GOLDENS["clean_resource_name"], ids=lambda i: f"{i['builder']}:{i['input']}")
def test_clean_resource_name_follows_the_builders_rule(item: dict[str, str]) -> None:
    assert clean_resource_name_expr(item["builder"], quote_literal(item["input"])) == item["expr"], STALE
    rule = {"amazon-ebs": clean_resource_name, "googlecompute": _google_clean, "azure-arm": _azure_clean}
    assert item["value"] == rule[item["builder"]](item["input"])
    assert hcl_eval(item["expr"]) == item["value"]
