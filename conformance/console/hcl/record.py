#!/usr/bin/env python3
"""Record what the real Packer prints for each HCL2 console expression.

Usage (from the repository root)::

    python conformance/console/hcl/record.py [--packer /usr/bin/packer]

For every line of ``expressions.txt`` (blank lines and ``#`` comments skipped) this runs
``packer console -config-type=hcl2`` in ``fixtures/`` with the expression on stdin (one process per expression,
since only the last line's result is printed) and stores stdout and the exit code in ``golden.json``.

A line starting with ``~ `` is volatile (time or randomness): its golden keeps, besides the sample output, a
shape regex derived mechanically from it: every run of ``[0-9A-Za-z./+=]`` becomes a character class of that
length, everything else is matched literally.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPRESSIONS = HERE / "expressions.txt"
GOLDEN = HERE / "golden.json"
FIXTURES = HERE / "fixtures"
_RUN = re.compile(r"[0-9A-Za-z./+=]+")


def read_expressions(path: Path = EXPRESSIONS) -> list[tuple[str, bool]]:
    """(expression, volatile) pairs in file order."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("~ "):
            out.append((line[2:], True))
        else:
            out.append((line, False))
    return out


def shape_regex(sample: str) -> str:
    """The mechanical shape of a volatile output (see module docstring)."""
    parts = []
    last = 0
    for m in _RUN.finditer(sample):
        parts.append(re.escape(sample[last : m.start()]))
        parts.append(f"[0-9A-Za-z./+=]{{{len(m.group())}}}")
        last = m.end()
    parts.append(re.escape(sample[last:]))
    return "".join(parts)


def run_one(packer: str, expr: str) -> tuple[str, int]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(FIXTURES),
        "CHECKPOINT_DISABLE": "1",
        "PACKER_NO_COLOR": "1",
        "TZ": "UTC",
        "LANG": "C.UTF-8",
    }
    proc = subprocess.run(
        [packer, "console", "-config-type=hcl2"],
        input=expr + "\n",
        capture_output=True,
        text=True,
        cwd=FIXTURES,
        env=env,
        timeout=120,
        check=False,
    )
    return proc.stdout, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packer", default="/usr/bin/packer")
    args = parser.parse_args()
    version = subprocess.run([args.packer, "version"], capture_output=True, text=True, check=True).stdout.strip()
    exprs = read_expressions()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda e: run_one(args.packer, e[0]), exprs))
    cases = []
    for (expr, volatile), (stdout, code) in zip(exprs, results, strict=True):
        case: dict[str, object] = {"expr": expr, "stdout": stdout, "exit_code": code}
        if volatile:
            case["volatile"] = True
            case["stdout_regex"] = shape_regex(stdout)
        cases.append(case)
    doc = {
        "packer": version,
        "command": "packer console -config-type=hcl2 (cwd: fixtures/, expression on stdin)",
        "cases": cases,
    }
    GOLDEN.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {len(cases)} expressions with {version} into {GOLDEN.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
