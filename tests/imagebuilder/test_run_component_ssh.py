"""run-component over the real SSH communicator and a real sshd (a sandbox host), on the seed's own documents.

The seed's documents (``templates/imagebuilder/seed/``) run as written, their S3 objects in the harness's moto
server. The sandboxes stand in for an Amazon Linux / Ubuntu instance with local mode's shims (``yum``, ``apt``,
``systemctl``, ``sudo``); the few commands the Jenkins document needs beyond those (``apt-add-repository``, Ansible)
are stand-ins that record their arguments, so nothing is fetched from the network. Only the ``build`` phases run:
their ``test`` phases ``curl`` a web server the sandbox does not have.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from packer_py.imagebuilder.document import load_document
from packer_py.imagebuilder.toe import ToeRunner

from .conftest import SANDBOX_REGION, SEED, run_component, ssh_to

RECORDING_STUB = 'echo "$(basename "$0") $* (in $(pwd))" >> /var/log/seed-stubs.log\n'


def _put(moto: Any, bucket: str, objects: dict[str, bytes]) -> None:
    s3 = moto.client("s3", SANDBOX_REGION)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": SANDBOX_REGION})
    for key, body in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)


def _steps(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("build.", "test."))]


def _read(host: Any, path: str) -> bytes:
    entry = host.entry(path)
    assert entry is not None and entry.kind == "file", (path, entry)
    return bytes(entry.content)


def test_seed_linuxbin_downloads_runs_and_deletes_its_binary(moto: Any, sandbox_hosts: Any, tmp_path: Path) -> None:
    _put(moto, "mybucket", {"myapplication": b'#!/bin/sh\necho "installed $1 by $(id -un)" > /var/log/myapp.log\n'})
    host = sandbox_hosts("linuxbin")
    done = run_component(moto, SEED / "linuxbin-component.yaml", host, tmp_path)
    assert done.returncode == 0, done.stdout
    assert _steps(done.stdout) == [
        "build.Download: Success",
        "build.Enable: Success",
        "build.Install: Success",
        "build.Delete: Success",
    ]
    assert _read(host, "/var/log/myapp.log") == b"installed --install by root\n"
    assert host.tree_below("/tmp") == set()  # the Delete step removed the binary; run-component its work folder


def test_seed_httpd_document_fails_on_its_download_until_the_folder_exists(
    moto: Any, sandbox_hosts: Any, tmp_path: Path
) -> None:
    """AWSTOE's S3Download needs the destination folder; on Amazon Linux the httpd package makes /var/www/html,
    the sandbox's simulated ``yum`` does not. The seed's ``onFailure: Continue`` goes on but fails the document."""
    _put(moto, "your-bucket-name-here", {"index.html": b"<h1>from the seed's bucket</h1>\n"})
    host = sandbox_hosts("httpd")
    first = run_component(moto, SEED / "httpd-component.yaml", host, tmp_path, "--phases", "build")
    assert first.returncode == 1
    assert _steps(first.stdout) == [
        "build.Echo-some-text: Success",
        "build.Update-yum: Success",
        "build.Install-httpd: Success",
        "build.enable-httpd: Success",
        "build.Download: Failed (S3Download: destination folder /var/www/html does not exist)",
    ]
    assert "httpd-component.yaml: Failed" in first.stdout
    assert host.entry("/var/lib/packer-py-local/services/httpd.enabled") is not None

    with ssh_to(host) as comm:
        assert comm.run("mkdir -p /var/www/html", on_stdout=print, on_stderr=print).exit_status == 0
    second = run_component(moto, SEED / "httpd-component.yaml", host, tmp_path, "--phases", "build")
    assert second.returncode == 0, second.stdout
    assert _steps(second.stdout)[-1] == "build.Download: Success"
    assert _read(host, "/var/www/html/index.html") == b"<h1>from the seed's bucket</h1>\n"
    assert host.entry("/var/www/html/index.html").mode == 0o644


def test_seed_jenkins_document_runs_once_but_not_twice(moto: Any, sandbox_hosts: Any, tmp_path: Path) -> None:
    """The playbook steps run in the folder the previous command changed to (one script per step, as AWSTOE); the
    seed's ``mkdir`` without ``-p`` makes a second run (a retry, a rerun after a reboot) abort."""
    _put(moto, "your-bucket-name-here", {"jenkins.yml": b"- hosts: all\n", "requirements.yml": b"- geerlingguy.java\n"})
    stubs = {name: RECORDING_STUB for name in ("apt-add-repository", "ansible-galaxy", "ansible-playbook")}
    host = sandbox_hosts("jenkins", extra_shims=stubs)
    first = run_component(moto, SEED / "jenkins-component.yaml", host, tmp_path, "--phases", "build")
    assert first.returncode == 0, first.stdout
    assert [line.split(":")[1].strip() for line in _steps(first.stdout)] == ["Success"] * 5
    assert _read(host, "/home/ansible/jenkins.yml") == b"- hosts: all\n"
    assert _read(host, "/home/ansible/requirements.yml") == b"- geerlingguy.java\n"
    assert _read(host, "/var/log/seed-stubs.log").decode().splitlines() == [
        "apt-add-repository --yes --update ppa:ansible/ansible (in /root)",
        "ansible-galaxy install -r requirements.yml (in /home/ansible)",
        "ansible-playbook jenkins.yml (in /home/ansible)",
    ]
    assert _read(host, "/var/lib/packer-py-local/packages/ansible")

    second = run_component(moto, SEED / "jenkins-component.yaml", host, tmp_path, "--phases", "build")
    assert second.returncode == 1
    assert _steps(second.stdout) == [
        "build.InstallAnsible: Success",
        "build.MakeDir: Failed (Failed to execute: exit status 1)",
        "build.DownloadPlaybook: Skipped",
        "build.DownloadRequirements: Skipped",
        "build.ExecutePlaybook: Skipped",
    ]
    assert "mkdir: cannot create directory" in second.stdout and "/home/ansible" in second.stdout


REBOOTING = """
schemaVersion: 1.0
phases:
  - name: build
    steps:
      - name: Report
        action: ExecuteBash
        inputs:
          commands:
            - 'mkdir -p /opt/report'
            - 'echo "run by $(id -un) on $(hostname)" > /opt/report/report.txt'
      - name: NeedsReboot
        action: ExecuteBash
        inputs:
          commands:
            - 'echo attempt >> /opt/report/attempts'
            - 'if [ ! -e /opt/report/rebooted ]; then touch /opt/report/rebooted; exit 194; fi'
      - name: Upload
        action: S3Upload
        inputs:
          - source: /opt/report/report.txt
            destination: s3://reports/sandbox/
"""


def test_reboot_request_reconnects_the_real_communicator_and_reruns_the_step(
    moto: Any, sandbox_hosts: Any, tmp_path: Path
) -> None:
    """Exit status 194: the host is rebooted (here ``shutdown`` is a stand-in that records the call), the
    communicator reconnects through the real sshd, and the step runs again; S3Upload reads the file back over scp.
    With ``use_sudo`` every command goes through ``sudo -n bash -c``, as for a non-root SSH user."""
    s3 = moto.client("s3", SANDBOX_REGION)
    s3.create_bucket(Bucket="reports", CreateBucketConfiguration={"LocationConstraint": SANDBOX_REGION})
    stub = 'echo "$(basename "$0") $*" >> /var/log/reboots.log\n'
    host = sandbox_hosts("reboot", extra_shims={"shutdown": stub, "reboot": stub})
    lines: list[str] = []
    with ssh_to(host) as comm:
        runner = ToeRunner(comm, lines.append, use_sudo=True, s3=lambda: s3, sleep=lambda _s: None)
        result = runner.run(load_document(REBOOTING))
    assert result.status == "Success", [(s.name, s.failure_message) for s in result.steps]
    assert _read(host, "/opt/report/attempts") == b"attempt\nattempt\n"
    assert _read(host, "/var/log/reboots.log") == b"shutdown -r now\n"
    assert host.sshd.log_text().count("Accepted publickey") == 2  # the reconnect is a new SSH connection
    assert s3.get_object(Bucket="reports", Key="sandbox/report.txt")["Body"].read() == b"run by root on sandbox\n"
    assert host.tree_below("/tmp") == set()


TIMING_OUT = """
schemaVersion: 1.0
phases:
  - name: build
    steps:
      - name: Slow
        action: ExecuteBash
        timeoutSeconds: 1
        maxAttempts: 2
        onFailure: Ignore
        inputs:
          commands: ['sleep 20']
      - name: Next
        action: ExecuteBash
        inputs:
          commands: ['echo still connected']
"""


def test_timeout_seconds_bounds_each_attempt_and_the_connection_goes_on(
    moto: Any, sandbox_hosts: Any, tmp_path: Path
) -> None:
    """``timeoutSeconds`` is the communicator's command timeout: the channel is closed, the attempt fails, the next
    attempt and the next step run over the same SSH connection."""
    host = sandbox_hosts("timeout")
    started = time.monotonic()
    with ssh_to(host) as comm:
        result = ToeRunner(comm, lambda _line: None, use_sudo=False).run(load_document(TIMING_OUT))
    assert time.monotonic() - started < 10
    assert [(s.name, s.status, s.attempts) for s in result.steps] == [
        ("Slow", "IgnoredFailure", 2),
        ("Next", "Success", 1),
    ]
    assert "did not finish within 1s" in result.steps[0].failure_message
    assert result.steps[1].outputs == {"stdout": "still connected"}
    assert result.status == "SuccessWithIgnoredFailure"
    assert host.sshd.log_text().count("Accepted publickey") == 1
