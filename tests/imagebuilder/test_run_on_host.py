"""``run-component``'s library half: the run over an SSH connection, the step summaries, ``detailedoutput.json``."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

import packer_py.communicator
from packer_py.communicator import SSHConfig
from packer_py.imagebuilder.document import load_document
from packer_py.imagebuilder.toe import RunResult, StepResult, run_on_host

from .local_comm import LocalCommunicator, Result

DOC = load_document(
    textwrap.dedent(
        """
        schemaVersion: 1.0
        phases:
          - name: build
            steps:
              - name: Hello
                action: ExecuteBash
                inputs:
                  commands: ['echo hello']
          - name: validate
            steps:
              - name: Check
                action: ExecuteBash
                inputs:
                  commands: ['true']
        """
    )
)


class RecordingHost(LocalCommunicator):
    """Every command succeeds without running: only what was sent matters here."""

    def run(self, command: str, **_kw: Any) -> Result:  # type: ignore[override]
        self.commands.append(command)
        return Result(command, 0)

    def put(self, src: Any, dest: str, *, mode: int | None = None) -> None:
        pass


@pytest.fixture
def ssh(monkeypatch: pytest.MonkeyPatch) -> list[tuple[SSHConfig, RecordingHost, list[str]]]:
    """Replaces ``SSHCommunicator``; records each connection's config, commands and whether it was closed."""
    opened: list[tuple[SSHConfig, RecordingHost, list[str]]] = []

    class FakeSSH:
        def __init__(self, config: SSHConfig) -> None:
            self.host, self.events = RecordingHost(), ["open"]
            opened.append((config, self.host, self.events))

        def __enter__(self) -> RecordingHost:
            return self.host

        def __exit__(self, *exc: object) -> None:
            self.events.append("closed")

    monkeypatch.setattr(packer_py.communicator, "SSHCommunicator", FakeSSH)
    return opened


@pytest.mark.parametrize(
    ("username", "sudo", "expect_sudo"),
    [("root", None, False), ("ec2-user", None, True), ("ec2-user", False, False), ("root", True, True)],
)
def test_commands_use_sudo_unless_the_user_is_root_or_told(
    ssh: list[tuple[SSHConfig, RecordingHost, list[str]]], username: str, sudo: bool | None, expect_sudo: bool
) -> None:
    log: list[str] = []
    config = SSHConfig(ssh_host="h", ssh_username=username)
    result = run_on_host(DOC, config, sudo=sudo, log=log.append)
    [(seen, host, events)] = ssh
    assert seen is config and events == ["open", "closed"]
    assert result.ok and [s.summary for s in result.steps] == ["build.Hello: Success", "validate.Check: Success"]
    scripts = [c for c in host.commands if "bash /tmp/packer-py-toe-" in c]
    assert len(scripts) == 2 and all(c.startswith("sudo -n ") == expect_sudo for c in scripts)
    assert log[-1].endswith(": Success")


def test_only_the_phases_asked_for_run(ssh: list[tuple[SSHConfig, RecordingHost, list[str]]]) -> None:
    result = run_on_host(DOC, SSHConfig(ssh_host="h", ssh_username="root"), phases=["validate"], log=lambda _: None)
    assert [s.summary for s in result.steps] == ["validate.Check: Success"]


def test_summary_adds_the_failure_message_when_there_is_one() -> None:
    ok = StepResult("build", "A", "ExecuteBash", "Success", "Abort", 1, 7200)
    failed = StepResult("build", "B", "ExecuteBash", "Failed", "Abort", 1, 7200, failure_message="exit status 2")
    assert ok.summary == "build.A: Success"
    assert failed.summary == "build.B: Failed (exit status 2)"


def test_detailed_output_goes_in_a_folder_per_run(tmp_path: Path) -> None:
    step = StepResult("build", "A", "ExecuteBash", "Failed", "Ignore", 1, 7200, inputs={"commands": ["x"]})
    result = RunResult("SuccessWithIgnoredFailure", [step], "0f1e")
    path = result.write_detailed_output(tmp_path / "logs")
    assert path == tmp_path / "logs" / "TOE_0f1e" / "detailedoutput.json"
    assert path.read_text().endswith("}\n")
    assert json.loads(path.read_text()) == result.detailed_output()
    assert result.write_detailed_output(tmp_path / "logs") == path  # a second write replaces the file
