"""pytest fixtures of the end-to-end harness; ``tests/conftest.py`` imports them so every test can ask for them.

* ``moto_server`` (session): a real moto server process; ``moto`` (function) is the same server, reset first.
* ``sshd`` (session): a real OpenSSH sshd whose logins accept moto's key pairs and the harness client key.
* ``sshd_password`` (session): a second sshd that accepts a password for root (skipped when not root).
* ``ec2_sshd`` (session): an sshd standing for an Amazon Linux instance: ``ec2-user`` logs in with moto's key pairs,
  and ``sudo``, package and service managers and the AWS CLI are stand-ins (skipped when not root).
* ``silent_port`` (function): a port that accepts TCP connections and never speaks.

What a CI machine needs (Debian/Ubuntu): ``apt-get install openssh-server openssh-client python3`` (``sshd``; ``ssh``,
``scp``, ``ssh-agent`` for the benchmark and agent tests; a root-owned ``/usr/bin/python3`` for the
``AuthorizedKeysCommand``) and ``pip install "moto[server]" boto3 paramiko pytest``. Running as root adds the
password-login variant (``unshare`` from util-linux, ``openssl`` for the password hash).

The session sshd is shared: ``Sshd.drop_connections()`` drops every connection to it, so tests that use it must not
run in parallel with each other (no pytest-xdist on these).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness.moto_server import MotoServer
from tests.harness.ports import SilentPort
from tests.harness.sshd import DEFAULT_PASSWORD, Sshd, instance_user_available, password_auth_available


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    server = MotoServer.start(tmp_path_factory.mktemp("moto"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def moto(moto_server: MotoServer) -> MotoServer:
    """The session's moto server with no resources and an empty recording."""
    moto_server.reset()
    return moto_server


@pytest.fixture(scope="session")
def sshd(moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    server = Sshd.start(tmp_path_factory.mktemp("sshd"), moto_endpoint=moto_server.endpoint)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sshd_password(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    if not password_auth_available():
        pytest.skip("password login to the test sshd needs root and `unshare --mount`")
    server = Sshd.start(tmp_path_factory.mktemp("sshd-password"), password=DEFAULT_PASSWORD)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ec2_sshd(moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    if not instance_user_available():
        pytest.skip("the ec2-user instance sshd needs root and `unshare --mount`")
    server = Sshd.start(
        tmp_path_factory.mktemp("sshd-ec2"), moto_endpoint=moto_server.endpoint, instance_user="ec2-user"
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def silent_port() -> Iterator[SilentPort]:
    with SilentPort() as port:
        yield port
