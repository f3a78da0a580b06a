"""The ``shell`` provisioner (Packer 1.6.6 ``provisioner/shell``).

Per script, in order: ``Provisioning with shell script: PATH`` (for ``inline``, a local temp file ``packer-shell*``
holding ``#!<inline_shebang>`` and the lines rendered again with the build's generated data), then, retried every
2 s until ``start_retry_timeout``: upload to ``remote_path`` (CRLF → LF unless ``binary``; mode 0644), ``chmod 0755
PATH``, run ``execute_command`` rendered with ``.Path``, ``.Vars`` and ``.EnvVarFile``. A dropped connection is an
error unless ``expect_disconnect``; any other status must be in ``valid_exit_codes``. Then ``rm -f PATH`` unless
``skip_clean``, and ``pause_after``. One ``remote_path`` (chosen at prepare) serves every script.

Quirk kept: ``valid_exit_codes`` containing 2300218 does not excuse a disconnect, although Packer's message
suggests it.

Fewer round trips than Packer, with the same observable behaviour: each remote command is a new SSH session, and
sshd forks a shell for each (2-3 ms on a fast machine, much more over a real network). Packer's ``chmod 0755 PATH``
runs in its own session with its output discarded and its exit status ignored (only a failure to start it is an
error, ``Error chmodding script file to 0755 in remote machine``); here it runs at the start of the script's own
session, silenced and ignored the same way, and a session that cannot be started is reported with that same
message. Packer also removes the env-var file with ``rm -f `` when there is none (no path: a command that does
nothing); that session is skipped. So a script costs three sessions (upload, run, remove) instead of five.
"""

from __future__ import annotations

import io
import logging
import os
import random
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from packer_py.build.cancel import CancelEvent
from packer_py.build.interfaces import BuildUi, Communicator
from packer_py.build.steps import Cancelled
from packer_py.errors import BuildError, InterpolationError, PackerPyError
from packer_py.provisioners.environment import check_exit_code, escaped_env, flatten
from packer_py.provisioners.remote import CMD_DISCONNECT, run_quiet, run_with_ui

log = logging.getLogger("packer_py.provisioners")

RETRY_DELAY = 2.0
DISCONNECTED = (
    "Script disconnected unexpectedly. If you expected your script to disconnect, i.e. from a restart, you can try "
    'adding `"expect_disconnect": true` or `"valid_exit_codes": [0, 2300218]` to the shell provisioner parameters.'
)


def retry_until(timeout: float, cancel: CancelEvent, fn: Callable[[], Any], delay: float = RETRY_DELAY) -> Any:
    """``retry.Config{StartTimeout}.Run``: call ``fn`` until it succeeds, every ``delay`` s, until ``timeout`` s."""
    deadline = time.monotonic() + timeout if timeout else None
    while True:
        try:
            return fn()
        except Cancelled:
            raise
        except PackerPyError as exc:
            log.info("Retryable error: %s", exc)
            if cancel.is_set() or (deadline is not None and time.monotonic() >= deadline):
                raise
            cancel.sleep(delay)


def unix_text(data: bytes) -> bytes:
    """Packer's ``UnixReader``: every line ends with ``\\n`` (CRLF becomes LF, a last line gains its newline)."""
    if not data:
        return data
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return b"".join((line[:-1] if line.endswith(b"\r") else line) + b"\n" for line in lines)


class ShellProvisioner:
    def __init__(self, config: dict[str, Any], render_ctx: Any, environ: Mapping[str, str]) -> None:
        self.config = config
        self.render_ctx = render_ctx
        self.environ = environ

    def _render(self, text: str, data: Mapping[str, object]) -> str:
        from packer_py.interpolate.gotemplate import render

        return render(text, replace(self.render_ctx, data=dict(data), build_data=None))

    def _env(self, data: Mapping[str, object]) -> dict[str, str]:
        cfg = self.config
        return escaped_env(
            str(cfg.get("packer_build_name") or ""),
            str(cfg.get("packer_builder_type") or ""),
            data,
            list(cfg.get("environment_vars") or []),
            dict(cfg.get("env") or {}),
        )

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        assert comm is not None
        cfg = self.config
        scripts: list[str] = list(cfg.get("scripts") or [])
        if not scripts and cfg.get("script"):
            scripts = [str(cfg["script"])]
        temp_files: list[str] = []
        try:
            if cfg.get("inline") is not None and not scripts:
                temp_files.append(self._inline_file(data))
                scripts.append(temp_files[-1])
            self._provision(ui, comm, data, cancel, scripts, temp_files)
        finally:
            for path in temp_files:
                try:
                    os.remove(path)
                except OSError:
                    pass

    def _inline_file(self, data: Mapping[str, object]) -> str:
        cfg = self.config
        fd, path = tempfile.mkstemp(prefix="packer-shell")
        with os.fdopen(fd, "w") as f:
            f.write(f"#!{cfg.get('inline_shebang') or '/bin/sh -e'}\n")
            for line in cfg.get("inline") or []:
                try:
                    f.write(self._render(str(line), data) + "\n")
                except InterpolationError as exc:
                    raise BuildError(f"Error interpolating Inline: {exc}") from None
        return path

    def _provision(
        self,
        ui: BuildUi,
        comm: Communicator,
        data: dict[str, object],
        cancel: CancelEvent,
        scripts: list[str],
        temp_files: list[str],
    ) -> None:
        cfg = self.config
        start_timeout = _seconds(cfg.get("start_retry_timeout", 300.0))
        binary = bool(cfg.get("binary"))
        env_var_file = ""
        if cfg.get("use_env_var_file"):
            content = flatten(self._env(data), str(cfg.get("env_var_format") or "export %s='%s'\n")).encode()
            remote_vf = f"{cfg.get('remote_folder') or '/tmp'}/varfile_{random.randrange(9999)}.sh"

            def upload_vars() -> None:
                try:
                    comm.put(io.BytesIO(content if binary else unix_text(content)), remote_vf)
                except PackerPyError as exc:
                    raise BuildError(f"Error uploading envVarFile: {exc}") from None
                run_quiet(comm, f"chmod 0600 {remote_vf}", cancel)

            retry_until(start_timeout, cancel, upload_vars)
            env_var_file = remote_vf
        flattened = flatten(self._env(data), str(cfg.get("env_var_format") or "%s='%s' "))
        remote_path = str(cfg.get("remote_path") or f"/tmp/script_{random.randrange(9999)}.sh")
        for path in scripts:
            ui.say(f"Provisioning with shell script: {path}")
            try:
                with open(path, "rb") as f:
                    script = f.read()
            except OSError as exc:
                raise BuildError(f"Error opening shell script: open {path}: {(exc.strerror or '').lower()}") from None
            data["Vars"] = flattened
            data["EnvVarFile"] = env_var_file
            data["Path"] = remote_path
            try:
                command = self._render(str(cfg.get("execute_command") or ""), data)
            except InterpolationError as exc:
                raise BuildError(f"Error processing command: {exc}") from None
            payload = script if binary else unix_text(script)

            def attempt(payload: bytes = payload, command: str = command) -> int:
                try:
                    comm.put(io.BytesIO(payload), remote_path)
                except Cancelled:
                    raise
                except PackerPyError as exc:
                    raise BuildError(f"Error uploading script: {exc}") from None
                try:
                    return run_with_ui(comm, f"chmod 0755 {remote_path} >/dev/null 2>&1; {command}", ui, cancel)
                except Cancelled:
                    raise
                except PackerPyError as exc:  # the session did not start: Packer's chmod would have failed first
                    raise BuildError(f"Error chmodding script file to 0755 in remote machine: {exc}") from None

            status = retry_until(start_timeout, cancel, attempt)
            if status == CMD_DISCONNECT:
                if not cfg.get("expect_disconnect"):
                    raise BuildError(DISCONNECTED)
            else:
                check_exit_code(status, cfg.get("valid_exit_codes"))
            if cfg.get("skip_clean"):
                continue
            self._cleanup_remote(comm, remote_path, start_timeout, cancel)
        if not cfg.get("skip_clean") and env_var_file:
            self._cleanup_remote(comm, env_var_file, start_timeout, cancel)
        pause_after = cfg.get("pause_after")
        if pause_after and _seconds(pause_after) > 0:
            ui.say(f"Pausing {pause_after} after this provisioner...")
            time.sleep(_seconds(pause_after))  # Packer's select here has no ctx.Done case

    @staticmethod
    def _cleanup_remote(comm: Communicator, path: str, timeout: float, cancel: CancelEvent) -> None:
        never = CancelEvent()  # Packer uses a context that is never cancelled here: a cancel does not stop the clean-up

        def remove() -> None:
            status = run_quiet(comm, f"rm -f {path}", never)
            if status == CMD_DISCONNECT:
                raise BuildError("Disconnect while removing temporary script.")
            if status != 0:
                raise BuildError(f"Error removing temporary script at {path}!")

        retry_until(timeout, never, remove)


def _seconds(value: object) -> float:
    from packer_py.goparse import duration_seconds

    return duration_seconds(value)
