"""The one place where paramiko's (and the socket layer's) exceptions become packer-py's.

Each context manager is used around a phase whose failures mean one thing to a build:

* ``dialing``: the TCP connection failed (``SSHDialError``), retried by the wait-for-SSH loop;
* ``connecting``: a failed connection attempt, retried by the wait-for-SSH loop (``SSHConnectError``), or a refused
  credential, counted against ``ssh_handshake_attempts`` (``SSHAuthError``);
* ``in_session``: the connection went away under an open session (``SSHDisconnectedError``);
* ``parsing_key``: paramiko refused a private key (``SSHKeyError``);
* ``offered_methods`` / ``accepted``: one authentication exchange, where paramiko's "refused" exception is just an
  answer (try the next credential), not an error;
* ``transferring``: a file transfer failed; if the connection is still up the remote refused (``TransferError``),
  otherwise the connection dropped.

Messages follow Packer's Go wording where Packer logs one (``ssh: handshake failed: ...``). paramiko is imported only
when a block actually fails.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from packer_py.communicator.errors import (
    CommunicatorError,
    SSHAuthError,
    SSHConnectError,
    SSHDialError,
    SSHDisconnectedError,
    SSHKeyError,
    TransferError,
)

if TYPE_CHECKING:
    import paramiko


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "i/o timeout"
    if isinstance(exc, EOFError):
        return "EOF"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    text = str(exc)
    return text or type(exc).__name__


def _connection_failed(exc: Exception) -> bool:
    """Whether ``exc`` is a failure of the connection itself: a socket error, an early EOF, or one of paramiko's
    protocol errors (``SSHException`` and its subclasses). paramiko is imported only for an exception that is none of
    the first two."""
    if isinstance(exc, OSError | EOFError):
        return True
    import paramiko

    return isinstance(exc, paramiko.SSHException)


@contextmanager
def dialing(address: str) -> Iterator[None]:
    """Around the TCP connect (Go's ``net.Dial``)."""
    try:
        yield
    except OSError as exc:
        raise SSHDialError(f"dial tcp {address}: {_reason(exc)}") from exc


@contextmanager
def connecting(address: str) -> Iterator[None]:
    """Around the rest of one connection attempt (SSH banner, key exchange, authentication)."""
    try:
        yield
    except CommunicatorError:
        raise
    except Exception as exc:
        if not _connection_failed(exc):
            raise
        import paramiko

        if isinstance(exc, paramiko.AuthenticationException):
            raise SSHAuthError(f"ssh: handshake failed: ssh: unable to authenticate: {exc}") from exc
        raise SSHConnectError(f"ssh: handshake failed: {_reason(exc)}") from exc


@contextmanager
def in_session(action: str) -> Iterator[None]:
    """Around opening and driving a session channel: any transport failure means the connection dropped."""
    try:
        yield
    except CommunicatorError:
        raise
    except Exception as exc:
        if _connection_failed(exc):
            raise SSHDisconnectedError(f"{action}: connection lost: {_reason(exc)}") from exc
        raise


@contextmanager
def transferring(action: str, alive: Callable[[], bool]) -> Iterator[None]:
    """Around a file transfer. ``alive`` tells a refusal by the remote (SFTP status, closed channel on a live
    connection) from a dropped connection."""
    try:
        yield
    except CommunicatorError:
        raise
    except Exception as exc:
        if _connection_failed(exc):
            if not alive():
                raise SSHDisconnectedError(f"{action}: connection lost: {_reason(exc)}") from exc
            # an SFTP status ("No such file", "Permission denied") in the server's words
            raise TransferError(
                f"{action}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"
            ) from exc
        import paramiko

        if isinstance(exc, paramiko.SFTPError):
            raise TransferError(f"{action}: {exc}") from exc
        raise


@contextmanager
def parsing_key() -> Iterator[None]:
    """Around handing a parsed private key to paramiko (it supports fewer curves than ``cryptography`` reads)."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        raise SSHKeyError(f"Error on parsing SSH private key: {exc}") from exc
    except Exception as exc:
        import paramiko

        if isinstance(exc, paramiko.SSHException):
            raise SSHKeyError(f"Error on parsing SSH private key: {exc}") from exc
        raise


def offered_methods(transport: paramiko.Transport, username: str) -> list[str] | None:
    """The ``none`` request every client starts with: ``None`` if it let us in, else the methods the server offers."""
    import paramiko

    try:
        transport.auth_none(username)
    except paramiko.BadAuthenticationType as exc:
        return list(exc.allowed_types)
    return None


def accepted(attempt: Callable[[], object]) -> bool:
    """Run one authentication request; ``False`` when the server refused that credential (or method)."""
    import paramiko

    try:
        attempt()
    except paramiko.AuthenticationException:
        return False
    return True
