"""The shell provisioner's remote sessions: three per script (upload, run with Packer's chmod first, remove), and
Packer's errors where a session cannot start."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from packer_py.build.cancel import CancelEvent
from packer_py.errors import BuildError, PackerPyError
from packer_py.interpolate.gotemplate import RenderContext
from packer_py.provisioners.shell import ShellProvisioner

DEFAULTS: dict[str, Any] = {
    "execute_command": "chmod +x {{.Path}}; {{.Vars}} {{.Path}}",
    "inline_shebang": "/bin/sh -e",
    "start_retry_timeout": "5m",
    "remote_path": "/tmp/script_1.sh",
    "packer_build_name": "b",
    "packer_builder_type": "null",
}


@dataclass
class Remote:
    """A communicator that records every session: ``put DEST`` or the command."""

    sessions: list[str] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    fail_runs: bool = False

    def put(self, src: Any, dest: str, *, mode: int | None = None) -> None:
        self.sessions.append(f"put {dest}")
        self.uploads[dest] = src.read()

    def run(self, command: str, *, on_stdout: Any, on_stderr: Any, **_: Any) -> int:
        if self.fail_runs:
            raise PackerPyError("ssh: session open failed")
        self.sessions.append(command)
        on_stdout("ran")
        return 0

    def close(self) -> None:
        pass


class Ui:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def say(self, text: str) -> None:
        self.lines.append(text)

    def message(self, text: str) -> None:
        self.lines.append(f"    {text}")

    def error(self, text: str) -> None:
        self.lines.append(f"!! {text}")


def provision(config: dict[str, Any], remote: Remote) -> Ui:
    ui = Ui()
    shell = ShellProvisioner({**DEFAULTS, **config}, RenderContext(build_name="b", build_type="null"), {})
    shell.provision(ui, remote, {"ID": "Null"}, CancelEvent())  # type: ignore[arg-type]
    return ui


def test_a_script_costs_three_sessions() -> None:
    remote = Remote()
    ui = provision({"inline": ["echo hi"]}, remote)
    assert remote.sessions == [
        "put /tmp/script_1.sh",
        "chmod 0755 /tmp/script_1.sh >/dev/null 2>&1; chmod +x /tmp/script_1.sh; "
        "PACKER_BUILDER_TYPE='null' PACKER_BUILD_NAME='b'  /tmp/script_1.sh",
        "rm -f /tmp/script_1.sh",
    ]
    assert remote.uploads["/tmp/script_1.sh"] == b"#!/bin/sh -e\necho hi\n"
    assert ui.lines[1:] == ["    ran"]


def test_the_env_var_file_is_still_uploaded_chmodded_and_removed() -> None:
    remote = Remote()
    provision({"inline": ["echo hi"], "use_env_var_file": True, "remote_folder": "/var/tmp"}, remote)
    varfile = remote.sessions[0].removeprefix("put ")
    assert varfile.startswith("/var/tmp/varfile_") and remote.sessions[1] == f"chmod 0600 {varfile}"
    assert remote.sessions[-2:] == ["rm -f /tmp/script_1.sh", f"rm -f {varfile}"]


def test_a_session_that_cannot_start_is_packers_chmod_error() -> None:
    remote = Remote(fail_runs=True)
    with pytest.raises(BuildError) as exc:
        provision({"inline": ["echo hi"], "start_retry_timeout": "1ms"}, remote)
    assert str(exc.value) == "Error chmodding script file to 0755 in remote machine: ssh: session open failed"
