"""Record the project's own conformance cases from the real Packer 1.6.6.

    python -m conformance.record [NAME...]     # needs packer 1.6.6 on PATH (apt-get install -y packer)

Each case below (JSON templates) and in ``hcl_cases.py`` (HCL2 configurations, ``hcl-*``) becomes
``conformance/cases/<name>/`` holding the template (``t.json``, or the case's files), a ``case.json`` in the
corpus's format, and the outputs of ``validate -syntax-only``, ``validate`` and ``inspect`` recorded like the corpus's
``regen.sh`` does (scrubbed environment, 3 runs; outputs that differ between runs are flagged in ``golden.json``).
Pointer values in Go's ``%v`` dumps (``0xc000123456``) are recorded as ``0xADDR``, as the corpus records them.
Never edit the outputs by hand: change a case here and record again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from conformance.hcl_cases import HCL_CASES

HERE = Path(__file__).resolve().parent / "cases"
NULL = '"builders": [{"type": "null", "communicator": "none"}]'

CASES: dict[str, str] = {
    "unexpected-eof": '{"builders": [',
    "after-object-key": '{"a" 1}',
    "after-array-element": '{"builders": [1 2]}',
    "literal-true": '{"a": tru}',
    "string-escape": '{"a": "x\\q"}',
    "after-key-value": '{"a": 01}',
    "after-top-level": '{"a": 1}x',
    "empty-file": "",
    "tab-in-string": '  {"a": "x\ty"}',
    "multiline-value": '{\n"a":\n\n   x}',
    "trailing-comma": '{\n  "variables": {"a": "x",},\n  "builders": []\n}\n',
    "root-array": "[1]",
    "duplicate-nested": '{"a": 1, "b": {"c": [1, {"c": 1, "c": 2}]}}',
    "duplicate-root": '{"builders": [{"type":"null"}], "builders": []}',
    "duplicate-and-syntax": '{"a": 1, "a": }',
    "unknown-root-keys": '{"a": "x", "b": "y", ' + NULL + "}",
    "comment-not-string": '{"_c": 1, ' + NULL + "}",
    "comment-ok": '{"_comment": "hello", ' + NULL + "}",
    "comments-array": '{"comments": [{"a": "b"}], ' + NULL + "}",
    "variable-number": '{"variables": {"a": 1}, ' + NULL + "}",
    "variable-list": '{"variables": {"a": ["x"]}, ' + NULL + "}",
    "variable-bool": '{"variables": {"a": true}, ' + NULL + "}",
    "variable-map": '{"variables": {"a": {"x": 1}}, ' + NULL + "}",
    "variables-not-map": '{"variables": 5, ' + NULL + "}",
    "builders-map": '{"builders": {"type": "null"}}',
    "builder-string": '{"builders": ["null"]}',
    "builder-missing-type": '{"builders": [{"name": "x"}]}',
    "builder-numeric-name": '{"builders": [{"type": "null", "communicator": "none", "name": 5}]}',
    "builder-duplicate-name": '{"builders": [{"type": "null", "name": "a", "communicator": "none"}, '
    '{"type": "null", "name": "a", "communicator": "none"}]}',
    "no-builders": '{"builders": []}',
    "empty-object": "{}",
    "description-number": '{"description": 5, ' + NULL + "}",
    "sensitive-not-list": '{"sensitive-variables": "a", ' + NULL + "}",
    "push-number": '{"push": 5, ' + NULL + "}",
    "provisioners-string": "{" + NULL + ', "provisioners": "x"}',
    "provisioner-number": "{" + NULL + ', "provisioners": [5]}',
    "provisioner-no-type": "{" + NULL + ', "provisioners": [{"inline": ["a"]}]}',
    "provisioner-bad-pause": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"pause_before": "5x"}]}',
    "provisioner-pause-overflow": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"pause_before": "9999999999h"}]}',
    "provisioner-pause-non-ascii": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"pause_before": "5\u00e9"}]}',
    "provisioner-override-number": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"override": 3}]}',
    "provisioner-override-unknown": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"override": {"zz": {}}}]}',
    "provisioner-only-unknown": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"only": ["zz"]}]}',
    "provisioner-only-and-except": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"only": ["null"], "except": ["null"]}]}',
    "provisioner-only-string": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"only": "x"}]}',
    "provisioner-unknown-type": "{" + NULL + ', "provisioners": [{"type": "nope"}]}',
    "pp-nested-sequence": "{" + NULL + ', "post-processors": [[["a"]]]}',
    "pp-bad-format": "{" + NULL + ', "post-processors": [5]}',
    "pp-unknown-format": "{" + NULL + ', "post-processors": [[5]]}',
    "pp-no-type": "{" + NULL + ', "post-processors": [{"name": "x"}]}',
    "pp-keep-string": "{" + NULL + ', "post-processors": [{"type": "manifest", "keep_input_artifact": "yes"}]}',
    "pp-name-number": "{" + NULL + ', "post-processors": [{"type": "manifest", "name": 5}]}',
    "pp-only-unknown": "{" + NULL + ', "post-processors": [{"type": "manifest", "only": ["zz"]}]}',
    "cleanup-number": "{" + NULL + ', "error-cleanup-provisioner": 5}',
    "min-version-high": "{" + NULL + ', "min_packer_version": "9.0.0"}',
    "min-version-ok": "{" + NULL + ', "min_packer_version": "1.5"}',
    "min-version-bad": "{" + NULL + ', "min_packer_version": "banana"}',
    "required-variable": '{"variables": {"req": null, "other": null}, ' + NULL + "}",
    "user-var-chain": '{"variables": {"a": "x", "b": "{{user `a`}}-y", "c": "{{user `b`}}-z"}, ' + NULL + "}",
    "user-var-undefined": '{"variables": {"a": "{{user `nope`}}x"}, ' + NULL + "}",
    "builder-name-env": '{"builders": [{"type": "null", "communicator": "none", "name": "{{env `HOME`}}"}]}',
    "builder-name-user": '{"variables": {"n": "nm"}, "builders": [{"type": "null", "communicator": "none", '
    '"name": "b-{{user `n`}}"}]}',
    "max-retries-bad": "{" + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], "max_retries": "x"}]}',
    "unicode-keys": '{"a":"é€"  ,  "b": "\\u0001"}',
}


COMMANDS = {
    "validate-syntax": ["validate", "-syntax-only"],
    "validate": ["validate"],
    "inspect": ["inspect"],
}
RUNS = 3


def record(
    name: str,
    files: dict[str, str],
    packer: str,
    *,
    fmt: str = "json",
    target: str = "t.json",
    args: Sequence[str] = (),
    commands: Sequence[str] = tuple(COMMANDS),
) -> None:
    case_dir = HERE / name
    shutil.rmtree(case_dir, ignore_errors=True)
    case_dir.mkdir(parents=True)
    scratch = Path(tempfile.mkdtemp(prefix="pkrcorpus."))
    try:
        for sub in ("bin", "home", "tmp", "case"):
            (scratch / sub).mkdir()
        os.symlink(packer, scratch / "bin" / "packer")
        for filename, text in files.items():
            for root in (case_dir, scratch / "case"):
                (root / filename).parent.mkdir(parents=True, exist_ok=True)
                (root / filename).write_text(text)
        env = {
            "PATH": str(scratch / "bin"),
            "HOME": str(scratch / "home"),
            "TMPDIR": str(scratch / "tmp"),
            "CHECKPOINT_DISABLE": "1",
            "TZ": "UTC",
            "LANG": "C.UTF-8",
        }
        nondeterministic = {}
        status = {}
        for command in commands:
            outs = []
            for _ in range(RUNS):
                proc = subprocess.run(
                    [packer, *COMMANDS[command], *args, target],
                    cwd=scratch / "case",
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                )
                out = proc.stdout.decode("utf-8", "replace").replace(str(scratch / "case"), "<CASE>")
                out = re.sub(r"0xc[0-9a-f]{6,}", "0xADDR", out)  # Go pointers, as the corpus records them
                outs.append((proc.returncode, out))
            rc, out = outs[0]
            (case_dir / f"{command}.out").write_text(out)
            (case_dir / f"{command}.rc").write_text(f"{rc}\n")
            status[command] = rc
            if len({o for _, o in outs}) > 1:
                same_lines = len({tuple(sorted(o.splitlines())) for _, o in outs}) == 1
                nondeterministic[f"{command}.out"] = "order" if same_lines else "content"
        case = {
            "format": fmt,
            "source": "packer-py's own case (conformance/record.py)",
            "packer": {"cwd": ".", "target": target, "var_args": list(args), "env": {}},
        }
        (case_dir / "case.json").write_text(json.dumps(case, indent=2) + "\n")
        golden = {
            "packer_version": "Packer v1.6.6",
            "runs_per_command": RUNS,
            "exit_status": status,
            "nondeterministic": nondeterministic,
        }
        (case_dir / "golden.json").write_text(json.dumps(golden, indent=2) + "\n")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(names: list[str]) -> None:
    packer = shutil.which("packer") or "/usr/bin/packer"
    for name, text in CASES.items():
        if names and name not in names:
            continue
        record(name, {"t.json": text}, packer)
        print(name)
    for name, case in HCL_CASES.items():
        if names and name not in names:
            continue
        record(name, case.files, packer, fmt="hcl", target=case.target, args=case.args, commands=case.commands)
        print(name)


if __name__ == "__main__":
    main(sys.argv[1:])
