"""Record what Packer 1.6.6 gives Ansible, case by case (``cases.py``), into ``goldens/<case>.json``.

    python -m tests.provisioners.ansible.record_packer            # every case
    python -m tests.provisioners.ansible.record_packer no-proxy   # some cases

Each case is built by the real ``packer build`` (``PACKER_BIN``, default ``packer``) with the null builder against
a harness sshd (``tests/harness/sshd.py``) and the fake ``ansible-playbook``/``ansible-galaxy`` of
``fake_ansible.py``, which log their argv, the inventory they were given, their ``ANSIBLE_*`` environment and the
files of their working directory. The golden holds those logs, Packer's whole output and exit code, and the
inventory files left behind, normalised by ``cases.normalise`` (temporary paths, ports, key paths, UUIDs,
durations). ``test_packer_parity.py`` builds the same cases with packer-py and compares.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.harness.sshd import Sshd
from tests.provisioners.ansible.cases import CASES, Target, run_case

GOLDENS = Path(__file__).resolve().parent / "goldens"
PACKER = os.environ.get("PACKER_BIN", "packer")


def main(names: list[str]) -> int:
    GOLDENS.mkdir(exist_ok=True)
    version = subprocess.run([PACKER, "version"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="record-ansible-") as tmp:
        root = Path(tmp)
        sshd = Sshd.start(root / "sshd")
        try:
            target = Target(sshd.host, sshd.port, sshd.user, str(sshd.client_key_path))
            for name in names or list(CASES):
                outcome = run_case(CASES[name], [PACKER], target, root / "cases", {})
                golden = {"command": f"{PACKER} build -color=false template.json", "packer_version": version}
                golden.update(outcome)
                (GOLDENS / f"{name}.json").write_text(json.dumps(golden, indent=2) + "\n")
                print(f"{name}: exit {outcome['exit_code']}, {len(outcome['calls'])} call(s)")
        finally:
            sshd.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
