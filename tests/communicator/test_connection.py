"""Pieces of the connection that need no server: Go-style I/O deadlines, algorithm order, remote path quoting."""

from __future__ import annotations

import pytest

from packer_py.communicator import connection
from packer_py.communicator.connection import PREFERRED_CIPHERS, DeadlineSocket, _ordered
from packer_py.communicator.errors import CommunicatorError
from packer_py.communicator.scp import remote_path
from packer_py.communicator.sftp import sftp_path


class SilentSocket:
    """Never has data; every send blocks (times out) until ``unblock``."""

    def __init__(self) -> None:
        self.blocked = True

    def recv(self, n: int) -> bytes:
        raise TimeoutError

    def send(self, data: bytes) -> int:
        if self.blocked:
            raise TimeoutError
        return len(data)

    def fileno(self) -> int:
        return 42


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(connection.time, "monotonic", lambda: now[0])
    return now


def test_silence_is_no_data_yet_until_the_deadline(clock: list[float]) -> None:
    sock = DeadlineSocket(SilentSocket(), timeout=5.0)
    clock[0] += 4.9
    with pytest.raises(TimeoutError):  # paramiko's "nothing yet, poll again"
        sock.recv(10)
    clock[0] += 0.2
    with pytest.raises(ConnectionAbortedError, match="i/o timeout") as caught:
        sock.recv(10)
    assert not isinstance(caught.value, TimeoutError), "paramiko would take a TimeoutError for 'no data yet'"


def test_a_send_fails_only_after_being_blocked_for_the_whole_timeout(clock: list[float]) -> None:
    raw = SilentSocket()
    sock = DeadlineSocket(raw, timeout=5.0)
    clock[0] += 60  # a long idle time before the send does not count
    with pytest.raises(TimeoutError):
        sock.send(b"x")
    clock[0] += 4
    with pytest.raises(TimeoutError):
        sock.send(b"x")
    raw.blocked = False
    assert sock.send(b"xy") == 2
    raw.blocked = True
    clock[0] += 1
    with pytest.raises(TimeoutError):
        sock.send(b"x")
    clock[0] += 5.1
    with pytest.raises(ConnectionAbortedError):
        sock.send(b"x")


def test_other_attributes_reach_the_socket() -> None:
    assert DeadlineSocket(SilentSocket(), timeout=1).fileno() == 42


def test_fast_ciphers_are_offered_first_when_none_are_configured() -> None:
    supported = ("aes128-ctr", "aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com")
    assert _ordered((), supported, PREFERRED_CIPHERS, "ssh_ciphers") == (
        "aes128-gcm@openssh.com",
        "aes256-gcm@openssh.com",
        "aes128-ctr",
        "aes256-ctr",
    )


def test_configured_ciphers_keep_their_order_and_drop_the_unknown() -> None:
    supported = ("aes128-ctr", "aes256-ctr", "aes128-gcm@openssh.com")
    offer = ("chacha20-poly1305@openssh.com", "aes256-ctr", "aes128-ctr")
    assert _ordered(offer, supported, PREFERRED_CIPHERS, "ssh_ciphers") == ("aes256-ctr", "aes128-ctr")
    with pytest.raises(CommunicatorError, match="^ssh_ciphers: none of arcfour is supported"):
        _ordered(("arcfour",), supported, PREFERRED_CIPHERS, "ssh_ciphers")


@pytest.mark.parametrize(
    ("path", "quoted"),
    [
        ("/tmp/file", "/tmp/file"),
        ("/tmp/a b", "'/tmp/a b'"),
        ("/tmp/it's", "'/tmp/it'\"'\"'s'"),
        ("~", "~"),
        ("~/", "~/"),
        ("~/dir with space/f", "~/'dir with space/f'"),
        ("~other/x", "'~other/x'"),
        ("$HOME/x", "'$HOME/x'"),
    ],
)
def test_remote_paths_are_quoted_but_a_leading_tilde_expands(path: str, quoted: str) -> None:
    assert remote_path(path) == quoted


@pytest.mark.parametrize(("path", "expected"), [("~", "."), ("~/", "."), ("~/a/b", "a/b"), ("/abs", "/abs")])
def test_sftp_paths_start_in_the_home_directory(path: str, expected: str) -> None:
    assert sftp_path(path) == expected
