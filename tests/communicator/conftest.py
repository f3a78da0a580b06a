"""Communicators aimed at the harness sshd, with waits shortened so connection failures are quick to test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from packer_py.communicator import SSHCommunicator, SSHConfig
from tests.harness.sshd import Sshd

MakeComm = Callable[..., SSHCommunicator]


@pytest.fixture
def make_comm(sshd: Sshd) -> Iterator[MakeComm]:
    """``make_comm(**ssh_config_overrides)``: a communicator for the session sshd, logging in with the harness key."""
    made: list[SSHCommunicator] = []

    def make(**overrides: Any) -> SSHCommunicator:
        fields: dict[str, Any] = {
            "ssh_host": sshd.host,
            "ssh_port": sshd.port,
            "ssh_username": sshd.user,
            "ssh_private_key": sshd.client_key_text,
            "ssh_timeout": 10.0,
        }
        fields.update(overrides)
        comm = SSHCommunicator(SSHConfig(**fields), retry_interval=0.05, handshake_pause=0.01)
        made.append(comm)
        return comm

    yield make
    for comm in made:
        comm.close()


@pytest.fixture
def comm(make_comm: MakeComm) -> SSHCommunicator:
    return make_comm()
