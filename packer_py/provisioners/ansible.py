"""The ``ansible`` provisioner (Packer 1.6.6 ``provisioner/ansible``): ``ansible-playbook`` runs on this machine.

``Provisioning with Ansible...``; ``ansible_env_vars`` and ``extra_arguments`` are rendered again with the build's
generated data. Then, with ``use_proxy`` true or unset, ``Setting up proxy adapter for Ansible....``: a one-time
RSA user key (written to a temporary ``ansible-key*`` file, deleted afterwards) or ``ssh_authorized_key_file``, and a
local SSH server (``packer_py.communicator.adapter``) on ``127.0.0.1`` whose sessions run on the instance over the
build's communicator. With ``use_proxy: false`` Ansible connects to the instance itself, with the build's key
(``ssh_private_key_file``, or the temporary key written to an ``ansible-key*`` file) and, when ``user`` was not
set, the communicator's user. An instance without an address, or a communicator other than ssh, falls back to the
proxy with Packer's warning.

The inventory (unless ``inventory_file``) is a temporary ``packer-provisioner-ansible*`` file in
``inventory_directory``: ``inventory_file_template`` or Packer's line for the Ansible major version found by the
version check (``ansible_host=``… for 2 and later; the ``ansible_ssh_host=``… names when the check was skipped, as
Packer then knows no version), once per ``groups`` entry under ``[group]``, then the ``empty_groups`` headers; it
is deleted afterwards unless ``keep_inventory_file``.

With a ``galaxy_file``: ``ansible-galaxy install -r FILE [-f] [-p roles_path]`` when the file has a ``roles:`` line or
no ``collections:`` line, and ``ansible-galaxy collection install -r FILE [-f] [-p collections_path]`` when it has
one (Packer passes ``-f``/``-p`` although its docs say ``--force``/``--roles-path``); each after ``Executing Ansible
Galaxy``. Then ``Executing Ansible: ARGV`` (passwords masked) and the playbook, argv exactly as Packer builds it
(``playbook_args``). Every output line, stdout and stderr alike, is a UI message. A failure is
``Error executing Ansible: Non-zero exit status: exit status 2``.

Quirks kept from 1.6.6: ``ansible_ssh_extra_args`` entries are concatenated without a separator; ``roles_path``
is not exported to ``ansible-playbook``; ``packer_build_name`` is passed with Go's ``%q`` quotes.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from packer_py import gofmt
from packer_py.build.cancel import CancelEvent
from packer_py.build.interfaces import BuildUi, Communicator
from packer_py.build.provision import HTTP_ADDR_NOT_IMPLEMENTED
from packer_py.build.steps import Cancelled
from packer_py.errors import BuildError, InterpolationError, PackerPyError

log = logging.getLogger("packer_py.provisioners.ansible")

INVENTORY_V2 = "{{ .HostAlias }} ansible_host={{ .Host }} ansible_user={{ .User }} ansible_port={{ .Port }}\n"
INVENTORY_V1 = (
    "{{ .HostAlias }} ansible_ssh_host={{ .Host }} ansible_ssh_user={{ .User }} ansible_ssh_port={{ .Port }}\n"
)
INVENTORY_WINRM = (
    "{{ .HostAlias}} ansible_host={{ .Host }} ansible_connection=winrm ansible_winrm_transport=basic "
    "ansible_shell_type=powershell ansible_user={{ .User}} ansible_port={{ .Port }}\n"
)
NO_ADDRESS = (
    "Warning: use_proxy is false, but instance does not have an IP address to give to Ansible. Falling back to use "
    "localhost proxy."
)
NOT_SSH = (
    "Warning: use_proxy is false, but communicator is neither ssh nor winrm, so without the proxy ansible will not "
    "function. Falling back to localhost proxy."
)
KILL_GRACE = 5.0


class AnsibleError(BuildError):
    """A step of the provisioner failed; the text is Packer's (``Error executing Ansible: ...`` is added last)."""


# -- the arguments ---------------------------------------------------------------------------------------------------
def check_arg(name: str, args: Sequence[str]) -> bool:
    """Packer's ``checkArg``: ``name`` is one of the ``=``-separated parts of some argument."""
    return any(name in arg.split("=") for arg in args)


def galaxy_argvs(config: Mapping[str, Any], galaxy_text: str) -> list[list[str]]:
    """The ``ansible-galaxy`` invocations (arguments after the command) for a requirements file's text."""
    galaxy_file = str(config.get("galaxy_file") or "")
    roles = ["install", "-r", galaxy_file]
    collections = ["collection", "install", "-r", galaxy_file]
    if config.get("galaxy_force_install"):
        roles.append("-f")
        collections.append("-f")
    if config.get("roles_path"):
        roles += ["-p", str(config["roles_path"])]
    if config.get("collections_path"):
        collections += ["-p", str(config["collections_path"])]
    has_roles = re.search(r"(?m)^roles:", galaxy_text) is not None
    has_collections = re.search(r"(?m)^collections:", galaxy_text) is not None
    out = []
    if has_roles or not has_collections:
        out.append(roles)
    if has_collections:
        out.append(collections)
    return out


@dataclass(frozen=True)
class PlaybookRun:
    """``createCmdArgs``'s inputs that are not the provisioner's config."""

    http_addr: str
    inventory: str
    playbook: str
    private_key_file: str
    conn_type: str
    use_proxy_false: bool
    password: str = ""


def playbook_args(config: Mapping[str, Any], extra_arguments: Sequence[str], run: PlaybookRun) -> list[str]:
    """Packer's ``createCmdArgs``: the ``ansible-playbook`` arguments, in Packer's order."""
    args: list[str] = []
    build_name = str(config.get("packer_build_name") or "")
    if build_name:
        args += ["-e", f"packer_build_name={gofmt.quote(build_name)}"]
    args += ["-e", f"packer_builder_type={config.get('packer_builder_type') or ''}"]
    if run.http_addr != HTTP_ADDR_NOT_IMPLEMENTED:
        args += ["-e", f"packer_http_addr={run.http_addr}"]
    if run.conn_type == "ssh" and run.private_key_file:
        ssh_extra = [str(a) for a in config.get("ansible_ssh_extra_args") or []]
        if ssh_extra:
            args += ["--ssh-extra-args", "'" + "".join(ssh_extra) + "'"]  # sic: no separator in 1.6.6
        else:
            args += ["--ssh-extra-args", "'-o IdentitiesOnly=yes'"]
    args += list(extra_arguments)
    if not check_arg("ansible_password", args) and run.use_proxy_false and run.conn_type == "winrm":
        args += ["-e", f"ansible_password={run.password}"]
    if not check_arg("ansible_password", args) and run.private_key_file:
        args += ["-e", f"ansible_ssh_private_key_file={run.private_key_file}"]
    if check_arg("ansible_password", args) and run.conn_type == "ssh":
        env_vars = [str(v) for v in config.get("ansible_env_vars") or []]
        if not check_arg("ansible_host_key_checking", args) and not check_arg("ANSIBLE_HOST_KEY_CHECKING", env_vars):
            args += ["-e", "ansible_host_key_checking=False"]
    return [*args, "-i", run.inventory, run.playbook]


def inventory_text(config: Mapping[str, Any], host_line: str) -> str:
    """The inventory's content for a rendered host line: the line, each group with the line, the empty groups."""
    out = host_line
    for group in config.get("groups") or []:
        out += f"[{group}]\n{host_line}"
    for group in config.get("empty_groups") or []:
        out += f"[{group}]\n"
    return out


def inventory_template(config: Mapping[str, Any], major_version: int, use_proxy_false: bool, conn_type: object) -> str:
    template = str(config.get("inventory_file_template") or "")
    if template:
        return template
    if use_proxy_false and conn_type == "winrm":
        return INVENTORY_WINRM
    return INVENTORY_V1 if major_version < 2 else INVENTORY_V2


def merged_env(environ: Mapping[str, str], pairs: Sequence[str]) -> dict[str, str]:
    """``cmd.Env = os.Environ() + ansible_env_vars``: Go keeps the last value of a repeated key."""
    env = dict(environ)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if sep:
            env[key] = value
    return env


def look_path(command: str, environ: Mapping[str, str], cwd: str) -> str:
    """``exec.Command``'s ``LookPath``; raises ``AnsibleError`` with Go's text when the command is missing."""
    if "/" in command:
        return command if os.path.isabs(command) else os.path.join(cwd, command)
    found = shutil.which(command, path=environ.get("PATH", ""))
    if found is None:
        raise AnsibleError(f'exec: "{command}": executable file not found in $PATH')
    return found


def run_streamed(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: str,
    emit: Callable[[str], None],
    cancel: CancelEvent,
) -> str | None:
    """Run a local command, every stdout and stderr line (right-trimmed) to ``emit``; returns Go's ``cmd.Wait()``
    error text (``exit status 2``, ``signal: killed``) or None. A cancel interrupts the command's process group as
    Ctrl-C would, then kills it."""
    cancel.check()
    try:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise AnsibleError(f"fork/exec {argv[0]}: {(exc.strerror or str(exc)).lower()}") from None
    lock = threading.Lock()

    def pump(stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            with lock:
                emit(line)
        stream.close()

    assert proc.stdout is not None and proc.stderr is not None
    pumps = [threading.Thread(target=pump, args=(s,), daemon=True) for s in (proc.stdout, proc.stderr)]
    for t in pumps:
        t.start()

    def interrupt() -> None:
        for sig in (signal.SIGINT, signal.SIGKILL):
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=KILL_GRACE)
                return
            except subprocess.TimeoutExpired:
                continue

    with cancel.interrupting(lambda: threading.Thread(target=interrupt, daemon=True).start()):
        code = proc.wait()
        for t in pumps:
            t.join(None if not cancel.is_set() else KILL_GRACE)
    if cancel.is_set():
        raise Cancelled(cancel.reason)
    if code == 0:
        return None
    if code < 0:
        return f"signal: {_signal_name(-code)}"
    return f"exit status {code}"


def _signal_name(number: int) -> str:
    """Go's ``syscall.Signal.String()`` for the common ones."""
    names = {2: "interrupt", 9: "killed", 15: "terminated", 1: "hangup", 6: "aborted", 11: "segmentation fault"}
    return names.get(number, f"signal {number}")


def _temp_file(prefix: str, content: bytes, directory: str | None = None) -> str:
    """Go's ``ioutil.TempFile(dir, prefix)``: ``dir/prefix<random digits>`` (``dir`` kept relative when it is, the
    system's temporary directory when empty), mode 0600."""
    folder = directory or tempfile.gettempdir()
    for _ in range(10000):
        path = os.path.join(folder, f"{prefix}{random.randrange(1 << 32)}")
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        return path
    raise AnsibleError(f"open {folder}/{prefix}: file exists")


# -- the provisioner -------------------------------------------------------------------------------------------------
class AnsibleProvisioner:
    def __init__(self, config: dict[str, Any], render_ctx: Any, environ: Mapping[str, str]) -> None:
        self.config = config
        self.render_ctx = render_ctx
        self.environ = dict(environ)
        self.cwd = str(getattr(render_ctx, "cwd", None) or os.getcwd())

    def _render(self, text: str, data: Mapping[str, object]) -> str:
        from packer_py.interpolate.gotemplate import render

        return render(text, replace(self.render_ctx, data=dict(data), build_data=None))

    def _major_version(self) -> int:
        """The version Packer's Prepare found; 0 when the check was skipped (Packer then picks the v1 names)."""
        if self.config.get("skip_version_check"):
            return 0
        from packer_py.schema.rules.ansible import major_version, probe_version
        from packer_py.schema.rules.outcome import RuleEnv

        version, _error = probe_version(
            str(self.config.get("command") or "ansible-playbook"), RuleEnv(cwd=Path(self.cwd), environ=self.environ)
        )
        return major_version(version) if version else 0

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        ui.say("Provisioning with Ansible...")
        try:
            self._provision(ui, comm, data, cancel)
        except AnsibleError as exc:
            raise BuildError(f"Error executing Ansible: {exc}") from None

    def _provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        cfg = self.config
        try:
            env_vars = [self._render(str(v), data) for v in cfg.get("ansible_env_vars") or []]
            extra_arguments = [self._render(str(v), data) for v in cfg.get("extra_arguments") or []]
        except InterpolationError as exc:
            raise BuildError(f"Could not interpolate ansible env vars: {exc}") from None
        use_proxy_false = cfg.get("use_proxy") is False
        if use_proxy_false:
            if not data.get("Host"):
                ui.error(NO_ADDRESS)
                use_proxy_false = False
            if data.get("ConnType") not in ("ssh", "winrm"):
                ui.error(NOT_SSH)
                use_proxy_false = False
        user = str(cfg.get("user") or "")
        cleanups: list[Callable[[], None]] = []
        try:
            private_key_file = ""
            port = data.get("Port")
            if not use_proxy_false:
                adapter, private_key_file = self._setup_adapter(ui, comm, user)
                cleanups.append(adapter.shutdown)
                if private_key_file:
                    cleanups.append(functools.partial(_remove, private_key_file))
                adapter.serve()
                port = adapter.port
            elif data.get("ConnType") == "ssh":
                ui.message("Not using Proxy adapter for Ansible run:\n\tUsing ssh keys from Packer communicator...")
                key_file = str(data.get("SSHPrivateKeyFile") or "")
                if key_file or data.get("SSHAgentAuth"):
                    private_key_file = key_file
                else:
                    # Packer leaves this copy of the build's private key behind; packer-py deletes it afterwards
                    private_key_file = _temp_file("ansible-key", str(data.get("SSHPrivateKey") or "").encode())
                    cleanups.append(functools.partial(_remove, private_key_file))
                if cfg.get("_user_was_empty"):
                    user = str(data.get("User") or "")
            else:
                ui.message(
                    "Not using Proxy adapter for Ansible run:\n\tUsing WinRM Password from Packer communicator..."
                )
            inventory = str(cfg.get("inventory_file") or "")
            if not inventory:
                inventory = self._inventory(data, user, port, use_proxy_false)
                if not cfg.get("keep_inventory_file"):
                    cleanups.append(functools.partial(_remove, inventory))
            self._execute(ui, data, cancel, inventory, private_key_file, env_vars, extra_arguments, use_proxy_false)
        finally:
            for cleanup in reversed(cleanups):
                cleanup()

    def _setup_adapter(self, ui: BuildUi, comm: Communicator | None, user: str) -> tuple[Any, str]:
        from packer_py.communicator import adapter as proxy

        cfg = self.config
        ui.message("Setting up proxy adapter for Ansible....")
        private_key_file = ""
        try:
            if cfg.get("ssh_authorized_key_file"):
                user_key = proxy.read_authorized_key(str(cfg["ssh_authorized_key_file"]))
            else:
                user_key, pem = proxy.generate_user_key()
                private_key_file = _temp_file("ansible-key", pem)
            try:
                keys = proxy.host_keys(
                    str(cfg.get("ssh_host_key_file") or ""), str(cfg.get("ansible_proxy_key_type") or "")
                )
                listener = proxy.listen(int(cfg.get("local_port") or 0), ui.say)
            except PackerPyError:
                if private_key_file:
                    _remove(private_key_file)
                raise
        except proxy.AdapterError as exc:
            raise AnsibleError(str(exc)) from None
        adapter = proxy.SSHAdapter(
            comm,  # type: ignore[arg-type]
            listener,
            user=user,
            user_key=user_key,
            host_keys=keys,
            sftp_command=str(cfg.get("sftp_command") or ""),
            on_error=ui.error,
        )
        return adapter, private_key_file

    def _inventory(self, data: dict[str, object], user: str, port: object, use_proxy_false: bool) -> str:
        cfg = self.config
        log.info("Creating inventory file for Ansible run...")
        context = dict(data)
        context["HostAlias"] = str(cfg.get("host_alias") or "default")
        context["User"] = user
        if not use_proxy_false:
            context["Host"] = "127.0.0.1"
            context["Port"] = port
        template = inventory_template(cfg, self._major_version(), use_proxy_false, data.get("ConnType"))
        try:
            host_line = self._render(template, context)
        except InterpolationError as exc:
            raise AnsibleError(f"Error generating inventory file from template: {exc}") from None
        directory = str(cfg.get("inventory_directory") or "") or None
        try:
            return _temp_file("packer-provisioner-ansible", inventory_text(cfg, host_line).encode(), directory)
        except OSError as exc:
            raise AnsibleError(f"Error preparing inventory file: {exc}") from None

    def _execute(
        self,
        ui: BuildUi,
        data: Mapping[str, object],
        cancel: CancelEvent,
        inventory: str,
        private_key_file: str,
        env_vars: list[str],
        extra_arguments: list[str],
        use_proxy_false: bool,
    ) -> None:
        cfg = self.config
        playbook = os.path.normpath(os.path.join(self.cwd, str(cfg.get("playbook_file") or "")))
        if cfg.get("galaxy_file"):
            try:
                self._galaxy(ui, cancel)
            except AnsibleError as exc:
                raise AnsibleError(f"Error executing Ansible Galaxy: {exc}") from None
        run = PlaybookRun(
            http_addr=str(data.get("PackerHTTPAddr") or HTTP_ADDR_NOT_IMPLEMENTED),
            inventory=inventory,
            playbook=playbook,
            private_key_file=private_key_file,
            conn_type=str(data.get("ConnType") or ""),
            use_proxy_false=use_proxy_false,
            password=str(data.get("Password") or ""),
        )
        config = {**cfg, "ansible_env_vars": env_vars}
        args = playbook_args(config, extra_arguments, run)
        command = str(cfg.get("command") or "ansible-playbook")
        shown = " ".join([command, *args])
        for secret in (data.get("WinRMPassword"), data.get("Password") if check_arg("ansible_password", args) else ""):
            if secret:
                shown = shown.replace(str(secret), "*****")
        ui.say(f"Executing Ansible: {shown}")
        executable = look_path(command, self.environ, self.cwd)
        failure = run_streamed(
            [executable, *args], env=merged_env(self.environ, env_vars), cwd=self.cwd, emit=ui.message, cancel=cancel
        )
        if failure is not None:
            raise AnsibleError(f"Non-zero exit status: {failure}")

    def _galaxy(self, ui: BuildUi, cancel: CancelEvent) -> None:
        cfg = self.config
        galaxy_file = str(cfg.get("galaxy_file") or "")
        try:
            with open(os.path.join(self.cwd, galaxy_file), encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError as exc:
            raise AnsibleError(f"open {galaxy_file}: {(exc.strerror or str(exc)).lower()}") from None
        command = str(cfg.get("galaxy_command") or "ansible-galaxy")
        for args in galaxy_argvs(cfg, text):
            ui.message("Executing Ansible Galaxy")
            executable = look_path(command, self.environ, self.cwd)
            failure = run_streamed([executable, *args], env=self.environ, cwd=self.cwd, emit=ui.message, cancel=cancel)
            if failure is not None:
                raise AnsibleError(f"Non-zero exit status: {failure}")


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)
