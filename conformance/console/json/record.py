#!/usr/bin/env python3
"""Record what Packer 1.6.6 prints for each line of ``expressions.txt`` in ``packer console console.json``.

Usage: ``python conformance/console/json/record.py`` (needs the real ``packer`` 1.6.6 on PATH, or ``PACKER=...``).

Each expression is piped, alone, into a fresh ``packer console console.json`` run in this folder, with an empty
environment apart from a minimal PATH, ``TZ=UTC``, ``CHECKPOINT_DISABLE=1`` and ``CONSOLE_HOME`` (read by the
template's ``env`` default). ``golden.json`` keeps stdout and the exit status, unedited.

Outputs that change from run to run are compared by *shape*, a regular expression derived here mechanically
from the recorded output: for expressions that call a clock or random function, every digit run becomes ``\\d+``
(month and day names become a choice of all names, ``uuid`` hex runs ``[0-9a-f]+``); this folder's absolute path
(``pwd``, ``template_dir``) becomes ``<CONSOLE_DIR>``, in the shape and in the recorded stdout. ``variables`` is
printed in Go map order, which is random, so its lines are compared in any order. Error outputs are stable and
never get a shape.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENVIRONMENT = {"TZ": "UTC", "CHECKPOINT_DISABLE": "1", "CONSOLE_HOME": "/home/console"}
CLOCK_FUNCTIONS = ("timestamp", "isotime", "strftime", "uuid")
DIR_FUNCTIONS = ("pwd", "template_dir")
NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|AM|PM|am|pm"
)


def packer_binary() -> str:
    found = os.environ.get("PACKER") or shutil.which("packer")
    if not found:
        raise SystemExit("packer not found (set PACKER=/path/to/packer)")
    return found


def run(packer: str, expression: str) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": os.path.dirname(packer), **ENVIRONMENT}
    return subprocess.run(
        [packer, "console", "console.json"],
        input=(expression + "\n").encode(),
        capture_output=True,
        env=env,
        cwd=HERE,
        check=False,
    )


def _clock_shape(text: str, hexadecimal: bool) -> str:
    pattern = r"[0-9a-f]+" if hexadecimal else r"[0-9]+"
    pieces = []
    names = f"(?<![A-Za-z])(?:{NAMES})(?![a-z])"
    for token in re.split(f"({pattern}|{names})", text):
        if not token:
            continue
        if re.fullmatch(pattern, token):
            pieces.append(r"[0-9a-f]+" if hexadecimal else r"\d+")
        elif re.fullmatch(NAMES, token):
            pieces.append(f"(?:{NAMES})")
        else:
            pieces.append(re.escape(token))
    return "".join(pieces)


def shape(expression: str, stdout: str) -> str | None:
    """A regex matching every output the expression can have, or None when the output is stable."""
    uses_clock = any(name in expression for name in CLOCK_FUNCTIONS)
    uses_dir = any(name in expression for name in DIR_FUNCTIONS)
    if not (uses_clock or uses_dir) or stdout.startswith("???????"):
        return None
    parts = stdout.split(str(HERE)) if uses_dir else [stdout]
    if uses_clock:
        parts = [_clock_shape(p, hexadecimal="uuid" in expression) for p in parts]
    else:
        parts = [re.escape(p) for p in parts]
    return "<CONSOLE_DIR>".join(parts)


def main() -> None:
    packer = packer_binary()
    version = subprocess.run([packer, "version"], capture_output=True, text=True, check=True).stdout.strip()
    expressions = (HERE / "expressions.txt").read_text(encoding="utf-8").splitlines()
    cases = []
    for expression in expressions:
        if not expression:
            continue
        result = run(packer, expression)
        stdout = result.stdout.decode("utf-8", "surrogateescape")
        pattern = shape(expression, stdout)
        stdout = stdout.replace(str(HERE), "<CONSOLE_DIR>")  # no machine-specific path in the golden file
        case: dict[str, object] = {"expression": expression, "stdout": stdout, "exit_code": result.returncode}
        if pattern is not None:
            case["shape"] = pattern
        if expression == "variables":
            case["any_line_order"] = True
        cases.append(case)
    golden = {
        "packer_version": version,
        "command": "packer console console.json  (one run per expression, expression piped on stdin)",
        "environment": {"PATH": "<directory of packer>", **ENVIRONMENT},
        "cases": cases,
    }
    text = json.dumps(golden, indent=2, ensure_ascii=False) + "\n"
    (HERE / "golden.json").write_text(text, encoding="utf-8", errors="surrogateescape")
    print(f"recorded {len(cases)} expressions with {version}")


if __name__ == "__main__":
    main()
