"""Side-by-side: ``packer-py validate`` vs ``packer validate`` on the seed templates, in one run.

    python bench/validate.py [-n RUNS]

Times whole processes (the installed console script itself, not a pyenv shim) and prints the median wall time of
each tool per template and the ratio packer-py / Packer. Needs Packer 1.6.6 on PATH (``apt-get install packer``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sysconfig
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = ["templates/httpd.json", "templates/jenkins.json"]


def real_script(name: str) -> str:
    """The console script in the interpreter's own bin directory (a pyenv shim adds ~0.07 s per start)."""
    candidate = Path(sysconfig.get_path("scripts")) / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: pip install -e . first")
    return found


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", "--runs", type=int, default=15)
    parser.add_argument("--syntax-only", action="store_true")
    args = parser.parse_args()
    packer = shutil.which("packer")
    if not packer:
        raise SystemExit("packer not found: apt-get install -y packer")
    ours = real_script("packer-py")
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "CHECKPOINT_DISABLE": "1"}
    mode = ["-syntax-only"] if args.syntax_only else []
    print(f"{'template':28} {'packer (s)':>11} {'packer-py (s)':>14} {'ratio':>7}  verdicts")
    for template in TEMPLATES:
        theirs_t, ours_t, rcs = [], [], set()
        for _ in range(args.runs):  # interleaved, so drift affects both equally
            t, rc1 = timed([packer, "validate", *mode, template], REPO, env)
            theirs_t.append(t)
            t, rc2 = timed([ours, "validate", *mode, template], REPO, env)
            ours_t.append(t)
            rcs.add((rc1, rc2))
        a, b = statistics.median(theirs_t), statistics.median(ours_t)
        print(f"{template:28} {a:11.3f} {b:14.3f} {b / a:7.2f}  rc packer/packer-py: {sorted(rcs)}")


if __name__ == "__main__":
    main()
