"""run-component: AWSTOE semantics over a communicator (here a local one; the SSH one is the harness's)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from packer_py.imagebuilder.document import load_document, load_document_file
from packer_py.imagebuilder.toe import ToeRunner
from tests.harness.moto_server import MotoServer

from .conftest import SEED
from .local_comm import LocalCommunicator


def _runner(tmp_path: Path, **kw):  # type: ignore[no-untyped-def]
    lines: list[str] = []
    comm = LocalCommunicator()
    runner = ToeRunner(comm, lines.append, use_sudo=False, workdir=str(tmp_path / "toe"), sleep=lambda s: None, **kw)
    return runner, comm, lines


def _doc(text: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_document(textwrap.dedent(text).replace("TMP", str(tmp_path)))


def test_chaining_outputs_and_one_script_per_step(tmp_path: Path) -> None:
    doc = _doc(
        """
        schemaVersion: 1.0
        parameters:
          - Greeting: {type: string, default: hello}
        phases:
          - name: build
            steps:
              - name: Make
                action: CreateFile
                inputs:
                  - path: TMP/a/b/file.txt
                    content: '{{ Greeting }} world'
                    permissions: '0600'
              - name: Cat
                action: ExecuteBash
                inputs:
                  commands:
                    - 'cd "$(dirname {{ build.Make.inputs[0].path }})"'
                    - 'cat file.txt'
          - name: validate
            steps:
              - name: Check
                action: ExecuteBash
                inputs:
                  commands: ['test "{{ build.Cat.outputs.stdout }}" = "hello world"']
        """,
        tmp_path,
    )
    runner, _comm, _ = _runner(tmp_path)
    result = runner.run(doc)
    assert result.status == "Success", result.steps
    assert (tmp_path / "a/b/file.txt").read_text() == "hello world"
    assert oct(os.stat(tmp_path / "a/b/file.txt").st_mode & 0o777) == "0o600"
    assert result.steps[1].outputs == {"stdout": "hello world"}
    detailed = result.detailed_output()
    assert detailed["executedStepCount"] == 3 and detailed["failedStepCount"] == 0


@pytest.mark.parametrize(
    ("on_failure", "document_status", "second_ran"),
    [("Abort", "Failed", False), ("Continue", "Failed", True), ("Ignore", "SuccessWithIgnoredFailure", True)],
)
def test_on_failure(tmp_path: Path, on_failure: str, document_status: str, second_ran: bool) -> None:
    doc = _doc(
        f"""
        schemaVersion: 1.0
        phases:
          - name: build
            steps:
              - name: Fail
                action: ExecuteBash
                onFailure: {on_failure}
                inputs: {{commands: ['exit 3']}}
              - name: After
                action: ExecuteBash
                inputs: {{commands: ['touch TMP/after']}}
        """,
        tmp_path,
    )
    runner, _, _ = _runner(tmp_path)
    result = runner.run(doc)
    assert result.status == document_status
    assert (tmp_path / "after").exists() == second_ran
    assert result.steps[0].failure_message == "Failed to execute: exit status 3"
    assert result.steps[1].status == ("Success" if second_ran else "Skipped")


def test_max_attempts_and_no_implicit_errexit(tmp_path: Path) -> None:
    """Three attempts; the second succeeds. A failing middle command does not fail an ExecuteBash step."""
    doc = _doc(
        """
        schemaVersion: 1.0
        phases:
          - name: build
            steps:
              - name: Flaky
                action: ExecuteBash
                maxAttempts: 3
                inputs:
                  commands:
                    - 'false'
                    - 'echo x >> TMP/count'
                    - 'test $(wc -l < TMP/count) -ge 2'
        """,
        tmp_path,
    )
    runner, _, _ = _runner(tmp_path)
    result = runner.run(doc)
    assert result.status == "Success" and result.steps[0].attempts == 2


def test_exit_194_reboots_and_reruns_the_step(tmp_path: Path) -> None:
    doc = _doc(
        """
        schemaVersion: 1.0
        phases:
          - name: build
            steps:
              - name: NeedsReboot
                action: ExecuteBash
                inputs:
                  commands:
                    - 'if [ ! -e TMP/rebooted ]; then touch TMP/rebooted; exit 194; fi'
                    - 'echo done'
              - name: Restart
                action: Reboot
                inputs: {delaySeconds: 1}
        """,
        tmp_path,
    )
    runner, comm, _ = _runner(tmp_path)
    result = runner.run(doc)
    assert result.status == "Success"
    assert result.steps[0].outputs == {"stdout": "done"}
    assert comm.reboots == 2


def test_loops(tmp_path: Path) -> None:
    doc = _doc(
        """
        schemaVersion: 1.0
        phases:
          - name: build
            steps:
              - name: Each
                action: ExecuteBash
                loop: {name: L, forEach: [a, b]}
                inputs: {commands: ['echo {{ L.index }}-{{ loop.value }}']}
              - name: Count
                action: ExecuteBash
                loop: {for: {start: 3, end: 1, updateBy: -1}}
                inputs: {commands: ['echo {{ loop.value }}']}
        """,
        tmp_path,
    )
    runner, _, _ = _runner(tmp_path)
    result = runner.run(doc)
    assert [s.outputs["stdout"] for s in result.steps] == ["0-a\n1-b", "3\n2\n1"]


def test_s3_download_upload_permissions_and_overwrite(tmp_path: Path, moto: MotoServer) -> None:
    s3 = moto.client("s3", "us-east-1")
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="app/tool", Body=b"#!/bin/sh\necho tool $1\n")
    doc = _doc(
        """
        schemaVersion: 1.0
        phases:
          - name: build
            steps:
              - name: Download
                action: S3Download
                inputs:
                  - source: s3://bkt/app/tool
                    destination: TMP/tool
              - name: Enable
                action: SetFilePermissions
                inputs:
                  - path: '{{ build.Download.inputs[0].destination }}'
                    permissions: '0755'
              - name: Run
                action: ExecuteBinary
                inputs:
                  path: '{{ build.Download.inputs[0].destination }}'
                  arguments: ['--install']
              - name: Upload
                action: S3Upload
                inputs:
                  - source: TMP/tool
                    destination: s3://bkt/copied/tool
              - name: Again
                action: S3Download
                onFailure: Ignore
                inputs:
                  - source: s3://bkt/app/tool
                    destination: TMP/tool
                    overwrite: false
              - name: NoFolder
                action: S3Download
                onFailure: Continue
                inputs:
                  - source: s3://bkt/app/tool
                    destination: TMP/missing/tool
        """,
        tmp_path,
    )
    runner, _, _ = _runner(tmp_path, s3=lambda: s3)
    result = runner.run(doc)
    statuses = [s.status for s in result.steps]
    assert statuses == ["Success", "Success", "Success", "Success", "IgnoredFailure", "Failed"]
    assert result.steps[2].outputs == {"stdout": "tool --install"}
    assert s3.get_object(Bucket="bkt", Key="copied/tool")["Body"].read().startswith(b"#!/bin/sh")
    assert "already exists" in result.steps[4].failure_message
    assert "does not exist" in result.steps[5].failure_message


@pytest.mark.parametrize("name", ["httpd-component.yaml", "linuxbin-component.yaml", "jenkins-component.yaml"])
def test_seed_documents_load(name: str) -> None:
    doc = load_document_file(SEED / name)
    assert doc.phases


def test_seed_linuxbin_runs_with_its_chaining(tmp_path: Path, moto: MotoServer) -> None:
    """The seed's LinuxBin document, pointed at a temporary folder, runs end to end over the communicator."""
    text = (SEED / "linuxbin-component.yaml").read_text().replace("/tmp/myapplication", str(tmp_path / "app"))
    s3 = moto.client("s3", "us-east-1")
    s3.create_bucket(Bucket="mybucket")
    s3.put_object(Bucket="mybucket", Key="myapplication", Body=b'#!/bin/sh\necho installed $1 > "$0.log"\n')
    runner, _, _ = _runner(tmp_path, s3=lambda: s3)
    result = runner.run(load_document(text))
    assert result.status == "Success", [(s.name, s.failure_message) for s in result.steps]
    assert (tmp_path / "app.log").read_text() == "installed --install\n"
    assert not (tmp_path / "app").exists()  # the Delete step removed it


def test_document_errors_are_listed() -> None:
    from packer_py.imagebuilder.errors import DocumentError

    with pytest.raises(DocumentError) as info:
        load_document(
            textwrap.dedent(
                """
                schemaVersion: 2.0
                phases:
                  - name: build
                    steps:
                      - {name: A, action: ExecuteBash, inputs: {commands: [x]}}
                      - {name: A, action: SetFilePermissions, inputs: [{path: /x, permissions: 755}]}
                  - name: test
                    steps:
                      - {name: T, action: ExecuteBash, inputs: {commands: ['{{ build.A.outputs.stdout }} {{ Nope }}']}}
                """
            )
        )
    text = str(info.value)
    assert "schemaVersion" in text and "755 is not of type 'string'" in text
    with pytest.raises(DocumentError) as info:
        load_document(
            textwrap.dedent(
                """
                schemaVersion: '1.0'
                phases:
                  - name: build
                    steps:
                      - {name: A, action: ExecuteBash, inputs: {commands: [x]}}
                      - {name: A, action: ExecuteBash, inputs: {commands: [x]}}
                  - name: test
                    steps:
                      - {name: T, action: ExecuteBash, inputs: {commands: ['{{ build.A.outputs.stdout }} {{ Nope }}']}}
                """
            )
        )
    findings = info.value.findings
    assert len(findings) == 3
    assert "used twice" in findings[0] and "another stage" in findings[1] and "Nope" in findings[2]


ECHO = """
schemaVersion: 1.0
phases:
  - name: build
    steps:
      - {name: Write, action: CreateFile, inputs: [{path: TMP/out/file.txt, content: hi}]}
      - {name: Echo, action: ExecuteBash, inputs: {commands: ['echo done']}}
"""


def test_the_work_folder_is_made_for_the_run_and_removed_after_it(tmp_path: Path) -> None:
    """Like AWSTOE, the host keeps what the document did, not run-component's staging files."""
    runner, comm, _ = _runner(tmp_path)
    result = runner.run(_doc(ECHO, tmp_path))
    assert result.status == "Success"
    assert (tmp_path / "out" / "file.txt").read_text() == "hi"
    assert not (tmp_path / "toe").exists()
    assert comm.commands[-1] == f"rm -rf {tmp_path / 'toe'}"


def test_a_work_folder_that_exists_is_used_and_left(tmp_path: Path) -> None:
    (tmp_path / "toe").mkdir()
    (tmp_path / "toe" / "mine").write_text("kept")
    runner, _, _ = _runner(tmp_path)
    assert runner.run(_doc(ECHO, tmp_path)).status == "Success"
    assert sorted(p.name for p in (tmp_path / "toe").iterdir()) == ["mine"]


def test_the_default_work_folder_is_new_for_each_runner() -> None:
    first, second = ToeRunner(LocalCommunicator(), print), ToeRunner(LocalCommunicator(), print)
    assert first.workdir.startswith("/tmp/packer-py-toe-") and first.workdir != second.workdir


class FailingUploads(LocalCommunicator):
    def put(self, src: Any, dest: str, *, mode: int | None = None) -> None:
        from packer_py.communicator import TransferError

        raise TransferError(f"scp: {dest}: No space left on device")


def test_a_failed_transfer_fails_the_step_not_the_run(tmp_path: Path) -> None:
    """The SSH communicator raises its errors (``TransferError``...); AWSTOE reports a module's error as the step's
    failure and applies ``onFailure``, so run-component does the same instead of stopping with a traceback."""
    lines: list[str] = []
    runner = ToeRunner(FailingUploads(), lines.append, use_sudo=False, workdir=str(tmp_path / "toe"))
    result = runner.run(_doc(ECHO, tmp_path))
    assert [(s.name, s.status) for s in result.steps] == [("Write", "Failed"), ("Echo", "Skipped")]
    assert result.steps[0].failure_message.endswith("No space left on device")
    assert result.status == "Failed" and not (tmp_path / "toe").exists()
