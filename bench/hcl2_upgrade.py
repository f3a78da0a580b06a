"""Side-by-side: ``packer-py hcl2_upgrade -recursive`` over the whole corpus in one process, vs ``packer
hcl2_upgrade`` run once per JSON template (what a team does with Packer today).

    PACKER_PY_CORPUS=../shared/conformance-corpus python bench/hcl2_upgrade.py [-n RUNS]

Each run copies the corpus's JSON cases to a scratch folder (the corpus is never written to), then times, interleaved:
Packer over every template (one process each, ``-output-file`` beside the template), and packer-py's batch mode over
the folder (one process). Prints the median wall time of each and the ratio Packer / packer-py. Needs Packer 1.6.6 on
PATH; packer-py runs from this checkout (``python -m packer_py``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from conformance.runner import CORPUS, load_cases  # noqa: E402


def scratch_copy() -> tuple[Path, list[Path]]:
    """The JSON cases in a fresh folder, and each case's template path in it."""
    root = Path(tempfile.mkdtemp(prefix="upgrade-bench."))
    templates = []
    for case in load_cases(source="corpus"):
        if case.format != "json":
            continue
        dest = root / case.id
        shutil.copytree(case.dir, dest, ignore=shutil.ignore_patterns("hcl2_upgrade*", "expected.pkr.hcl"))
        templates.append(dest / case.cwd / case.target)
    return root, templates


def time_packer(packer: str, templates: list[Path], env: dict[str, str]) -> float:
    start = time.perf_counter()
    for template in templates:
        subprocess.run(
            [packer, "hcl2_upgrade", f"-output-file={template}.pkr.hcl", template.name],
            cwd=template.parent,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def time_ours(root: Path, env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "packer_py", "hcl2_upgrade", "-recursive", str(root)],
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    rows = [line.split() for line in proc.stdout.splitlines()]
    upgraded = sum(1 for row in rows if len(row) > 1 and row[1] in ("upgraded", "partial"))
    return elapsed, upgraded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", "--runs", type=int, default=5)
    args = parser.parse_args()
    packer = shutil.which("packer")
    if not packer:
        raise SystemExit("packer not found: apt-get install -y packer")
    if not CORPUS.is_dir():
        raise SystemExit(f"corpus not found at {CORPUS}; set PACKER_PY_CORPUS")
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "CHECKPOINT_DISABLE": "1"}
    theirs_t, ours_t = [], []
    count = upgraded = 0
    for _ in range(args.runs):  # interleaved, so drift affects both equally
        root, templates = scratch_copy()
        try:
            count = len(templates)
            theirs_t.append(time_packer(packer, templates, env))
            for out in root.rglob("*.pkr.hcl"):
                out.unlink()
            t, upgraded = time_ours(root, env)
            ours_t.append(t)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    a, b = statistics.median(theirs_t), statistics.median(ours_t)
    print(f"{count} JSON templates of the corpus, median of {args.runs} runs")
    print(f"{'packer hcl2_upgrade, one process per template':48} {a:8.2f} s")
    print(f"{'packer-py hcl2_upgrade -recursive, one process':48} {b:8.2f} s  ({upgraded} upgraded)")
    print(f"ratio packer / packer-py: {a / b:.2f}")


if __name__ == "__main__":
    main()
