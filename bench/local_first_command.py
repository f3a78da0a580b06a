"""The README's first command on a fresh machine: ``pip install -e . && packer-py build -local templates/httpd.json``
(not a unit test).

    python bench/local_first_command.py [--runs 3] [--keep]

Copies the committed tree (``git archive HEAD``) into a temporary directory, makes a new virtual environment there,
times ``pip install -e .`` (from whatever package index pip is configured with), then times the local-mode build of
the unchanged seed template ``--runs`` times in a fresh process each (the first run has no bytecode cache and no
sandbox). The issue's target: under 60 s for the build.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _timed(argv: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    return time.monotonic() - started, proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary tree and environment")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="packer-py-first-command-"))
    try:
        src = base / "src"
        src.mkdir()
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        venv = base / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        took, proc = _timed([str(venv / "bin" / "pip"), "install", "-q", "-e", "."], src)
        if proc.returncode != 0:
            print(proc.stdout + proc.stderr)
            return 1
        print(f"pip install -e .                                  {took:6.1f} s")
        for run in range(1, args.runs + 1):
            cmd = [str(venv / "bin" / "packer-py"), "build", "-local", "-color=false", "templates/httpd.json"]
            took, proc = _timed(cmd, src)
            ami = re.search(r"^eu-west-1: (ami-[0-9a-f]+)$", proc.stdout, re.M)
            status = f"rc={proc.returncode} {ami.group(1) if ami else 'no AMI'}"
            print(f"packer-py build -local templates/httpd.json #{run}   {took:6.1f} s  {status}")
            if proc.returncode != 0:
                print(proc.stdout + proc.stderr)
                return 1
        return 0
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
