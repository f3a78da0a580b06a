"""Compare packer-py's fmt with the real Packer 1.6.6 on randomly generated HCL files (a development tool).

    python conformance/fmt-cases/fuzz.py SEED COUNT     # needs packer 1.6.6 on PATH

Writes COUNT files made of random attributes, blocks, expressions, heredocs, templates and comments with random
spacing into a scratch directory, runs ``packer fmt .`` there, and reports: files Packer formatted that we format
differently, and files where our parse check disagrees with Packer's ("failed to parse HCL"). Nothing is recorded:
cases worth keeping go to ``inputs/`` and ``record.py``.
"""

# ruff: noqa: E501

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from packer_py.translate.formatter import hcl_parses  # noqa: E402
from packer_py.translate.hcl_format import format_hcl  # noqa: E402

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 400
WS = [" ", " ", "  ", "\t", "", "   "]


def sp() -> str:
    return rng.choice(WS)


def expr(d: int = 0) -> str:
    r = rng.random()
    if d > 3 or r < 0.3:
        return rng.choice(
            [
                "1",
                "2.5",
                "true",
                "null",
                '"s"',
                "var.x",
                "local.y",
                '"a${var.b}c"',
                '"%{ if x }y%{ endif }"',
                "x",
                "a-b",
                '"ü"',
                "[]",
                "{}",
                '"$${x}"',
            ]
        )
    if r < 0.4:
        return (
            expr(d + 1)
            + sp()
            + rng.choice(["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"])
            + sp()
            + expr(d + 1)
        )
    if r < 0.45:
        return rng.choice(["-", "!"]) + sp() + expr(d + 1)
    if r < 0.5:
        return expr(d + 1) + sp() + "?" + sp() + expr(d + 1) + sp() + ":" + sp() + expr(d + 1)
    if r < 0.6:
        items = [expr(d + 1) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.3 and items:
            return "[" + sp() + ("\n" + sp()).join(i + "," for i in items) + "\n" + sp() + "]"
        return "[" + sp() + ("," + sp()).join(items) + sp() + "]"
    if r < 0.7:
        items = [
            rng.choice(["k", '"q k"', "kk_long"]) + sp() + rng.choice(["=", ":"]) + sp() + expr(d + 1)
            for _ in range(rng.randint(0, 3))
        ]
        if rng.random() < 0.5:
            return (
                "{"
                + sp()
                + "\n"
                + "".join(sp() + i + sp() + rng.choice(["", " # c", " // c"]) + "\n" for i in items)
                + sp()
                + "}"
            )
        return "{" + sp() + ("," + sp()).join(items) + sp() + "}"
    if r < 0.77:
        return (
            rng.choice(["f", "upper", "merge"])
            + sp() * 0
            + "("
            + sp()
            + ("," + sp()).join(expr(d + 1) for _ in range(rng.randint(0, 3)))
            + sp()
            + ")"
        )
    if r < 0.82:
        return "(" + sp() + expr(d + 1) + sp() + ")"
    if r < 0.87:
        return (
            "["
            + sp()
            + "for"
            + sp()
            + "v"
            + sp()
            + "in"
            + sp()
            + expr(d + 1)
            + sp()
            + ":"
            + sp()
            + expr(d + 1)
            + sp()
            + "]"
        )
    if r < 0.9:
        return (
            "{"
            + sp()
            + "for"
            + " k, v "
            + "in"
            + sp()
            + expr(d + 1)
            + sp()
            + ":"
            + sp()
            + "k"
            + sp()
            + "=>"
            + sp()
            + expr(d + 1)
            + sp()
            + "}"
        )
    if r < 0.94:
        return "var.l" + rng.choice(["[*].id", ".*.id", "[0]", '["k"]', "[ 0 ]"])
    if r < 0.97:
        return (
            "<<"
            + rng.choice(["", "-"])
            + "EOT\n"
            + rng.choice(["line\n", "  ${x}\n", "a %{ if y }b%{ endif }\n", ""])
            + rng.choice(["", "  "])
            + "EOT\n"
        )
    return '"${' + sp() + expr(d + 1) + sp() + '}"'


def body(d: int = 0) -> str:
    out = []
    for _ in range(rng.randint(1, 6)):
        r = rng.random()
        ind = rng.choice(["", "  ", "    ", "\t", " "])
        if r < 0.6:
            line = ind + rng.choice(["a", "bb", "ccc_long", "d-e", "x"]) + sp() + "=" + sp() + expr()
            if line.endswith("\n"):
                out.append(line)
            else:
                out.append(
                    line + rng.choice(["", "", " # c", "   // cc", " /* b */"]) + rng.choice([" ", "", "\t"]) + "\n"
                )
        elif r < 0.75 and d < 3:
            out.append(
                ind
                + rng.choice(["blk", 'source "a" "b"', "build"])
                + sp()
                + "{"
                + rng.choice(["", " # c"])
                + "\n"
                + body(d + 1)
                + ind
                + "}"
                + rng.choice(["", " # e"])
                + "\n"
            )
        elif r < 0.85:
            out.append(ind + rng.choice(["# comment", "// c", "/* c */", "/* multi\n  line */"]) + "\n")
        else:
            out.append(rng.choice(["\n", "   \n", "\t\n"]))
    return "".join(out)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pkrfuzz.") as work:
        sources = {}
        for i in range(COUNT):
            text = body()
            if rng.random() < 0.1:
                text = text.rstrip("\n")
            if rng.random() < 0.05:
                text = text.replace("\n", "\r\n")
            name = f"c{i:04d}.pkr.hcl"
            sources[name] = text.encode()
            Path(work, name).write_bytes(sources[name])
        proc = subprocess.run(["packer", "fmt", "."], cwd=work, capture_output=True, text=True)
        rejected = {line.split()[-1] for line in proc.stdout.splitlines() if line.startswith("failed to parse HCL ")}
        ok = bad = false_accept = false_reject = 0
        for name, src in sources.items():
            parses = hcl_parses(src)
            if name in rejected:
                if parses:
                    false_accept += 1
                    print("ACCEPTED, Packer rejects:", repr(src.decode()))
                continue
            if not parses:
                false_reject += 1
                print("REJECTED, Packer formats:", repr(src.decode()))
            if format_hcl(src) == Path(work, name).read_bytes():
                ok += 1
            else:
                bad += 1
                print("FORMATTED DIFFERENTLY:", repr(src.decode()))
        print(
            f"same={ok} different={bad} packer_rejects={len(rejected)} we_accept={false_accept} we_reject={false_reject}"
        )
        if bad or false_accept or false_reject:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
