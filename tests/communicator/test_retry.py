"""Packer's wait-for-SSH schedule, on a fake clock: first try at once, then every interval, until ssh_timeout."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from packer_py.communicator.errors import (
    SSHAuthError,
    SSHConnectError,
    SSHDialError,
    SSHKeyError,
    SSHTimeoutError,
)
from packer_py.communicator.retry import AUTH_ERROR_PREFIX, wait_for_ssh


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _attempts(clock: FakeClock, outcomes: list[Exception | str]) -> tuple[list[float], Callable[[float], str]]:
    """An attempt function that replays ``outcomes`` and records when (on the fake clock) it was called."""
    started: list[float] = []

    def attempt(remaining: float) -> str:
        started.append(clock.now - 100.0)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return started, attempt


def _wait(clock: FakeClock, attempt: Callable[[float], str], timeout: float = 60.0, attempts: int = 10) -> str:
    return wait_for_ssh(
        attempt,
        timeout=timeout,
        handshake_attempts=attempts,
        retry_interval=5.0,
        handshake_pause=2.0,
        clock=clock,
        sleep=clock.sleep,
    )


def test_first_attempt_is_immediate_then_every_interval() -> None:
    clock = FakeClock()
    refused = SSHDialError("dial tcp 10.0.0.1:22: connection refused")
    started, attempt = _attempts(clock, [refused, refused, "connected"])
    assert _wait(clock, attempt) == "connected"
    assert started == [0.0, 5.0, 10.0]


def test_handshake_failures_add_packers_two_second_pause() -> None:
    clock = FakeClock()
    started, attempt = _attempts(clock, [SSHConnectError("ssh: handshake failed: EOF"), "connected"])
    _wait(clock, attempt)
    assert started == [0.0, 7.0]


def test_timeout_waiting_for_ssh() -> None:
    clock = FakeClock()
    started, attempt = _attempts(clock, [SSHDialError("dial tcp: i/o timeout")] * 20)
    with pytest.raises(SSHTimeoutError, match=r"^Timeout waiting for SSH\.$"):
        _wait(clock, attempt, timeout=12.0)
    assert started == [0.0, 5.0, 10.0]
    assert clock.now - 100.0 == pytest.approx(12.0), "the wait ends at ssh_timeout, not at the next attempt"


def test_only_authentication_failures_count_as_handshake_attempts() -> None:
    clock = FakeClock()
    denied = SSHAuthError("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey]")
    outcomes: list[Exception | str] = [SSHDialError("refused"), denied, SSHDialError("refused"), denied, denied]
    started, attempt = _attempts(clock, outcomes)
    with pytest.raises(SSHAuthError) as caught:
        _wait(clock, attempt, attempts=3)
    assert len(started) == 5
    assert str(caught.value) == AUTH_ERROR_PREFIX + str(denied)
    assert "authenticate" in str(caught.value)


def test_authentication_failures_below_the_limit_are_retried() -> None:
    clock = FakeClock()
    denied = SSHAuthError("ssh: handshake failed: ssh: unable to authenticate")
    started, attempt = _attempts(clock, [denied, denied, "connected"])
    assert _wait(clock, attempt, attempts=3) == "connected"
    assert started == [0.0, 7.0, 14.0]


def test_other_errors_end_the_wait_at_once() -> None:
    clock = FakeClock()
    started, attempt = _attempts(clock, [SSHKeyError("Error on parsing SSH private key: ssh: no key found")])
    with pytest.raises(SSHKeyError):
        _wait(clock, attempt)
    assert started == [0.0]
