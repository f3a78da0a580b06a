"""The ansible-local provisioner's ``Prepare`` (provisioner/ansible-local/provisioner.go, Packer 1.6.6).

Everything happens on the remote machine later; here only the local files and directories are checked.
"""

from __future__ import annotations

from packer_py.schema.rules.ansible import dir_error, file_error
from packer_py.schema.rules.outcome import Checks, Prepared, RuleEnv, str_list

E_PLAYBOOK_BOTH = "E650"
E_PLAYBOOK_NONE = "E651"
E_FILE = "E652"
E_DIRECTORY = "E653"

STAGING_DIR = "/tmp/packer-provisioner-ansible-local"


def prepare(cfg: dict[str, object], env: RuleEnv) -> Prepared:
    if cfg["command"] == "":
        cfg["command"] = "ANSIBLE_FORCE_COLOR=1 PYTHONUNBUFFERED=1 ansible-playbook"
    if cfg["galaxy_command"] == "":
        cfg["galaxy_command"] = "ansible-galaxy"
    if cfg["staging_directory"] == "":
        cfg["staging_directory"] = f"{STAGING_DIR}/{env.new_uuid()}"
    checks = Checks()
    playbook_files: list[str] = cfg["playbook_files"] or []  # type: ignore[assignment]
    if playbook_files and cfg["playbook_file"] != "":
        checks.error(
            E_PLAYBOOK_BOTH, "Either playbook_file or playbook_files can be specified, not both", "playbook_files"
        )
    if not playbook_files and cfg["playbook_file"] == "":
        checks.error(E_PLAYBOOK_NONE, "Either playbook_file or playbook_files must be specified", "playbook_file")
    if cfg["playbook_file"] != "":
        problem = file_error(str(cfg["playbook_file"]), "playbook_file", env)
        if problem is not None:
            checks.error(E_FILE, problem, "playbook_file")
    for index, path in enumerate(playbook_files):
        problem = file_error(path, "playbook_files", env)
        if problem is not None:
            checks.error(E_FILE, problem, "playbook_files", index)
    for option in ("inventory_file", "galaxy_file"):
        if cfg[option]:
            problem = file_error(str(cfg[option]), option, env)
            if problem is not None:
                checks.error(E_FILE, problem, option)
    for option in ("playbook_dir", "group_vars", "host_vars"):
        if cfg[option]:
            problem = dir_error(str(cfg[option]), option, env)
            if problem is not None:
                checks.error(E_DIRECTORY, problem, option)
    for option in ("playbook_paths", "role_paths"):
        for index, path in enumerate(str_list(cfg, option)):
            problem = dir_error(path, option, env)
            if problem is not None:
                checks.error(E_DIRECTORY, problem, option, index)
    return Prepared.from_checks(cfg, checks)
