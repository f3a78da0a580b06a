"""Time ``validate -syntax-only`` of a multi-file HCL2 folder: packer-py against Packer, interleaved.

Usage: ``python bench/validate_hcl.py [--runs N] [--files N] [--packer PATH]``. The folder is generated (variables,
locals, sources with nested blocks, builds with provisioners and post-processor chains, heredocs and templates) so
the benchmark needs no network and no corpus. Runs alternate between the two tools; the medians and their ratio are
printed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

FILE = """
variable "region_{i}" {{
  type    = string
  default = "us-east-{i}"
}}

variable "sizes_{i}" {{
  type    = list(number)
  default = [8, 16, 32]
}}

locals {{
  name_{i}  = "image-${{var.region_{i}}}"
  sizes_{i} = [for s in var.sizes_{i} : s * 2 if s > 8]
}}

source "amazon-ebs" "s{i}" {{
  ami_name      = "${{local.name_{i}}} {{{{timestamp}}}}"
  instance_type = "t3.micro"
  region        = var.region_{i}
  source_ami_filter {{
    filters = {{
      name                = "ubuntu/images/*"
      virtualization-type = "hvm"
    }}
    owners      = ["099720109477"]
    most_recent = true
  }}
  tags = {{
    Name = "%{{ if var.region_{i} != "" }}${{upper(var.region_{i})}}%{{ endif }}"
  }}
}}

build {{
  name    = "b{i}"
  sources = ["source.amazon-ebs.s{i}"]

  provisioner "shell" {{
    inline = [<<-EOT
      echo building ${{local.name_{i}}}
      EOT
    ]
  }}

  post-processors {{
    post-processor "manifest" {{
      output = "manifest-{i}.json"
    }}
  }}
}}
"""


def make_folder(root: Path, files: int) -> Path:
    folder = root / "tpl"
    folder.mkdir()
    for i in range(files):
        (folder / f"part{i:02d}.pkr.hcl").write_text(FILE.format(i=i))
    return folder


def once(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or "Syntax-only check passed" not in proc.stdout:
        raise SystemExit(f"{argv[0]} failed:\n{proc.stdout}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--packer", default="packer")
    args = parser.parse_args()
    packer = shutil.which(args.packer)
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_folder(Path(tmp), args.files)
        ours = [sys.executable, "-m", "packer_py", "validate", "-syntax-only", str(folder)]
        theirs = [packer, "validate", "-syntax-only", str(folder)] if packer else None
        once(ours, REPO)  # warm the bytecode cache
        t_ours: list[float] = []
        t_theirs: list[float] = []
        for _ in range(args.runs):
            t_ours.append(once(ours, REPO))
            if theirs:
                t_theirs.append(once(theirs, REPO))
        m_ours = statistics.median(t_ours)
        print(f"files={args.files} runs={args.runs}")
        print(f"packer-py validate -syntax-only: median {m_ours * 1000:.0f} ms")
        if theirs:
            m_theirs = statistics.median(t_theirs)
            print(f"packer    validate -syntax-only: median {m_theirs * 1000:.0f} ms")
            print(f"ratio packer-py / packer: {m_ours / m_theirs:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
