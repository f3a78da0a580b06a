"""Record the goldens of the project's own ``fmt`` cases from the real Packer 1.6.6.

    python conformance/fmt-cases/record.py [NAME...]    # needs packer 1.6.6 and GNU diff on PATH

Every entry of ``inputs/`` is a case: a file (``NAME.pkr.hcl``, formatted as a single file) or a directory (formatted
as ``.``, which exercises the file discovery). Each is copied to a scratch directory and Packer runs there, in a
scrubbed environment, exactly as the conformance corpus records its HCL cases:

* ``golden/NAME.fmt.out`` / ``.fmt.rc``       ``packer fmt -write=false -diff TARGET``
* ``golden/NAME.check.out`` / ``.check.rc``   ``packer fmt -check TARGET``
* ``golden/NAME.formatted``                   the file (or directory) after ``packer fmt TARGET``

Never edit the goldens by hand: change an input and record again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
GOLDEN = HERE / "golden"


def _env(scratch: Path) -> dict[str, str]:
    bin_dir = scratch / "bin"
    bin_dir.mkdir()
    for tool in ("packer", "diff"):
        found = shutil.which(tool)
        if not found:
            sys.exit(f"{tool} not found on PATH")
        os.symlink(found, bin_dir / tool)
    for sub in ("home", "tmp"):
        (scratch / sub).mkdir()
    return {
        "PATH": str(bin_dir),
        "HOME": str(scratch / "home"),
        "TMPDIR": str(scratch / "tmp"),
        "CHECKPOINT_DISABLE": "1",
        "TZ": "UTC",
        "LANG": "C.UTF-8",
    }


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[bytes, int]:
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return proc.stdout, proc.returncode


def record(case: Path) -> None:
    name = case.name.removesuffix(".pkr.hcl")
    with tempfile.TemporaryDirectory(prefix="pkrfmt.") as tmp:
        scratch = Path(tmp)
        env = _env(scratch)
        work = scratch / "case"
        if case.is_dir():
            shutil.copytree(case, work)
            target = "."
        else:
            work.mkdir()
            shutil.copy2(case, work / case.name)
            target = case.name
        for stem, flags in (("fmt", ["-write=false", "-diff"]), ("check", ["-check"])):
            out, rc = _run(["packer", "fmt", *flags, target], work, env)
            (GOLDEN / f"{name}.{stem}.out").write_bytes(out.replace(str(scratch).encode(), b"<SCRATCH>"))
            (GOLDEN / f"{name}.{stem}.rc").write_text(f"{rc}\n")
        _run(["packer", "fmt", target], work, env)
        dest = GOLDEN / f"{name}.formatted"
        if dest.is_dir():
            shutil.rmtree(dest)
        if case.is_dir():
            shutil.copytree(work, dest)
        else:
            shutil.copy2(work / case.name, dest)


def main(names: list[str]) -> None:
    GOLDEN.mkdir(exist_ok=True)
    for case in sorted(INPUTS.iterdir()):
        if not names or case.name.removesuffix(".pkr.hcl") in names:
            record(case)
            print("recorded", case.name)


if __name__ == "__main__":
    main(sys.argv[1:])
