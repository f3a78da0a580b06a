"""Record what real Packer 1.6.6 evaluates the upgrade's HCL2 translations to, for tests/translate/data.

The upgrade turns Go-template functions into HCL2 expressions: ``isotime "layout"`` into ``formatdate``,
``timestamp`` into day arithmetic, ``clean_resource_name`` into ``regex_replace``. This script writes those
expressions for fixed instants and inputs into a throwaway HCL2 file and asks the real ``packer console`` (HCL2 mode)
for their values, in one ``jsonencode`` per file. ``test_hcl2_upgrade_goldens.py`` then checks that the expressions
are still the ones the code writes and that Packer's values are what the JSON engine prints for the same input.

Usage (from the repository root)::

    python tests/translate/record_upgrade_goldens.py [--packer /usr/bin/packer]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from packer_py.translate.go_layout import (  # noqa: E402
    UntranslatableLayout,
    date_parts_expr,
    epoch_seconds_expr,
    layout_parts,
    strftime_parts,
)
from packer_py.translate.gotemplate_hcl import clean_resource_name_expr  # noqa: E402
from packer_py.translate.hclwrite import quote_literal, template_text  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "upgrade_goldens.json"

INSTANTS = [
    "1970-01-01T00:00:00Z",
    "1999-12-31T23:59:59Z",
    "2000-02-29T12:00:00Z",
    "2020-02-29T23:59:59Z",
    "2021-02-03T04:05:06Z",
    "2021-03-01T00:00:00Z",
    "2024-07-04T15:30:45Z",
    "2100-03-01T09:08:07Z",
]
LAYOUTS = [
    "2006-01-02T15:04:05Z07:00",
    "20060102150405",
    "20060102030405",
    "20060102-0304",
    "01-02-2006",
    "2006-01-02",
    "Mon Jan _2 15:04:05 UTC 2006",
    "Mon Jan _2 15:04:05 MST 2006",
    "Monday, 02-Jan-06 15:04:05 MST",
    "January 2, 2006 3:04 PM",
    "3:04pm",
    "Jan 2 '06",
    "2006-01-02 15:04:05 -0700",
    "2006-01-02T15:04:05-07:00",
    "2006-01-02T15:04:05Z0700",
    "15h04m05s",
    "Today is Monday",
    "x2006y",
    "2006.000",
    "06/1/2 3:4:5",
]
STRFTIMES = ["%Y-%m-%d %H:%M:%S", "%a %b %d %Y", "%A, %B %d %I:%M %p %Z %z", "%y%m%d %q %%"]
CLEAN_INPUTS = [
    "2021-02-03T04:05:06Z",
    "My AMI: build #42 (test) [x] ./-'@_",
    "UPPER lower 123 {braces} ~tilde* ",
    "trailing.dots_-.",
    "tab\there",
]
CLEAN_BUILDERS = ["amazon-ebs", "googlecompute", "azure-arm"]


def _template(parts: list[tuple[str, str]]) -> str:
    if len(parts) == 1 and parts[0][0] == "expr":
        return parts[0][1]
    return '"' + "".join(template_text(t) if k == "text" else "${" + t + "}" for k, t in parts) + '"'


def _console(packer: str, hcl: str, expr: str) -> str:
    work = tempfile.mkdtemp(prefix="upgrade-goldens.")
    try:
        Path(work, "t.pkr.hcl").write_text(
            hcl + '\nsource "null" "n" {\n  communicator = "none"\n}\n\nbuild {\n  sources = ["source.null.n"]\n}\n'
        )
        env = {"PATH": os.path.dirname(packer), "HOME": work, "CHECKPOINT_DISABLE": "1", "TZ": "UTC"}
        proc = subprocess.run(
            [packer, "console", "t.pkr.hcl"], input=expr + "\n", capture_output=True, text=True, cwd=work, env=env
        )
        if proc.returncode != 0:
            raise SystemExit(f"packer console failed: {proc.stdout}{proc.stderr}")
        return proc.stdout.strip()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packer", default=shutil.which("packer") or "/usr/bin/packer")
    args = parser.parse_args(argv)
    packer = os.path.realpath(args.packer)
    version = subprocess.run([packer, "version"], capture_output=True, text=True).stdout.splitlines()[0]

    layouts: list[dict[str, object]] = []
    for kind, items in (("isotime", LAYOUTS), ("strftime", STRFTIMES)):
        for layout in items:
            try:
                tr = (layout_parts if kind == "isotime" else strftime_parts)(layout, "local.t")
            except UntranslatableLayout:
                continue
            layouts.append({"kind": kind, "layout": layout, "expr": _template(tr.parts)})
    for instant in INSTANTS:
        hcl = f"locals {{\n  t = {quote_literal(instant)}\n}}\n"
        listing = "jsonencode([" + ", ".join(str(item["expr"]) for item in layouts) + "])"
        values = json.loads(_console(packer, hcl, listing))
        for item, value in zip(layouts, values, strict=True):
            item.setdefault("values", {})[instant] = value  # type: ignore[union-attr]

    timestamps: dict[str, str] = {}
    parts_expr, epoch_expr = date_parts_expr("local.t"), epoch_seconds_expr("local.parts")
    for instant in INSTANTS:
        hcl = f"locals {{\n  t = {quote_literal(instant)}\n  parts = {parts_expr}\n  timestamp = {epoch_expr}\n}}\n"
        timestamps[instant] = json.loads(_console(packer, hcl, "jsonencode(local.timestamp)"))

    cleans: list[dict[str, object]] = []
    for builder in CLEAN_BUILDERS:
        exprs = [clean_resource_name_expr(builder, quote_literal(s)) for s in CLEAN_INPUTS]
        values = json.loads(_console(packer, "", "jsonencode([" + ", ".join(map(str, exprs)) + "])"))
        for text, expr, value in zip(CLEAN_INPUTS, exprs, values, strict=True):
            cleans.append({"builder": builder, "input": text, "expr": expr, "value": value})

    data = {
        "packer": version,
        "recorded_by": "tests/translate/record_upgrade_goldens.py",
        "layouts": layouts,
        "timestamp": {"parts": parts_expr, "expr": epoch_expr, "values": timestamps},
        "clean_resource_name": cleans,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(REPO)}: {len(layouts)} layouts x {len(INSTANTS)} instants, {len(cleans)} cleans")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
