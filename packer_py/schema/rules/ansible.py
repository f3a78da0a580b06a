"""The ansible provisioner's ``Prepare`` (provisioner/ansible/provisioner.go, Packer 1.6.6).

Files are checked first (``playbook_file`` required and a file; ``galaxy_file``, ``ssh_authorized_key_file``,
``ssh_host_key_file`` files; ``inventory_directory`` a directory; ``local_port`` a port), and then, **whatever
those checks found**, ``<command> --version`` is run unless ``skip_version_check`` is set. That is why
``packer validate`` fails on a machine without Ansible even when the playbook is missing too:

    * playbook_file: nope.yml is invalid: stat nope.yml: no such file or directory
    * Error running "ansible-playbook --version": exec: "ansible-playbook": executable file not found in $PATH

``user`` defaults to the local user running Packer.
"""

from __future__ import annotations

import os
import pwd
import re
import subprocess

from packer_py.schema.rules.files import stat
from packer_py.schema.rules.outcome import Checks, Prepared, RuleEnv

E_FILE = "E600"
E_LOCAL_PORT = "E601"
E_INVENTORY_DIRECTORY = "E602"
E_VERSION = "E603"
E_USER = "E604"

USER_WAS_EMPTY = "_user_was_empty"
"""Packer's ``userWasEmpty``: with ``use_proxy: false`` an unset ``user`` becomes the communicator's user."""


def file_error(path: str, option: str, env: RuleEnv) -> str | None:
    """``validateFileConfig(name, config, req=true)``."""
    if path == "":
        return f"{option} must be specified."
    result = stat(path, env)
    if result.error is not None:
        return f"{option}: {path} is invalid: {result.error}"
    if result.is_dir:
        return f"{option}: {path} must point to a file"
    return None


def dir_error(path: str, option: str, env: RuleEnv) -> str | None:
    result = stat(path, env)
    if result.error is not None:
        return f"{option}: {path} is invalid: {result.error}"
    if not result.is_dir:
        return f"{option}: {path} must point to a directory"
    return None


def _look_path(command: str, env: RuleEnv) -> str | None:
    """``exec.LookPath``: names with a slash are used as is; others are searched on the build's ``PATH``."""
    if "/" in command:
        return str(env.cwd / command)
    for directory in env.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(directory or ".", command)
        if not os.path.isabs(candidate):
            candidate = str(env.cwd / candidate)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


_VERSIONS: dict[tuple[str, str], str] = {}
"""Versions found, by (command path, cwd): the build's provisioner reads the one its Prepare found."""


def probe_version(command: str, env: RuleEnv) -> tuple[str | None, str | None]:
    """Run ``<command> --version`` as Packer's ``getVersion`` does: (version, None) or (None, Packer's error)."""
    path = _look_path(command, env)
    if path is None:
        return None, f'Error running "{command} --version": exec: "{command}": executable file not found in $PATH'
    cached = _VERSIONS.get((path, str(env.cwd)))
    if cached is not None:
        return cached, None
    try:
        done = subprocess.run(
            [path, "--version"], cwd=env.cwd, env=dict(env.environ), capture_output=True, timeout=60, check=False
        )
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, f'Error running "{command} --version": fork/exec {command}: {reason.lower()}'
    except subprocess.TimeoutExpired:
        return None, f'Error running "{command} --version": signal: killed'
    if done.returncode != 0:
        return None, f'Error running "{command} --version": exit status {done.returncode}'
    out = done.stdout.decode("utf-8", "replace")
    match = re.search(r"\w (\d+\.\d+[.\d+]*)", out)
    if match is None:
        return None, f"Could not find {command} version in output:\n{out}"
    _VERSIONS[(path, str(env.cwd))] = match.group(1)
    return match.group(1), None


def version_probe(command: str, env: RuleEnv) -> str | None:
    """Run ``<command> --version`` as Packer does; Packer's error text, or None when a version was found."""
    return probe_version(command, env)[1]


def major_version(version: str) -> int:
    """``strconv.ParseUint`` of the part before the first dot (0 when it is not a number)."""
    head = version.split(".")[0]
    return int(head) if head.isdigit() else 0


def prepare(cfg: dict[str, object], env: RuleEnv) -> Prepared:
    if cfg["command"] == "":
        cfg["command"] = "ansible-playbook"
    if cfg["galaxy_command"] == "":
        cfg["galaxy_command"] = "ansible-galaxy"
    if cfg["host_alias"] == "":
        cfg["host_alias"] = "default"
    checks = Checks()
    problem = file_error(str(cfg["playbook_file"]), "playbook_file", env)
    if problem is not None:
        checks.error(E_FILE, problem, "playbook_file")
    for option in ("galaxy_file", "ssh_authorized_key_file"):
        if cfg[option]:
            problem = file_error(str(cfg[option]), option, env)
            if problem is not None:
                checks.error(E_FILE, problem, option)
    env_vars: list[str] = list(cfg["ansible_env_vars"] or [])  # type: ignore[call-overload]
    if cfg["ssh_host_key_file"]:
        problem = file_error(str(cfg["ssh_host_key_file"]), "ssh_host_key_file", env)
        if problem is not None:
            checks.error(E_FILE, problem, "ssh_host_key_file")
    else:
        env_vars.append("ANSIBLE_HOST_KEY_CHECKING=False")
    if not cfg["use_sftp"]:
        env_vars.append("ANSIBLE_SCP_IF_SSH=True")
    cfg["ansible_env_vars"] = env_vars
    local_port = cfg["local_port"]
    assert isinstance(local_port, int)
    if local_port > 65535:
        checks.error(E_LOCAL_PORT, f"local_port: {local_port} must be a valid port", "local_port")
    if cfg["inventory_directory"]:
        problem = dir_error(str(cfg["inventory_directory"]), "inventory_directory", env)
        if problem is not None:
            checks.error(E_INVENTORY_DIRECTORY, problem, "inventory_directory")
    if not cfg["skip_version_check"]:
        probe = env.run_version_probe or version_probe
        problem = probe(str(cfg["command"]), env)
        if problem is not None:
            checks.error(E_VERSION, problem, "command" if cfg["command"] != "ansible-playbook" else "playbook_file")
    if cfg["user"] == "":
        try:
            cfg["user"] = pwd.getpwuid(os.getuid()).pw_name  # Go's user.Current()
        except KeyError:
            cfg["user"] = env.environ.get("USER", "")
        cfg[USER_WAS_EMPTY] = True
        if cfg["user"] == "":
            checks.error(E_USER, "user: could not determine current user from environment.", "user")
    return Prepared.from_checks(cfg, checks)
