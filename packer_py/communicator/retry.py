"""Waiting for SSH: Packer's ``StepConnectSSH.waitForSSH`` loop, with the clock and sleep passed in.

Packer 1.6.6 tries at once, then every 5 s; the whole wait is bounded by ``ssh_timeout`` (even mid-attempt), after
which it fails with ``Timeout waiting for SSH.``. A failed TCP connect is simply retried. A failed SSH handshake is
followed by an extra 2 s pause. Only authentication failures (recognised by the word "authenticate") count against
``ssh_handshake_attempts``; when they reach it, the wait ends with Packer's "authentication error" message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from packer_py.communicator.errors import SSHAuthError, SSHConnectError, SSHDialError, SSHTimeoutError

log = logging.getLogger("packer_py.communicator")

T = TypeVar("T")

RETRY_INTERVAL = 5.0
HANDSHAKE_PAUSE = 2.0

AUTH_ERROR_PREFIX = (
    "Packer experienced an authentication error when trying to connect via SSH. This can happen if your "
    "username/password are wrong. You may want to double-check your credentials as part of your debugging process. "
    "original error: "
)


def wait_for_ssh(
    attempt: Callable[[float], T],
    *,
    timeout: float,
    handshake_attempts: int,
    retry_interval: float = RETRY_INTERVAL,
    handshake_pause: float = HANDSHAKE_PAUSE,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``attempt(remaining_seconds)`` until it returns a connection.

    ``attempt`` raises ``SSHConnectError`` for a failure worth retrying (``SSHAuthError`` for a refused credential);
    any other error ends the wait at once.
    """
    deadline = clock() + timeout
    auth_failures = 0

    def pause(seconds: float) -> None:
        seconds = min(seconds, deadline - clock())
        if seconds > 0:
            sleep(seconds)
        if clock() >= deadline:
            raise SSHTimeoutError()

    first = True
    while True:
        if not first:
            pause(retry_interval)
        first = False
        remaining = deadline - clock()
        if remaining <= 0:
            raise SSHTimeoutError()
        try:
            return attempt(remaining)
        except SSHAuthError as exc:
            log.debug("[DEBUG] SSH handshake err: %s", exc)
            log.debug("[DEBUG] Detected authentication error. Increasing handshake attempts.")
            auth_failures += 1
            if auth_failures >= handshake_attempts:
                raise SSHAuthError(AUTH_ERROR_PREFIX + str(exc)) from exc
            pause(handshake_pause)
        except SSHConnectError as exc:
            if clock() >= deadline:
                raise SSHTimeoutError() from exc
            if isinstance(exc, SSHDialError):
                log.debug("[DEBUG] TCP connection to SSH ip/port failed: %s", exc)
            else:
                log.debug("[DEBUG] SSH handshake err: %s", exc)
                pause(handshake_pause)
