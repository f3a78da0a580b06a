"""``shell-local``: run a command or script on this machine (Packer 1.6.6 ``packer-plugin-sdk/shell-local``).

Shared by the provisioner and the post-processor. ``only_on`` lists GOOS names (``Skipping shell-local due to
runtime OS`` otherwise); ``command`` becomes a one-line inline script; inline lines, rendered with the generated
data, go to a temp file ``packer-shell*`` (0700) that starts with ``#!<inline_shebang>``; each script is run as
``execute_command`` (default ``["/bin/sh", "-c", "{{.Vars}} {{.Script}}"]``) rendered with ``.Vars``, ``.Script``
and ``.Command`` (the script's absolute path), after ``Running local shell script: PATH``. stdout lines are UI
messages, stderr lines UI errors. The child inherits this process's environment (with ``PACKER_RUN_UUID``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import IO, Any

from packer_py.build.cancel import DEADLINE_EXCEEDED, CancelEvent
from packer_py.build.interfaces import BuildUi, Communicator
from packer_py.build.steps import Cancelled
from packer_py.errors import BuildError, InterpolationError
from packer_py.provisioners.environment import check_exit_code, clean_output_line, escaped_env, flatten

GOOS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "freebsd": "freebsd", "openbsd": "openbsd"}


def _goos() -> str:
    for prefix, name in GOOS.items():
        if sys.platform.startswith(prefix):
            return name
    return sys.platform


def run_shell_local(
    ui: BuildUi,
    config: Mapping[str, Any],
    render_ctx: Any,
    data: dict[str, object],
    cancel: CancelEvent,
    environ: Mapping[str, str],
) -> None:
    from packer_py.interpolate.gotemplate import render

    def rend(text: str) -> str:
        return render(text, replace(render_ctx, data=dict(data), build_data=None))

    only_on = list(config.get("only_on") or [])
    if only_on and _goos() not in only_on:
        ui.say("Skipping shell-local due to runtime OS")
        return
    scripts: list[str] = list(config.get("scripts") or [])
    if not scripts and config.get("script"):
        scripts = [str(config["script"])]
    inline = config.get("inline")
    if not inline and config.get("command"):
        inline = [str(config["command"])]
    temp: str | None = None
    try:
        if not scripts and inline is not None:
            temp = _inline_file(config, inline, rend)
            scripts.append(temp)
        env_pairs = []
        for pair in config.get("environment_vars") or []:
            try:
                env_pairs.append(rend(str(pair)))
            except InterpolationError as exc:
                raise BuildError(str(exc)) from None
        env = escaped_env(
            str(config.get("packer_build_name") or ""),
            str(config.get("packer_builder_type") or ""),
            data,
            env_pairs,
            dict(config.get("env") or {}),
        )
        flattened = flatten(env, str(config.get("env_var_format") or "%s='%s' "))
        for script in scripts:
            abs_script = os.path.abspath(script)
            data["Vars"] = flattened
            data["Script"] = abs_script
            data["Command"] = abs_script
            argv = []
            for part in config.get("execute_command") or ["/bin/sh", "-c", "{{.Vars}} {{.Script}}"]:
                try:
                    argv.append(rend(str(part)))
                except InterpolationError as exc:
                    raise BuildError(f"Error processing command: {exc}") from None
            ui.say(f"Running local shell script: {script}")
            try:
                status = run_local(argv, ui, cancel, environ)
            except Cancelled as exc:
                if exc.message != DEADLINE_EXCEEDED:
                    raise
                status = None  # Packer: RunWithUi's context error becomes "Error executing script"
            if status is None:
                raise BuildError(
                    f"Error executing script: {abs_script}\n\nPlease see output above for more information."
                )
            check_exit_code(status, config.get("valid_exit_codes"))
    finally:
        if temp is not None:
            try:
                os.remove(temp)
            except OSError:
                pass


def _inline_file(config: Mapping[str, Any], inline: list[str], rend: Callable[[str], str]) -> str:
    fd, path = tempfile.mkstemp(prefix="packer-shell")
    with os.fdopen(fd, "w") as f:
        shebang = config.get("inline_shebang")
        if shebang:
            f.write(f"#!{shebang}\n")
        for line in inline:
            try:
                f.write(rend(str(line)) + "\n")
            except InterpolationError as exc:
                raise BuildError(str(exc)) from None
    os.chmod(path, 0o700)
    ext = config.get("tempfile_extension")
    if ext:
        os.rename(path, f"{path}.{ext}")
        path = f"{path}.{ext}"
    return path


def run_local(argv: list[str], ui: BuildUi, cancel: CancelEvent, environ: Mapping[str, str]) -> int | None:
    """Run a local command, streaming its lines; a cancel kills it (``exec.CommandContext``). Returns the exit
    status (-1 when killed by a signal, as Go's ``WaitStatus.ExitStatus``), ``None`` when it could not start."""
    cancel.check()
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(environ),
            start_new_session=True,  # a cancel kills the whole group: a script's children must not hold the pipes
        )
    except OSError as exc:
        raise BuildError(f"Error executing script: {exc}") from None

    def pump(stream: IO[bytes], emit: Callable[[str], None]) -> None:
        for raw in iter(stream.readline, b""):
            emit(clean_output_line(raw.decode("utf-8", "replace")))
        stream.close()

    assert proc.stdout is not None and proc.stderr is not None
    threads = [
        threading.Thread(target=pump, args=(proc.stdout, ui.message), daemon=True),
        threading.Thread(target=pump, args=(proc.stderr, ui.error), daemon=True),
    ]
    for t in threads:
        t.start()

    def kill_group() -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()

    with cancel.interrupting(kill_group):
        code = proc.wait()
        for t in threads:
            t.join(None if not cancel.is_set() else 5)
    if cancel.is_set():
        raise Cancelled(cancel.reason)
    return -1 if code < 0 else code


class ShellLocalProvisioner:
    def __init__(self, config: dict[str, Any], render_ctx: Any, environ: Mapping[str, str]) -> None:
        self.config = config
        self.render_ctx = render_ctx
        self.environ = environ

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        run_shell_local(ui, self.config, self.render_ctx, data, cancel, self.environ)
