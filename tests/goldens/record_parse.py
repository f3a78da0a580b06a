"""Record how Packer 1.6.6 reacts to malformed and unusual JSON templates (parse stage and core checks).

    python tests/goldens/record_parse.py        # needs /usr/bin/packer (apt-get install -y packer)

For each case below it writes ``tests/goldens/parse/<name>.json`` (the template), ``<name>.syntax.out`` / ``.rc``
(``packer validate -syntax-only``) and ``<name>.validate.out`` / ``.rc`` (``packer validate``), run in a scratch
directory with a scrubbed environment. Never edit the outputs by hand: change a case and record again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "parse"
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
    "provisioners-string": '{' + NULL + ', "provisioners": "x"}',
    "provisioner-number": '{' + NULL + ', "provisioners": [5]}',
    "provisioner-no-type": '{' + NULL + ', "provisioners": [{"inline": ["a"]}]}',
    "provisioner-bad-pause": '{' + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"pause_before": "5x"}]}',
    "provisioner-override-number": '{' + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"override": 3}]}',
    "provisioner-override-unknown": '{' + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"override": {"zz": {}}}]}',
    "provisioner-only-unknown": '{' + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"only": ["zz"]}]}',
    "provisioner-only-and-except": '{' + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"only": ["null"], "except": ["null"]}]}',
    "provisioner-only-string": '{' + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"only": "x"}]}',
    "provisioner-unknown-type": '{' + NULL + ', "provisioners": [{"type": "nope"}]}',
    "pp-nested-sequence": '{' + NULL + ', "post-processors": [[["a"]]]}',
    "pp-bad-format": '{' + NULL + ', "post-processors": [5]}',
    "pp-unknown-format": '{' + NULL + ', "post-processors": [[5]]}',
    "pp-no-type": '{' + NULL + ', "post-processors": [{"name": "x"}]}',
    "pp-keep-string": '{' + NULL + ', "post-processors": [{"type": "manifest", "keep_input_artifact": "yes"}]}',
    "pp-name-number": '{' + NULL + ', "post-processors": [{"type": "manifest", "name": 5}]}',
    "pp-only-unknown": '{' + NULL + ', "post-processors": [{"type": "manifest", "only": ["zz"]}]}',
    "cleanup-number": '{' + NULL + ', "error-cleanup-provisioner": 5}',
    "min-version-high": '{' + NULL + ', "min_packer_version": "9.0.0"}',
    "min-version-ok": '{' + NULL + ', "min_packer_version": "1.5"}',
    "min-version-bad": '{' + NULL + ', "min_packer_version": "banana"}',
    "required-variable": '{"variables": {"req": null, "other": null}, ' + NULL + "}",
    "user-var-chain": '{"variables": {"a": "x", "b": "{{user `a`}}-y", "c": "{{user `b`}}-z"}, ' + NULL + "}",
    "user-var-undefined": '{"variables": {"a": "{{user `nope`}}x"}, ' + NULL + "}",
    "builder-name-env": '{"builders": [{"type": "null", "communicator": "none", "name": "{{env `HOME`}}"}]}',
    "builder-name-user": '{"variables": {"n": "nm"}, "builders": [{"type": "null", "communicator": "none", '
    '"name": "b-{{user `n`}}"}]}',
    "max-retries-bad": '{' + NULL + ', "provisioners": [{"type": "shell-local", "inline": ["a"], '
    '"max_retries": "x"}]}',
    "unicode-keys": '{"a":"é€"  ,  "b": "\\u0001"}',
}


def main() -> None:
    packer = shutil.which("packer") or "/usr/bin/packer"
    HERE.mkdir(parents=True, exist_ok=True)
    for old in HERE.iterdir():
        old.unlink()
    scratch = Path(tempfile.mkdtemp(prefix="pkrparse."))
    bindir = scratch / "bin"
    bindir.mkdir()
    os.symlink(packer, bindir / "packer")
    env = {"PATH": str(bindir), "HOME": str(scratch), "CHECKPOINT_DISABLE": "1", "TZ": "UTC", "LANG": "C.UTF-8"}
    try:
        for name, text in CASES.items():
            (scratch / "t.json").write_text(text)
            (HERE / f"{name}.json").write_text(text)
            for mode, args in (("syntax", ["validate", "-syntax-only", "t.json"]), ("validate", ["validate", "t.json"])):
                proc = subprocess.run([packer, *args], cwd=scratch, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT)
                (HERE / f"{name}.{mode}.out").write_bytes(proc.stdout)
                (HERE / f"{name}.{mode}.rc").write_text(f"{proc.returncode}\n")
            print(name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
