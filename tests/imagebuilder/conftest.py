from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
SEED = TEMPLATES / "imagebuilder" / "seed"


def write_template(folder: Path, template: dict[str, Any], name: str = "t.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(template, indent=2))
    return path


def ebs(**extra: Any) -> dict[str, Any]:
    builder = {
        "type": "amazon-ebs",
        "region": "eu-west-1",
        "source_ami": "ami-0123456789abcdef0",
        "instance_type": "t3.micro",
        "ssh_username": "ec2-user",
        "ami_name": "demo {{timestamp}}",
    }
    builder.update(extra)
    return builder


@pytest.fixture
def export_of(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Export a template dict (written to tmp_path) with tmp_path as Packer's working directory."""
    from packer_py.api import load_template
    from packer_py.imagebuilder.export import ExportOptions, export_template

    def run(template: dict[str, Any], **options: Any):  # type: ignore[no-untyped-def]
        path = write_template(tmp_path, template)
        return export_template(load_template(path), ExportOptions(cwd=tmp_path, **options))

    return run


SANDBOX_REGION = "eu-west-1"
"""The seed templates' region: the sandboxes' ``aws`` sees it as the instance's region."""


@pytest.fixture
def sandbox_hosts(moto: Any, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A factory of fresh sandbox hosts (``tests/harness/sandbox.py``): real sshds whose sessions run as root in a
    fresh overlay of this host's ``/``, with local mode's shims (an ``aws`` aimed at the harness's moto server).

    Needs root: in a user namespace, directories the host's root owns below the top level (``/var/lib``,
    ``/usr/local``) are read-only inside, so the procedures under test could not run as they would on an instance.
    ``extra_shims`` are more stand-ins (name -> shell script body) put beside local mode's."""
    from packer_py.local.namespace import LocalModeError, probe
    from packer_py.local.session import interpreter_binds, write_shims
    from tests.harness.sandbox import SandboxHost, sandbox_environment

    try:
        isolation = probe()
    except LocalModeError as exc:
        pytest.skip(str(exc))
    if isolation.kind != "root":
        pytest.skip("sandbox hosts need root (mount namespaces with an overlay of /)")
    started: list[SandboxHost] = []

    def start(name: str, extra_shims: dict[str, str] | None = None) -> SandboxHost:
        shims = write_shims(tmp_path / f"shims-{name}", moto.endpoint)
        for command, body in (extra_shims or {}).items():
            (shims / command).write_text("#!/bin/sh\n" + body)
            (shims / command).chmod(0o755)
        host = SandboxHost.start(
            tmp_path / f"sandbox-{name}",
            shims=shims,
            binds=interpreter_binds(),
            environment=sandbox_environment(SANDBOX_REGION),
            moto_endpoint=moto.endpoint,
            key_pair_regions=(SANDBOX_REGION,),
        )
        started.append(host)
        return host

    try:
        yield start
    finally:
        for host in started:
            host.stop()


def sandbox_env(moto: Any, home: Path) -> dict[str, str]:
    """A packer-py process's environment: boto3 aimed at moto (S3 for run-component, EC2/IAM for build)."""
    return {**moto.aws_env(SANDBOX_REGION), "HOME": str(home)}


def run_component(moto: Any, document: Path, host: Any, home: Path, *args: str) -> Any:
    """``packer-py imagebuilder run-component DOCUMENT`` on a sandbox host (a fresh process, as a user runs it)."""
    from tests.conftest import run_cli

    login = ["--host", host.host, "--port", str(host.port), "--ssh-username", host.user]
    login += ["--ssh-private-key-file", str(host.sshd.client_key_path)]
    return run_cli(["imagebuilder", "run-component", str(document), *login, *args], env=sandbox_env(moto, home))


def ssh_to(host: Any, transfer: str = "scp") -> Any:
    """packer-py's SSH communicator, logged in to a sandbox host with its client key."""
    from packer_py.communicator import SSHCommunicator, SSHConfig

    return SSHCommunicator(
        SSHConfig(
            ssh_host=host.host,
            ssh_port=host.port,
            ssh_username=host.user,
            ssh_private_key_file=str(host.sshd.client_key_path),
            ssh_timeout=30,
            ssh_file_transfer_method=transfer,
        )
    )
