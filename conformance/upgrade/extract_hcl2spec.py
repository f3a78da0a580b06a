"""Extract the HCL2 shape of every component Packer 1.6.6 ships, from Packer's own generated ``*.hcl2spec.go``.

``packer hcl2_upgrade`` has to know, for each option of each builder, provisioner and post-processor, whether HCL2
wants it as an attribute (and of which type: string, number, bool, list, map) or as a nested block. Packer's
``mapstructure-to-hcl2`` generator wrote exactly that into ``*.hcl2spec.go`` (``hcldec.AttrSpec{Type: cty.Number}``,
``hcldec.BlockSpec``, ``hcldec.BlockListSpec``). This script reads those files from a clone of hashicorp/packer at
tag v1.6.6 and writes ``packer_py/schema/data/hcl2spec-1.6.6.json``: per component, the options that are not
plain strings (a string option is the default, so it is left out to keep the table small), with nested block
types shared by reference.

Usage (from the repository root)::

    python conformance/upgrade/extract_hcl2spec.py PATH/TO/hashicorp/packer  [--tag v1.6.6]

The clone may be a bare mirror: files are read with ``git show TAG:PATH``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "packer_py" / "schema" / "data" / "hcl2spec-1.6.6.json"
MODULE = "github.com/hashicorp/packer/"

# Components whose config struct is not the package's ``Config``.
SPECIAL_CONFIG = {
    ("builder", "proxmox"): "builder/proxmox/iso.Config",
    ("provisioner", "shell-local"): "packer-plugin-sdk/shell-local.Config",
    ("post-processor", "shell-local"): "packer-plugin-sdk/shell-local.Config",
    ("provisioner", "sleep"): "provisioner/sleep.Provisioner",
}
KINDS = {"Builders": "builder", "Provisioners": "provisioner", "PostProcessors": "post-processor"}

_FUNC = re.compile(r"^func \(\*Flat(\w+)\) HCL2Spec\(\) map\[string\]hcldec\.Spec \{$")
_ATTR = re.compile(r'^\s*"([\w-]+)":\s*&hcldec\.AttrSpec\{Name: "[\w-]+", Type: (.+), Required: (?:true|false)\},$')
_BLOCK = re.compile(
    r'^\s*"([\w-]+)":\s*&hcldec\.(BlockSpec|BlockListSpec)\{TypeName: "[\w-]+", '
    r"Nested: hcldec\.ObjectSpec\(\(\*(?:(\w+)\.)?Flat(\w+)\)\(nil\)\.HCL2Spec\(\)\)\},$"
)
_IMPORT = re.compile(r'^\s*(?:(\w+)\s+)?"([^"]+)"$')


def cty_type(text: str) -> str:
    """``cty.List(cty.String)`` -> ``list(string)``."""
    m = re.fullmatch(r"cty\.(List|Map)\((.+)\)", text)
    if m:
        return f"{m.group(1).lower()}({cty_type(m.group(2))})"
    m = re.fullmatch(r"cty\.(String|Number|Bool)", text)
    if m:
        return m.group(1).lower()
    raise ValueError(f"unknown cty type {text}")


@dataclass
class Repo:
    path: str
    tag: str

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", self.path, *args], check=True, capture_output=True, text=True).stdout

    def show(self, path: str) -> str:
        return self.git("show", f"{self.tag}:{path}")


@dataclass
class Extractor:
    repo: Repo
    types: dict[str, dict[str, str]] = field(default_factory=dict)

    def read_package(self, directory: str, files: list[str]) -> None:
        for path in files:
            self.read_file(directory, self.repo.show(path))

    def read_file(self, directory: str, text: str) -> None:
        imports: dict[str, str] = {}
        in_imports = False
        current: str | None = None
        for line in text.splitlines():
            if line.startswith("import ("):
                in_imports = True
                continue
            if in_imports:
                if line.strip() == ")":
                    in_imports = False
                    continue
                m = _IMPORT.match(line)
                if m and m.group(2).startswith(MODULE):
                    pkg = m.group(2)[len(MODULE) :]
                    imports[m.group(1) or pkg.rsplit("/", 1)[-1]] = pkg
                continue
            m = _FUNC.match(line)
            if m:
                current = f"{directory}.{m.group(1)}"
                self.types[current] = {}
                continue
            if current is None:
                continue
            if line == "}":
                current = None
                continue
            m = _ATTR.match(line)
            if m:
                name, typ = m.group(1), cty_type(m.group(2))
                if typ != "string" and not name.startswith("packer_"):
                    self.types[current][name] = typ
                continue
            m = _BLOCK.match(line)
            if m:
                name, kind, alias, flat = m.groups()
                pkg = imports[alias] if alias else directory
                self.types[current][name] = ("block:" if kind == "BlockSpec" else "blocks:") + f"{pkg}.{flat}"


def components(repo: Repo) -> dict[str, str]:
    """``builder/amazon-ebs`` -> ``builder/amazon/ebs.Config`` from command/plugin.go's registry."""
    src = repo.show("command/plugin.go")
    imports = dict(re.findall(r'^\s*(\w+)\s+"github\.com/hashicorp/packer/([^"]+)"', src, re.M))
    out: dict[str, str] = {}
    for var, kind in KINDS.items():
        body = re.search(rf"var {var} = map\[string\]packersdk\.\w+\{{(.*?)\n\}}", src, re.S)
        assert body is not None
        for name, alias in re.findall(r'"([\w-]+)":\s+new\((\w+)\.', body.group(1)):
            out[f"{kind}/{name}"] = SPECIAL_CONFIG.get((kind, name), f"{imports[alias]}.Config")
    return out


def reachable(types: dict[str, dict[str, str]], roots: list[str]) -> dict[str, dict[str, str]]:
    keep: dict[str, dict[str, str]] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep[name] = types[name]
        for typ in types[name].values():
            if typ.startswith(("block:", "blocks:")):
                todo.append(typ.split(":", 1)[1])
    return dict(sorted(keep.items()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packer_repo")
    parser.add_argument("--tag", default="v1.6.6")
    args = parser.parse_args(argv)
    repo = Repo(args.packer_repo, args.tag)
    by_dir: dict[str, list[str]] = {}
    for path in repo.git("ls-tree", "-r", "--name-only", args.tag).split():
        if path.endswith("hcl2spec.go") and "_test" not in path and "mock" not in path:
            by_dir.setdefault(path.rsplit("/", 1)[0], []).append(path)
    ex = Extractor(repo)
    for directory, files in sorted(by_dir.items()):
        ex.read_package(directory, files)
    comps = components(repo)
    missing = sorted(c for c, t in comps.items() if t not in ex.types)
    if missing:
        print(f"no HCL2 spec for: {missing}", file=sys.stderr)
        return 1
    data = {
        "packer": args.tag,
        "generated_by": "conformance/upgrade/extract_hcl2spec.py",
        "note": "Options not listed are plain strings (hcldec.AttrSpec with cty.String).",
        "components": dict(sorted(comps.items())),
        "types": reachable(ex.types, list(comps.values())),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}: {len(comps)} components")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
