"""The ``ansible-local`` provisioner (Packer 1.6.6 ``provisioner/ansible-local``): Ansible runs on the instance.

Everything goes into ``staging_directory`` (default ``/tmp/packer-provisioner-ansible-local/<uuid>``, chosen at
prepare): ``playbook_dir``'s contents (or an empty directory), the playbook (``playbook_file`` at the top;
``playbook_files`` at ``STAGING/<absolute local path>``, or relative to ``playbook_dir`` when inside it, which was
uploaded already), the ``galaxy_file``, an inventory (``inventory_file``, or a temporary
``packer-provisioner-ansible-local*`` file listing ``127.0.0.1``, under each ``inventory_groups`` header when
given), ``group_vars``/``host_vars``, each of ``role_paths`` under ``roles/<name>`` and each of ``playbook_paths``
under ``playbooks/<name>``. Directories are made with ``mkdir -p 'DIR'`` and filled with their contents; files are
uploaded with mode 0644.

Then, on the instance: ``cd STAGING && ansible-galaxy install -r STAGING/FILE -p STAGING/roles`` when there is a
galaxy file, and per playbook ``cd STAGING && COMMAND PLAYBOOK --extra-vars "packer_build_name=...
packer_builder_type=... packer_http_addr=... -o IdentitiesOnly=yes" EXTRA -c local -i STAGING/INVENTORY``
(Packer 1.6.6 really puts ``-o IdentitiesOnly=yes`` inside the extra vars). Output streams as any remote command's
(stdout as messages, stderr as errors). Exit status 127 means the command is missing on the instance. With
``clean_staging_directory`` the staging directory is removed (``rm -rf 'DIR'``) after a successful run.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import tempfile
from collections.abc import Mapping
from typing import Any

from packer_py.build.cancel import CancelEvent
from packer_py.build.interfaces import BuildUi, Communicator
from packer_py.errors import BuildError, PackerPyError
from packer_py.provisioners.remote import run_with_ui

COMMAND_NOT_FOUND = 127


class _Failure(BuildError):
    """A step failed; the provisioner wraps the text as Packer does."""


def extra_vars(config: Mapping[str, Any], http_addr: str) -> str:
    """``executeAnsible``'s ``extraArgs``: a leading and a trailing space, then the user's extra arguments."""
    out = (
        f' --extra-vars "packer_build_name={config.get("packer_build_name") or ""} '
        f"packer_builder_type={config.get('packer_builder_type') or ''} "
        f'packer_http_addr={http_addr} -o IdentitiesOnly=yes" '
    )
    extra = [str(a) for a in config.get("extra_arguments") or []]
    if extra:
        out += " ".join(extra)
    return out


def playbook_command(config: Mapping[str, Any], playbook: str, extra: str, inventory: str) -> str:
    staging = str(config["staging_directory"])
    return f"cd {staging} && {config.get('command')} {playbook}{extra} -c local -i {inventory}"


def galaxy_command(config: Mapping[str, Any]) -> str:
    staging = str(config["staging_directory"])
    galaxy_file = posixpath.join(staging, os.path.basename(str(config["galaxy_file"])))
    roles = posixpath.join(staging, "roles")
    return f"cd {staging} && {config.get('galaxy_command')} install -r {galaxy_file} -p {roles}"


def inventory_content(groups: list[str]) -> str:
    if groups:
        return "".join(f"[{group}]\n127.0.0.1\n" for group in groups)
    return "127.0.0.1"


def remote_playbooks(config: Mapping[str, Any], cwd: str) -> list[tuple[str, str | None]]:
    """``playbook_files`` as (path under the staging directory, local file to upload or None when ``playbook_dir``
    brought it already)."""
    playbook_dir = str(config.get("playbook_dir") or "")
    base = os.path.abspath(os.path.join(cwd, playbook_dir)) if playbook_dir else ""
    out: list[tuple[str, str | None]] = []
    for path in config.get("playbook_files") or []:
        local = os.path.abspath(os.path.join(cwd, str(path)))
        if base and local.startswith(base):
            out.append((local[len(base) :], None))  # sic: a plain prefix test, as Packer's strings.HasPrefix
        else:
            out.append((local, local))
    return out


def _join(staging: str, path: str) -> str:
    """Go's ``filepath.Join``: an absolute second part is appended, not substituted."""
    return posixpath.normpath(staging + "/" + path)


class AnsibleLocalProvisioner:
    def __init__(self, config: dict[str, Any], render_ctx: Any, environ: Mapping[str, str]) -> None:
        self.config = config
        self.cwd = str(getattr(render_ctx, "cwd", None) or os.getcwd())

    def _local(self, path: str) -> str:
        return os.path.join(self.cwd, path)

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        assert comm is not None
        ui.say("Provisioning with Ansible...")
        try:
            self._provision(ui, comm, data, cancel)
        except _Failure as exc:
            raise BuildError(str(exc)) from None

    def _provision(self, ui: BuildUi, comm: Communicator, data: dict[str, object], cancel: CancelEvent) -> None:
        cfg = self.config
        staging = str(cfg["staging_directory"])
        if cfg.get("playbook_dir"):
            ui.message("Uploading Playbook directory to Ansible staging directory...")
            context = "Error uploading playbook_dir directory"
            self._upload_dir(ui, comm, cancel, staging, str(cfg["playbook_dir"]), context)
        else:
            ui.message("Creating Ansible staging directory...")
            self._create_dir(ui, comm, cancel, staging, "Error creating staging directory")
        playbooks: list[str] = []
        if cfg.get("playbook_file"):
            ui.message("Uploading main Playbook file...")
            src = str(cfg["playbook_file"])
            playbooks.append(_join(staging, os.path.basename(src)))
            self._upload_file(comm, playbooks[-1], src, "Error uploading main playbook")
        else:
            for remote, local in remote_playbooks(cfg, self.cwd):
                playbooks.append(_join(staging, remote))
                if local is None:
                    continue
                ui.message(f"Uploading playbook file: {local}")
                try:
                    self._create_dir(ui, comm, cancel, _join(staging, os.path.dirname(local)), "")
                except _Failure as exc:
                    raise _Failure(f"Error uploading playbook file: {local} [{exc}]") from None
                try:
                    self._upload_file(comm, playbooks[-1], local, "")
                except _Failure as exc:
                    raise _Failure(f"Error uploading playbook: {local} [{exc}]") from None
        inventory = str(cfg.get("inventory_file") or "")
        temp_inventory = None
        if not inventory:
            fd, temp_inventory = tempfile.mkstemp(prefix="packer-provisioner-ansible-local")
            with os.fdopen(fd, "w") as handle:
                handle.write(inventory_content([str(g) for g in cfg.get("inventory_groups") or []]))
            inventory = temp_inventory
        try:
            if cfg.get("galaxy_file"):
                ui.message("Uploading galaxy file...")
                src = str(cfg["galaxy_file"])
                self._upload_file(comm, _join(staging, os.path.basename(src)), src, "Error uploading galaxy file")
            ui.message("Uploading inventory file...")
            remote_inventory = _join(staging, os.path.basename(inventory))
            self._upload_file(comm, remote_inventory, inventory, "Error uploading inventory file")
        finally:
            if temp_inventory is not None:
                with contextlib.suppress(OSError):
                    os.remove(temp_inventory)
        for option in ("group_vars", "host_vars"):
            if cfg.get(option):
                ui.message(f"Uploading {option} directory...")
                self._upload_dir(
                    ui, comm, cancel, _join(staging, option), str(cfg[option]), f"Error uploading {option} directory"
                )
        if cfg.get("role_paths"):
            ui.message("Uploading role directories...")
            for src in cfg["role_paths"]:
                dst = _join(staging, f"roles/{os.path.basename(str(src).rstrip('/'))}")
                self._upload_dir(ui, comm, cancel, dst, str(src), "Error uploading roles")
        if cfg.get("playbook_paths"):
            ui.message("Uploading additional Playbooks...")
            folder = _join(staging, "playbooks")
            self._create_dir(ui, comm, cancel, folder, "Error creating playbooks directory")
            for src in cfg["playbook_paths"]:
                dst = _join(folder, os.path.basename(str(src).rstrip("/")))
                self._upload_dir(ui, comm, cancel, dst, str(src), "Error uploading playbooks")
        try:
            self._execute(ui, comm, cancel, data, playbooks, remote_inventory)
        except _Failure as exc:
            raise _Failure(f"Error executing Ansible: {exc}") from None
        if cfg.get("clean_staging_directory"):
            ui.message("Removing staging directory...")
            context = "Error removing staging directory"
            self._run(ui, comm, cancel, f"rm -rf '{staging}'", f"Removing directory: {staging}", context)

    # -- remote steps --------------------------------------------------------------------------------------------
    def _execute(
        self,
        ui: BuildUi,
        comm: Communicator,
        cancel: CancelEvent,
        data: Mapping[str, object],
        playbooks: list[str],
        inventory: str,
    ) -> None:
        cfg = self.config
        extra = extra_vars(cfg, str(data.get("PackerHTTPAddr") or ""))
        if cfg.get("galaxy_file"):
            command = galaxy_command(cfg)
            ui.message(f"Executing Ansible Galaxy: {command}")
            status = self._status(ui, comm, cancel, command)
            if status != 0:
                raise _Failure(f"Error executing Ansible Galaxy: Non-zero exit status: {status}")
        for playbook in playbooks:
            command = playbook_command(cfg, playbook, extra, inventory)
            ui.message(f"Executing Ansible: {command}")
            status = self._status(ui, comm, cancel, command)
            if status == COMMAND_NOT_FOUND:
                raise _Failure(
                    f"{cfg.get('command')} could not be found. Verify that it is available on the\n"
                    "PATH after connecting to the machine."
                )
            if status != 0:
                raise _Failure(f"Non-zero exit status: {status}")

    @staticmethod
    def _status(ui: BuildUi, comm: Communicator, cancel: CancelEvent, command: str) -> int:
        try:
            return run_with_ui(comm, command, ui, cancel)
        except PackerPyError as exc:
            if isinstance(exc, BuildError) and not isinstance(exc, _Failure):
                raise _Failure(str(exc)) from None
            raise

    def _run(self, ui: BuildUi, comm: Communicator, cancel: CancelEvent, command: str, say: str, context: str) -> None:
        ui.message(say)
        try:
            status = self._status(ui, comm, cancel, command)
        except _Failure as exc:
            raise _Failure(f"{context}: {exc}" if context else str(exc)) from None
        if status != 0:
            text = "Non-zero exit status. See output above for more information."
            raise _Failure(f"{context}: {text}" if context else text)

    def _create_dir(self, ui: BuildUi, comm: Communicator, cancel: CancelEvent, path: str, context: str) -> None:
        self._run(ui, comm, cancel, f"mkdir -p '{path}'", f"Creating directory: {path}", context)

    def _upload_dir(
        self, ui: BuildUi, comm: Communicator, cancel: CancelEvent, dst: str, src: str, context: str
    ) -> None:
        self._create_dir(ui, comm, cancel, dst, context)
        try:
            comm.put_dir(self._local(src), dst, contents_only=True)  # type: ignore[arg-type]
        except PackerPyError as exc:
            raise _Failure(f"{context}: {exc}") from None

    def _upload_file(self, comm: Communicator, dst: str, src: str, context: str) -> None:
        def fail(text: str) -> _Failure:
            return _Failure(f"{context}: {text}" if context else text)

        try:
            handle = open(self._local(src), "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise fail(f"Error opening: open {src}: {(exc.strerror or str(exc)).lower()}") from None
        with handle:
            try:
                comm.put(handle, dst, mode=0o644)
            except PackerPyError as exc:
                raise fail(f"Error uploading {src}: {exc}") from None
