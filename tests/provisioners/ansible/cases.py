"""The builds whose Ansible invocations are recorded from Packer 1.6.6 (``record_packer.py``) and compared with
packer-py's (``test_packer_parity.py``).

Each case is a null-builder build against the harness's sshd with one ``ansible`` or ``ansible-local``
provisioner; ``ansible-playbook`` and ``ansible-galaxy`` are the fakes of ``fake_ansible.py`` (first on ``PATH``
for ``ansible``; given by absolute path in ``command``/``galaxy_command`` for ``ansible-local``, which runs them on
the instance). What is compared: the fakes' logs (argv, inventory, ``ANSIBLE_*`` environment, the private key's
first line, the staging directory's files), the whole UI output, the exit code and the inventory files left behind.

``run_case`` is shared by the recorder and the test so that both run in the same conditions. ``normalise`` replaces
only what differs from run to run: the case directory, temporary file names, ports, the sshd's key path, the
staging directory's UUID and durations.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.provisioners.ansible import fake_ansible

PLAYBOOK = "- hosts: all\n  tasks:\n    - debug: msg=hello\n"
ROLES_ONLY = "# roles\n- name: geerlingguy.java\n  src: git+https://example.invalid/ansible-role-java\n"
ROLES_AND_COLLECTIONS = (
    "roles:\n  - name: geerlingguy.java\n    src: git+https://example.invalid/ansible-role-java\n"
    "collections:\n  - name: community.general\n"
)
COLLECTIONS_ONLY = "collections:\n  - name: community.general\n"


@dataclass(frozen=True)
class Case:
    name: str
    provisioner: dict[str, object]
    files: dict[str, str] = field(default_factory=lambda: {"playbook.yml": PLAYBOOK})
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    """Makes files that are generated (keys) in the case directory."""

    def template(self) -> dict[str, object]:
        return {
            "variables": {"host": "", "port": "", "user": "", "key": "", "bin": ""},
            "builders": [
                {
                    "type": "null",
                    "ssh_host": "{{user `host`}}",
                    "ssh_port": "{{user `port`}}",
                    "ssh_username": "{{user `user`}}",
                    "ssh_private_key_file": "{{user `key`}}",
                }
            ],
            "provisioners": [self.provisioner],
        }


def _rsa_host_key(case_dir: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    (case_dir / "host_key").write_bytes(pem)


def _authorized_key(case_dir: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    public = ed25519.Ed25519PrivateKey.generate().public_key()
    line = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    (case_dir / "user_key.pub").write_bytes(line + b" ansible@test\n")


def _local(**keys: object) -> dict[str, object]:
    """An ansible-local provisioner whose commands are the fakes (the log and a listing of the staging directory)."""
    return {
        "type": "ansible-local",
        "command": "FAKE_ANSIBLE_LIST_CWD=1 {{user `bin`}}/ansible-playbook",
        "galaxy_command": "{{user `bin`}}/ansible-galaxy",
        "staging_directory": "{{template_dir}}/staging",
        **keys,
    }


CASES: dict[str, Case] = {
    case.name: case
    for case in (
        Case("proxy-defaults", {"type": "ansible", "playbook_file": "playbook.yml"}),
        Case(
            "proxy-options",
            {
                "type": "ansible",
                "playbook_file": "./playbook.yml",
                "groups": ["web", "db"],
                "empty_groups": ["spare"],
                "host_alias": "box",
                "user": "deploy",
                "extra_arguments": ["--tags", "web", "-e", "instance={{ build `ID` }}", "-vv"],
                "ansible_env_vars": ["FAKE_ENV_A=1", "ANSIBLE_NOCOLOR=True", "ANSIBLE_HOST_KEY_CHECKING=True"],
                "inventory_directory": "inv",
                "keep_inventory_file": True,
            },
            files={"playbook.yml": PLAYBOOK, "inv/.keep": ""},
        ),
        Case(
            "galaxy-roles",
            {
                "type": "ansible",
                "playbook_file": "playbook.yml",
                "galaxy_file": "requirements.yml",
                "galaxy_force_install": True,
                "roles_path": "roles",
            },
            files={"playbook.yml": PLAYBOOK, "requirements.yml": ROLES_ONLY},
        ),
        Case(
            "galaxy-roles-and-collections",
            {
                "type": "ansible",
                "playbook_file": "playbook.yml",
                "galaxy_file": "requirements.yml",
                "roles_path": "roles",
                "collections_path": "collections",
            },
            files={"playbook.yml": PLAYBOOK, "requirements.yml": ROLES_AND_COLLECTIONS},
        ),
        Case(
            "galaxy-collections",
            {
                "type": "ansible",
                "playbook_file": "playbook.yml",
                "galaxy_file": "requirements.yml",
                "galaxy_force_install": True,
                "collections_path": "collections",
            },
            files={"playbook.yml": PLAYBOOK, "requirements.yml": COLLECTIONS_ONLY},
        ),
        Case("no-proxy", {"type": "ansible", "playbook_file": "playbook.yml", "use_proxy": False}),
        Case(
            "no-proxy-user-and-groups",
            {"type": "ansible", "playbook_file": "playbook.yml", "use_proxy": False, "user": "ops", "groups": ["a"]},
        ),
        Case(
            "skip-version-check",
            {"type": "ansible", "playbook_file": "playbook.yml", "skip_version_check": True},
        ),
        Case(
            "ssh-extra-args",
            {
                "type": "ansible",
                "playbook_file": "playbook.yml",
                "ansible_ssh_extra_args": ["-o HostKeyAlgorithms=+ssh-rsa", " -o PubkeyAcceptedKeyTypes=+ssh-rsa"],
            },
        ),
        Case(
            "password-argument",
            {
                "type": "ansible",
                "playbook_file": "playbook.yml",
                "extra_arguments": ["-e", "ansible_password=hunter2"],
            },
        ),
        Case(
            "authorized-key-file",
            {"type": "ansible", "playbook_file": "playbook.yml", "ssh_authorized_key_file": "user_key.pub"},
            setup=_authorized_key,
        ),
        Case(
            "host-key-file-and-sftp",
            {"type": "ansible", "playbook_file": "playbook.yml", "ssh_host_key_file": "host_key", "use_sftp": True},
            setup=_rsa_host_key,
        ),
        Case(
            "inventory-file",
            {"type": "ansible", "playbook_file": "playbook.yml", "inventory_file": "hosts.ini"},
            files={"playbook.yml": PLAYBOOK, "hosts.ini": "[all]\nmine ansible_host=127.0.0.1\n"},
        ),
        Case(
            "inventory-template",
            {
                "type": "ansible",
                "playbook_file": "playbook.yml",
                "inventory_file_template": "{{ .HostAlias }} ansible_host={{ .Host }} id={{ .ID }} x={{ .User }}\n",
                "groups": ["g"],
            },
        ),
        Case(
            "playbook-fails",
            {"type": "ansible", "playbook_file": "playbook.yml"},
            env={"FAKE_ANSIBLE_EXIT_PLAYBOOK": "2"},
        ),
        Case(
            "galaxy-fails",
            {"type": "ansible", "playbook_file": "playbook.yml", "galaxy_file": "requirements.yml"},
            files={"playbook.yml": PLAYBOOK, "requirements.yml": ROLES_ONLY},
            env={"FAKE_ANSIBLE_EXIT_GALAXY": "1"},
        ),
        Case(
            "command-missing",
            {
                "type": "ansible",
                "playbook_file": "playbook.yml",
                "command": "no-such-ansible",
                "skip_version_check": True,
            },
        ),
        Case("local-defaults", _local(playbook_file="playbook.yml")),
        Case(
            "local-everything",
            _local(
                playbook_files=["site.yml", "extra/other.yml"],
                playbook_dir="pbdir",
                playbook_paths=["more"],
                role_paths=["roles/web"],
                group_vars="gv",
                host_vars="hv",
                galaxy_file="requirements.yml",
                inventory_groups=["web", "db"],
                extra_arguments=["--tags", "web", "-e", "x=1"],
                clean_staging_directory=True,
            ),
            files={
                "pbdir/site.yml": PLAYBOOK,
                "pbdir/vars/main.yml": "a: 1\n",
                "site.yml": PLAYBOOK,
                "extra/other.yml": PLAYBOOK,
                "more/one.yml": PLAYBOOK,
                "roles/web/tasks/main.yml": "- debug: msg=web\n",
                "gv/all.yml": "g: 1\n",
                "hv/default.yml": "h: 1\n",
                "requirements.yml": ROLES_ONLY,
            },
        ),
        Case(
            "local-inventory-file",
            _local(playbook_file="playbook.yml", inventory_file="hosts.ini"),
            files={"playbook.yml": PLAYBOOK, "hosts.ini": "127.0.0.1 ansible_connection=local\n"},
        ),
        Case(
            "local-fails",
            _local(
                playbook_file="playbook.yml", command="FAKE_ANSIBLE_EXIT_PLAYBOOK=2 {{user `bin`}}/ansible-playbook"
            ),
        ),
        Case("local-command-missing", _local(playbook_file="playbook.yml", command="no-such-ansible-playbook")),
    )
}


# -- running a case ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    host: str
    port: int
    user: str
    key: str


_RULES = [
    (re.compile(r"(packer-provisioner-ansible-local|packer-provisioner-ansible|ansible-key)[0-9A-Za-z_]+"), r"\1*"),
    (re.compile(r"(ansible(?:_ssh)?_port)=\d+"), r"\1=PORT"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID"),
    (re.compile(r"after (\d+ (hours?|minutes?|seconds?|milliseconds?|microseconds?|nanoseconds?) ?)+"), "after D"),
]


def normalise(text: str, replacements: dict[str, str]) -> str:
    for literal, name in sorted(replacements.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(literal, name)
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text


def run_case(case: Case, command: list[str], target: Target, root: Path, extra_env: dict[str, str]) -> dict[str, Any]:
    """Build ``case`` with ``command`` (``packer`` or packer-py) in ``root/<name>``; the normalised outcome."""
    case_dir = root / case.name
    shutil.rmtree(case_dir, ignore_errors=True)
    (case_dir / "tmp").mkdir(parents=True)
    for rel, text in case.files.items():
        path = case_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if case.setup is not None:
        case.setup(case_dir)
    (case_dir / "template.json").write_text(json.dumps(case.template(), indent=2))
    log = case_dir / "calls.jsonl"
    bin_dir = fake_ansible.install(case_dir / "bin", log)
    env = {
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(case_dir),
        "TMPDIR": str(case_dir / "tmp"),
        "CHECKPOINT_DISABLE": "1",
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        "FAKE_ANSIBLE_LOG": str(log),
        **extra_env,
        **case.env,
    }
    variables = {"host": target.host, "port": str(target.port), "user": target.user, "key": target.key}
    variables["bin"] = str(bin_dir)
    argv = [*command, "build", "-color=false"]
    for k, v in variables.items():
        argv += ["-var", f"{k}={v}"]
    proc = subprocess.run(
        [*argv, "template.json"],
        cwd=case_dir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,
    )
    # the staging directory of ansible-local holds playbook_files under their absolute paths: CASE without its "/"
    names = {str(case_dir): "CASE", str(case_dir)[1:]: "CASE", target.key: "KEY", f":{target.port}": ":SSHPORT"}
    calls = [json.loads(normalise(line, names)) for line in log.read_text().splitlines()] if log.exists() else []
    inventories = sorted(p.name for p in (case_dir / "tmp").iterdir() if "ansible" in p.name)
    if (case_dir / "inv").is_dir():
        inventories += sorted(f"inv/{p.name}" for p in (case_dir / "inv").iterdir() if p.name != ".keep")
    return {
        "exit_code": proc.returncode,
        "output": normalise(proc.stdout, names).splitlines(),
        "calls": calls,
        "left_behind": [normalise(name, names) for name in inventories],
    }
