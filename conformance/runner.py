"""Run packer-py on every case of the conformance corpus and compare with the outputs recorded from Packer 1.6.6.

Each case is copied to a scratch directory whose path has the same length as the one Packer ran in
(``/tmp/pkrcorpus.XXXXXX/case``: Packer wraps long messages at 80 columns, so the path length shapes the output), and
packer-py runs there with the same arguments and the same scrubbed environment (``env -i`` with a PATH holding only
the interpreter, ``TZ=UTC``, no AWS credentials). Then, per command:

* the exit status must be equal (the *verdict*);
* the output must be equal, except where ``golden.json`` flags it nondeterministic (``order``: compared as a multiset
  of lines; ``content``: not compared) and for whitespace around ``<CASE>``.

``python -m conformance`` prints a per-command table and the score; ``conformance/test_conformance.py`` holds the
project to its thresholds and to ``deviations.md``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The corpus sits beside the repository (``../shared``); PACKER_PY_CORPUS points elsewhere (e.g. from a worktree).
CORPUS = Path(os.environ.get("PACKER_PY_CORPUS") or REPO.parent / "shared" / "conformance-corpus")
CASES = CORPUS / "cases"
OWN_CASES = Path(__file__).resolve().parent / "cases"

# golden file stem -> how to build packer-py's argv from the case
JSON_COMMANDS = ("validate-syntax", "validate", "inspect")
HCL_COMMANDS = ("validate-syntax", "validate", "inspect", "fmt", "fmt-check", "fmt-formatted")
# ``fmt-formatted`` runs ``fmt TARGET`` (writing, in the scratch copy) and compares the files with ``fmt.formatted/``;
# it runs last, after the commands that must see the files unformatted.
FORMATTED = "fmt.formatted"


@dataclass
class CommandResult:
    case: str
    command: str
    expected_rc: int | None
    actual_rc: int
    expected_out: str | None
    actual_out: str
    nondeterministic: str | None = None

    @property
    def verdict_equal(self) -> bool:
        return self.expected_rc is not None and (self.expected_rc == 0) == (self.actual_rc == 0)

    @property
    def rc_equal(self) -> bool:
        return self.expected_rc == self.actual_rc

    @property
    def output_equal(self) -> bool:
        if self.expected_out is None:
            return False
        if not self.rc_equal:
            return False
        return outputs_match(self.expected_out, self.actual_out, self.nondeterministic)


@dataclass
class Case:
    id: str
    dir: Path
    format: str
    cwd: str
    target: str
    var_args: list[str]
    env: dict[str, str]
    golden: dict[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Case:
        meta = json.loads((path / "case.json").read_text())
        golden = json.loads((path / "golden.json").read_text()) if (path / "golden.json").exists() else {}
        p = meta["packer"]
        return cls(
            path.name, path, meta["format"], p["cwd"], p["target"], list(p["var_args"]), dict(p.get("env", {})), golden
        )

    def expected(self, command: str) -> tuple[int | None, str | None]:
        if command == "fmt-formatted":
            if not (self.dir / FORMATTED).is_dir():
                return None, None
            return 0, render_files(self.dir / FORMATTED, self.formatted_files())
        rc_file = self.dir / f"{command}.rc"
        out_file = self.dir / f"{command}.out"
        if not rc_file.exists():
            return None, None
        return int(rc_file.read_text().strip()), out_file.read_text() if out_file.exists() else ""

    def nondeterministic(self, command: str) -> str | None:
        nd = self.golden.get("nondeterministic", {})
        assert isinstance(nd, dict)
        value = nd.get(f"{command}.out")
        return str(value) if value else None

    def argv(self, command: str) -> list[str]:
        if command == "validate-syntax":
            return ["validate", "-syntax-only", *self.var_args, self.target]
        if command == "validate":
            return ["validate", *self.var_args, self.target]
        if command == "inspect":
            return ["inspect", *self.var_args, self.target]
        if command == "fmt":
            return ["fmt", "-write=false", "-diff", self.target]
        if command == "fmt-check":
            return ["fmt", "-check", self.target]
        if command == "fmt-formatted":
            return ["fmt", self.target]
        raise ValueError(command)

    def formatted_files(self) -> list[str]:
        """Paths (relative to the case) of the files Packer left in ``fmt.formatted/``."""
        root = self.dir / FORMATTED
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    @property
    def commands(self) -> Sequence[str]:
        """The commands of the case's format that have a recording (own cases record some commands only)."""
        every = JSON_COMMANDS if self.format == "json" else HCL_COMMANDS
        return [c for c in every if self.expected(c)[0] is not None]


def corpus_available() -> bool:
    return CASES.is_dir()


def load_cases(ids: Iterable[str] | None = None, *, source: str = "all") -> list[Case]:
    """Cases of the shared corpus (``corpus``), the project's own (``own``) or both (``all``)."""
    wanted = set(ids or [])
    roots = {"corpus": [CASES], "own": [OWN_CASES], "all": [CASES, OWN_CASES]}[source]
    cases = []
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.iterdir()):
            if (path / "case.json").exists() and (not wanted or path.name in wanted):
                cases.append(Case.load(path))
    return cases


def normalise(text: str, scratch: str) -> str:
    text = text.replace(f"{scratch}/case", "<CASE>").replace(f"{scratch}/home", "<HOME>")
    text = text.replace(f"{scratch}/tmp", "<TMP>")
    return re.sub(r"0xc[0-9a-f]{6,}", "0xADDR", text)


def render_files(root: Path | str, names: Iterable[str]) -> str:
    """Files as one comparable text: a ``== NAME ==`` header and the content (undecodable bytes escaped)."""
    parts = []
    for name in names:
        path = Path(root) / name
        content = path.read_bytes().decode("utf-8", "backslashreplace") if path.is_file() else "<missing>\n"
        parts.append(f"== {name} ==\n{content}")
    return "".join(parts)


def outputs_match(expected: str, actual: str, nondeterministic: str | None) -> bool:
    if nondeterministic and nondeterministic.startswith("content"):
        return True
    if "<CASE>" in expected:
        expected, actual = (" ".join(t.split()) for t in (expected, actual))
    if nondeterministic == "order":
        return sorted(expected.splitlines()) == sorted(actual.splitlines())
    return expected == actual


def run_case(case: Case, commands: Sequence[str] | None = None) -> list[CommandResult]:
    scratch = tempfile.mkdtemp(prefix="pkrcorpus.", dir="/tmp")
    try:
        for sub in ("home", "tmp", "bin"):
            os.makedirs(os.path.join(scratch, sub))
        shutil.copytree(case.dir, os.path.join(scratch, "case"), symlinks=True)
        work = os.path.normpath(os.path.join(scratch, "case", case.cwd))
        env = {
            "PATH": os.path.join(scratch, "bin"),
            "HOME": os.path.join(scratch, "home"),
            "TMPDIR": os.path.join(scratch, "tmp"),
            "CHECKPOINT_DISABLE": "1",
            "TZ": "UTC",
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(REPO),
            "PACKER_PY_LOCATIONS": "0",  # Packer's text alone: the located lines packer-py adds are not Packer's
            **case.env,
        }
        results = []
        # canonical order: commands that write into the scratch copy (fmt-formatted) come last
        wanted = list(commands or case.commands)
        ordered = [c for c in case.commands if c in wanted] + [c for c in wanted if c not in case.commands]
        for command in ordered:
            expected_rc, expected_out = case.expected(command)
            proc = subprocess.run(
                [sys.executable, "-m", "packer_py", *case.argv(command)],
                cwd=work,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=120,
            )
            out = normalise(proc.stdout.decode("utf-8", "replace"), scratch)
            if command == "fmt-formatted":
                out = render_files(os.path.join(scratch, "case"), case.formatted_files())
            results.append(
                CommandResult(
                    case.id, command, expected_rc, proc.returncode, expected_out, out, case.nondeterministic(command)
                )
            )
        return results
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class Score:
    command: str
    cases: int = 0
    verdicts: int = 0
    outputs: int = 0

    def add(self, r: CommandResult) -> None:
        self.cases += 1
        self.verdicts += r.verdict_equal
        self.outputs += r.output_equal


def score(results: Iterable[CommandResult], fmt_of: dict[str, str]) -> dict[tuple[str, str], Score]:
    table: dict[tuple[str, str], Score] = {}
    for r in results:
        if r.expected_rc is None:
            continue
        key = (fmt_of[r.case], r.command)
        table.setdefault(key, Score(r.command)).add(r)
    return table


def format_table(table: dict[tuple[str, str], Score]) -> str:
    lines = [f"{'format':7} {'command':16} {'cases':>5} {'verdict':>13} {'output':>13}"]
    for (fmt, cmd), s in sorted(table.items()):
        v = f"{s.verdicts}/{s.cases} {100 * s.verdicts / s.cases:3.0f}%"
        o = f"{s.outputs}/{s.cases} {100 * s.outputs / s.cases:3.0f}%"
        lines.append(f"{fmt:7} {cmd:16} {s.cases:5} {v:>13} {o:>13}")
    total = sum(s.cases for s in table.values())
    good = sum(s.outputs for s in table.values())
    if total:
        lines.append(f"score: {good}/{total} outputs identical ({100 * good / total:.1f}%)")
    return "\n".join(lines)
