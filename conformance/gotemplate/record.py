#!/usr/bin/env python3
"""Record Go's own output for ``cases.json`` with the Go toolchain Packer 1.6.6 was built with (Go 1.19).

Usage: ``python conformance/gotemplate/record.py`` (needs Go 1.19: Debian ``golang-1.19-go``, or ``GO=...``).

``packer console`` can only show one-line templates without data; these cases cover what it cannot: multi-line
templates (line numbers, ``in action started at``), data values (maps, lists, nil), and ``isotime`` layouts at
fixed instants. ``recorder/main.go`` runs Go's ``text/template`` with stand-ins that have the signatures of
Packer's functions; ``golden.json`` keeps each case with Go's output or error text, unedited.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def go_binary() -> str:
    for candidate in (os.environ.get("GO"), "/usr/lib/go-1.19/bin/go", shutil.which("go")):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("Go 1.19 not found (apt-get install golang-1.19-go, or set GO=...)")


def main() -> None:
    go = go_binary()
    version = subprocess.run([go, "version"], capture_output=True, text=True, check=True).stdout.strip()
    spec = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
    cases = [{**spec["defaults"], **case} for case in spec["cases"]]
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"}
    result = subprocess.run(
        [go, "run", "."],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=HERE / "recorder",
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    outputs = json.loads(result.stdout)
    golden = {"go_version": version, "cases": [{**c, **o} for c, o in zip(cases, outputs, strict=True)]}
    (HERE / "golden.json").write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {len(cases)} cases with {version}")


if __name__ == "__main__":
    main()
