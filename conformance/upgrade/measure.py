"""Measure packer-py's ``hcl2_upgrade`` with the real Packer binary, beside Packer 1.6.6's own upgrade.

For every legacy JSON case of the conformance corpus (``PACKER_PY_CORPUS``, default ``../shared/conformance-corpus``):

1. the case is copied to a scratch directory (the corpus is never written to) and ``packer-py hcl2_upgrade
   -output-file=hcl2_upgrade.pkr.hcl [VAR ARGS] TARGET`` runs there, as the corpus ran Packer's upgrade, plus the
   case's ``-var``/``-var-file`` arguments: packer-py upgrades the JSON var-files too (``F.json`` →
   ``F.pkrvars.hcl``), since JSON renders Go templates in var-file values and HCL2 does not;
2. the ``required_plugins`` block, which Packer 1.6.6 predates, is set aside (the issue allows it), and real Packer
   runs ``validate -syntax-only`` and full ``validate`` on the result with the case's ``-var`` arguments and the
   upgraded var-files, in the scrubbed environment the corpus was recorded in (``env -i``, a PATH holding only
   ``packer`` and ``diff``, ``TZ=UTC``, no AWS credentials);
3. the output is searched for Go-template function calls left untranslated (``gotemplate_hcl.untranslated_calls``).

Packer's own figures come from the corpus recordings (``hcl2_upgrade.validate.rc``,
``hcl2_upgrade.validate-full.rc``, ``hcl2_upgrade.pkr.hcl``) with the same leftover check. Three rates are printed
side by side: syntax-only over the cases whose JSON passes ``validate -syntax-only``, full validate over the cases
whose JSON passes full ``validate``, and "no leftover call" over all JSON cases.

Usage (from the repository root)::

    PACKER_PY_CORPUS=../shared/conformance-corpus python conformance/upgrade/measure.py [--packer PATH]
        [--cases 001,014] [--keep DIR] [--json results.json] [--jobs 4]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from conformance.runner import CORPUS, Case, load_cases  # noqa: E402
from packer_py.translate.gotemplate_hcl import untranslated_calls  # noqa: E402

OUTPUT = "hcl2_upgrade.pkr.hcl"
_REQUIRED_PLUGINS = re.compile(r"^(\s*)(#[^\n]*\n\1)*required_plugins \{\n.*?^\1\}\n", re.M | re.S)


def set_aside_required_plugins(text: str) -> str:
    """The file without its ``required_plugins`` block (and without a ``packer`` block left empty by that)."""
    text = _REQUIRED_PLUGINS.sub("", text)
    return re.sub(r"^packer \{\n\}\n\n?", "", text, flags=re.M)


def upgraded_var_args(args: list[str]) -> list[str]:
    """The case's arguments with each ``-var-file=F.json`` replaced by the ``F.pkrvars.hcl`` the upgrade wrote."""
    from packer_py.translate.hcl2_upgrade import var_file_output_path

    return ["-var-file=" + var_file_output_path(a.split("=", 1)[1]) if a.startswith("-var-file=") else a for a in args]


@dataclass
class CaseResult:
    case: str
    json_syntax_ok: bool
    json_validate_ok: bool | None
    upgrade_rc: int
    syntax_rc: int | None = None
    validate_rc: int | None = None
    leftovers: list[str] = field(default_factory=list)
    packer_syntax_ok: bool | None = None
    packer_validate_ok: bool | None = None
    packer_leftovers: list[str] = field(default_factory=list)
    notes: str = ""

    @property
    def syntax_ok(self) -> bool:
        return self.syntax_rc == 0

    @property
    def validate_ok(self) -> bool:
        return self.validate_rc == 0


def _scrubbed_env(scratch: str, case: Case, packer: str) -> dict[str, str]:
    bindir = os.path.join(scratch, "bin")
    os.makedirs(bindir, exist_ok=True)
    os.symlink(packer, os.path.join(bindir, "packer"))
    diff = shutil.which("diff")
    if diff:
        os.symlink(diff, os.path.join(bindir, "diff"))
    for sub in ("home", "tmp"):
        os.makedirs(os.path.join(scratch, sub), exist_ok=True)
    return {
        "PATH": bindir,
        "HOME": os.path.join(scratch, "home"),
        "TMPDIR": os.path.join(scratch, "tmp"),
        "CHECKPOINT_DISABLE": "1",
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        **case.env,
    }


def _rc(case: Case, name: str) -> int | None:
    path = case.dir / f"{name}.rc"
    return int(path.read_text().strip()) if path.exists() else None


def measure_case(case: Case, packer: str, keep: Path | None) -> CaseResult:
    json_syntax = _rc(case, "validate-syntax")
    json_validate = _rc(case, "validate")
    result = CaseResult(case.id, json_syntax == 0, None if json_validate is None else json_validate == 0, -1)
    p_syntax, p_full = _rc(case, "hcl2_upgrade.validate"), _rc(case, "hcl2_upgrade.validate-full")
    result.packer_syntax_ok = p_syntax == 0
    result.packer_validate_ok = None if p_full is None else p_full == 0
    recorded = case.dir / OUTPUT
    result.packer_leftovers = untranslated_calls(recorded.read_text()) if recorded.exists() else []
    scratch = tempfile.mkdtemp(prefix="pkrcorpus.", dir="/tmp")
    try:
        shutil.copytree(case.dir, os.path.join(scratch, "case"), symlinks=True)
        work = os.path.normpath(os.path.join(scratch, "case", case.cwd))
        for stale in Path(scratch, "case").glob("hcl2_upgrade*"):
            stale.unlink()
        env = _scrubbed_env(scratch, case, packer)
        up = subprocess.run(
            [sys.executable, "-m", "packer_py", "hcl2_upgrade", f"-output-file={OUTPUT}", *case.var_args, case.target],
            cwd=work,
            env={**env, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        result.upgrade_rc = up.returncode
        out = Path(work, OUTPUT)
        if up.returncode != 0 or not out.exists():
            result.notes = (up.stdout + up.stderr).strip().splitlines()[-1:][0] if (up.stdout + up.stderr) else ""
            return result
        text = out.read_text()
        result.leftovers = untranslated_calls(text)
        out.write_text(set_aside_required_plugins(text))
        var_args = upgraded_var_args(case.var_args)
        syntax = subprocess.run(
            ["packer", "validate", "-syntax-only", *var_args, OUTPUT],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        result.syntax_rc = syntax.returncode
        if json_validate is not None:
            try:
                full = subprocess.run(
                    ["packer", "validate", *var_args, OUTPUT],
                    cwd=work,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
            except subprocess.TimeoutExpired:
                result.validate_rc = 124  # what `timeout 60` reports
                return result
            result.validate_rc = full.returncode
            if full.returncode != 0:
                result.notes = " | ".join(ln for ln in (full.stdout + full.stderr).splitlines() if ln.strip())[:300]
        if syntax.returncode != 0:
            result.notes = " | ".join(ln for ln in (syntax.stdout + syntax.stderr).splitlines() if ln.strip())[:300]
        if keep is not None:
            dest = keep / case.id
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy(out, dest / OUTPUT)
            (dest / "upgrade.out").write_text(up.stdout + up.stderr)
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _rate(ok: int, total: int) -> str:
    return f"{ok}/{total} ({100 * ok / total:.0f}%)" if total else "-"


def summarize(results: list[CaseResult]) -> str:
    syntax_cases = [r for r in results if r.json_syntax_ok]
    full_cases = [r for r in results if r.json_validate_ok]
    lines = [f"{'case':48} {'syntax':>6} {'full':>5} {'left':>4}   packer: {'syntax':>6} {'full':>5} {'left':>4}"]
    for r in results:
        full = "-" if r.validate_rc is None else ("ok" if r.validate_ok else "FAIL")
        pfull = "-" if r.packer_validate_ok is None else ("ok" if r.packer_validate_ok else "fail")
        lines.append(
            f"{r.case:48} {'ok' if r.syntax_ok else 'FAIL':>6} {full:>5} {len(r.leftovers):>4}   "
            f"        {'ok' if r.packer_syntax_ok else 'fail':>6} {pfull:>5} {len(r.packer_leftovers):>4}"
        )
        if r.notes and (not r.syntax_ok or (r.json_validate_ok and not r.validate_ok)):
            lines.append(f"    {r.notes}")
    lines.append("")
    lines.append(f"{'':40} {'packer-py':>16} {'Packer 1.6.6':>16}")
    ours = _rate(sum(r.syntax_ok for r in syntax_cases), len(syntax_cases))
    theirs = _rate(sum(bool(r.packer_syntax_ok) for r in syntax_cases), len(syntax_cases))
    lines.append(f"{'validate -syntax-only (JSON accepted)':40} {ours:>16} {theirs:>16}")
    ours = _rate(sum(r.validate_ok for r in full_cases), len(full_cases))
    theirs = _rate(sum(bool(r.packer_validate_ok) for r in full_cases), len(full_cases))
    lines.append(f"{'full validate (where JSON validates)':40} {ours:>16} {theirs:>16}")
    ours = _rate(sum(not r.leftovers and r.upgrade_rc == 0 for r in results), len(results))
    theirs = _rate(sum(not r.packer_leftovers for r in results), len(results))
    lines.append(f"{'no untranslated Go-template call':40} {ours:>16} {theirs:>16}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packer", default=shutil.which("packer") or "/usr/bin/packer")
    parser.add_argument("--cases", default="", help="comma-separated case id prefixes")
    parser.add_argument("--keep", type=Path, help="copy each upgraded file here")
    parser.add_argument("--json", type=Path, help="write the per-case results here")
    parser.add_argument("--jobs", type=int, default=4)
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; set PACKER_PY_CORPUS", file=sys.stderr)
        return 2
    wanted = [c for c in args.cases.split(",") if c]
    cases = [
        c for c in load_cases(source="corpus") if c.format == "json" and (not wanted or c.id.startswith(tuple(wanted)))
    ]
    packer = os.path.realpath(args.packer)
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda c: measure_case(c, packer, args.keep), cases))
    print(summarize(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
