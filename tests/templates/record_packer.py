"""Record ``packer validate`` of the seed's Jenkins template (JSON and HCL2) with and without Ansible on ``PATH``.

    python -m tests.templates.record_packer

Writes ``goldens/validate-<form>-<with|without>-ansible.{out,rc}`` (stdout and stderr together, as a terminal shows
them), run from ``templates/`` as the README says. Without Ansible, Packer 1.6.6's Prepare of the ansible
provisioner fails on its ``ansible-playbook --version`` check; ``test_jenkins_validate.py`` compares packer-py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GOLDENS = HERE / "goldens"
PACKER = os.environ.get("PACKER_BIN", "packer")
FORMS = {"json": "jenkins.json", "hcl": "jenkins.pkr.hcl"}
WITHOUT_ANSIBLE = "/usr/bin:/bin"
WITH_ANSIBLE = f"{Path(sys.executable).parent}:/usr/bin:/bin"
"""ansible-core installed in this Python's environment (``pip install -e '.[test]'``)."""


def validate(command: list[str], template: str, path: str, extra_env: dict[str, str] | None = None) -> tuple[str, int]:
    env = {"PATH": path, "HOME": os.environ.get("HOME", "/root"), "CHECKPOINT_DISABLE": "1", "LANG": "C.UTF-8"}
    env.update(extra_env or {})
    proc = subprocess.run(
        [*command, "validate", template],
        cwd=REPO / "templates",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )
    return proc.stdout, proc.returncode


def main() -> int:
    GOLDENS.mkdir(exist_ok=True)
    for form, template in FORMS.items():
        for label, path in (("with", WITH_ANSIBLE), ("without", WITHOUT_ANSIBLE)):
            out, rc = validate([PACKER], template, path)
            (GOLDENS / f"validate-{form}-{label}-ansible.out").write_text(out)
            (GOLDENS / f"validate-{form}-{label}-ansible.rc").write_text(f"{rc}\n")
            print(f"{form} {label} ansible: rc {rc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
