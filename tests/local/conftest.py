"""A local-mode session per test module, and instances booted in it the way a builder boots them (EC2 API calls)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from packer_py.local.cloud import SourceImage
from packer_py.local.namespace import LocalModeError, probe
from packer_py.local.session import LocalSession

SOURCE_AMI = "ami-06ce3edf0cff21f07"


def require_isolation() -> None:
    try:
        probe()
    except LocalModeError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSession]:
    require_isolation()
    s = LocalSession.start(tmp_path_factory.mktemp("local"))
    try:
        yield s
    finally:
        s.close()


@dataclass
class Booted:
    session: LocalSession
    region: str
    instance_id: str
    key_name: str
    private_key: str

    @property
    def ec2(self) -> Any:
        return self.session.cloud.client("ec2", self.region)

    def pkey(self) -> Any:
        import paramiko

        return paramiko.RSAKey.from_private_key(io.StringIO(self.private_key))

    def connect(self, username: str = "ec2-user") -> Any:
        import paramiko

        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        client.connect(
            self.session.ssh.host,
            port=self.session.ssh.port,
            username=username,
            pkey=self.pkey(),
            allow_agent=False,
            look_for_keys=False,
            timeout=10,
        )
        return client

    @property
    def directory(self) -> Path:
        return self.session.directory / "instances" / self.instance_id


def boot(session: LocalSession, name: str, region: str = "eu-west-1") -> Booted:
    session.register_source_images([SourceImage(region, SOURCE_AMI)])
    ec2 = session.cloud.client("ec2", region)
    key = ec2.create_key_pair(KeyName=name)
    run = ec2.run_instances(ImageId=SOURCE_AMI, MinCount=1, MaxCount=1, KeyName=name, InstanceType="t2.micro")
    return Booted(session, region, run["Instances"][0]["InstanceId"], name, key["KeyMaterial"])


def run(client: Any, command: str, *, pty: bool = False, timeout: float = 30) -> tuple[int, str, str]:
    _, out, err = client.exec_command(command, get_pty=pty, timeout=timeout)
    stdout, stderr = out.read().decode(), err.read().decode()
    return out.channel.recv_exit_status(), stdout, stderr
