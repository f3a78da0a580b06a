"""Record HCL2 ``packer console`` goldens from the real Packer 1.6.6.

Usage: ``python conformance/console/hcl-expr/record.py [PACKER]`` (default ``packer`` on PATH). Each expression of
``expressions.txt`` is piped, alone, into ``packer console fixture`` run from a scratch copy of this folder with a
minimal environment (as the corpus is recorded); stdout and stderr are recorded together with the exit status in
``goldens.json``. Nothing is typed by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def expressions() -> list[str]:
    lines = (HERE / "expressions.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def main() -> int:
    packer = shutil.which(sys.argv[1] if len(sys.argv) > 1 else "packer")
    if packer is None:
        print("packer not found", file=sys.stderr)
        return 2
    version = subprocess.run([packer, "version"], capture_output=True, text=True).stdout.splitlines()[0]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(HERE / "fixture", Path(tmp) / "fixture")
        env = {"PATH": os.path.dirname(packer), "HOME": tmp, "CHECKPOINT_DISABLE": "1", "TZ": "UTC", "LANG": "C.UTF-8"}
        for expr in expressions():
            proc = subprocess.run(
                [packer, "console", "fixture"],
                input=expr + "\n",
                cwd=tmp,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=60,
            )
            out.append({"expr": expr, "output": proc.stdout.replace(tmp, "<TMP>"), "rc": proc.returncode})
    (HERE / "goldens.json").write_text(
        json.dumps({"packer": version, "cases": out}, indent=1, ensure_ascii=False) + "\n"
    )
    print(f"recorded {len(out)} expressions with {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
