"""One SSH connection, opened the way Packer's communicator opens it and tuned for throughput.

What is Packer's:
  * no host key check (``InsecureIgnoreHostKey``); optional bastion (a ``direct-tcpip`` channel through a second SSH
    connection, as ``ssh.BastionConnectFunc``);
  * authentication order agent keys, key file, temporary key, password, keyboard-interactive (``SSHConfigFunc``),
    and on failure Go's ``ssh: unable to authenticate, attempted methods [...]``;
  * keep-alives every ``ssh_keep_alive_interval`` that ask for a reply, and, with ``ssh_read_write_timeout``, a
    connection that is declared dead after that long without receiving a byte (Go's ``timeoutConn`` deadlines;
    the replies keep a healthy idle connection alive);
  * exit status of a command killed by a signal: 128 + the signal number (Go's ``ExitError``), for which paramiko
    has no handling of its own;
  * agent forwarding requested once per connection, unless ``ssh_disable_agent_forwarding``.

What is for speed (see docs/performance.md): AES-GCM first in the cipher offer (paramiko prefers AES-CTR with a
separate HMAC, which costs twice as much; paramiko has no chacha20-poly1305), a 2 GiB receive window and large
packets so downloads never stall on window adjustments, TCP_NODELAY so our small packets leave at once, and
immediate acknowledgements (``QuickAckSocket``) so that the server's small packets do not wait for them.

That last one is worth 40 ms per stall. sshd, like most servers, leaves Nagle's algorithm on for a session without a
pty: a small packet (a channel-open confirmation, a command's exit status, an scp acknowledgement) is held back while
an earlier one is still unacknowledged, and Linux delays the acknowledgement of data the client does not answer
(the ``hostkeys-00@openssh.com`` notice after login, a command's output) by 40 ms. Every such pair cost a build 40 ms:
the first command of a connection, and about one in three of the remote commands of a shell provisioner. Go's ssh
client (Packer) waits the same way.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import socket
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from packer_py.communicator.boundary import accepted, connecting, dialing, in_session, offered_methods
from packer_py.communicator.config import SSHConfig
from packer_py.communicator.errors import CommunicatorError, SSHAuthError, SSHDialError

if TYPE_CHECKING:
    import paramiko

log = logging.getLogger("packer_py.communicator")

WINDOW_SIZE = 2**31
"""Receive window per channel: large enough that a download never waits for a window adjustment."""
MAX_PACKET_SIZE = 2**18
"""Largest data packet we accept; OpenSSH sends smaller ones anyway, but never more than we allow."""

PREFERRED_CIPHERS = ("chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com")
"""Offered first when the user did not choose ``ssh_ciphers``: AEAD ciphers need no separate MAC pass."""

GO_SIGNALS = {
    "ABRT": 6,
    "ALRM": 14,
    "FPE": 8,
    "HUP": 1,
    "ILL": 4,
    "INT": 2,
    "KILL": 9,
    "PIPE": 13,
    "QUIT": 3,
    "SEGV": 11,
    "TERM": 15,
    "USR1": 10,
    "USR2": 12,
}
"""The signals Go's ssh package maps to exit status 128 + N (others give 128)."""


@functools.cache
def transport_class() -> type[paramiko.Transport]:
    """paramiko's Transport, plus ``exit-signal`` handling and keep-alives that want a reply.

    Built on first use so that importing this package does not import paramiko.
    """
    from packer_py.communicator.paramiko_import import load_paramiko

    load_paramiko()
    import paramiko
    from paramiko.common import MSG_CHANNEL_REQUEST, cMSG_GLOBAL_REQUEST

    # paramiko logs every failed attempt (a banner that never came, a refused kex) with a traceback at ERROR; with no
    # handler anywhere, Python's last-resort handler would print those on stderr, which Packer never does. They still
    # reach the root logger when PACKER_LOG configures one.
    logging.getLogger("paramiko").addHandler(logging.NullHandler())

    def handle_channel_request(chan: paramiko.Channel, m: paramiko.Message) -> None:
        start = m.packet.tell()
        if m.get_text() == "exit-signal":
            m.get_boolean()  # want_reply: always false for exit-signal
            chan.exit_status = 128 + GO_SIGNALS.get(m.get_text(), 0)
            chan.status_event.set()
            return
        m.packet.seek(start)
        paramiko.Channel._handle_request(chan, m)  # type: ignore[attr-defined]  # paramiko's own handler

    class PackerTransport(paramiko.Transport):
        _channel_handler_table: ClassVar[dict[int, Callable[[paramiko.Channel, paramiko.Message], None]]] = {
            **paramiko.Transport._channel_handler_table,  # type: ignore[attr-defined]
            MSG_CHANNEL_REQUEST: handle_channel_request,
        }

        def send_keepalive(self) -> None:
            """``keepalive@openssh.com`` with want_reply, like Packer's ``SendRequest(..., true, nil)``; the server's
            (failure) reply is traffic that resets the read deadline. paramiko's own keep-alive asks for no reply."""
            m = paramiko.Message()
            m.add_byte(cMSG_GLOBAL_REQUEST)
            m.add_string("keepalive@openssh.com")
            m.add_boolean(True)
            self._send_user_message(m)  # type: ignore[attr-defined]  # waits out a re-key, as all sends

    return PackerTransport


class QuickAckSocket:
    """A TCP socket that acknowledges what it receives at once (Linux ``TCP_QUICKACK``, re-armed after every read
    because the kernel falls back to delayed acknowledgements by itself); see the module docstring."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def recv(self, n: int) -> bytes:
        data: bytes = self._sock.recv(n)
        try:
            self._sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
        except OSError:
            pass
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


QUICKACK: int = getattr(socket, "TCP_QUICKACK", 0)
"""0 where the platform has no quick acknowledgements (not Linux): sockets are then used as they are."""


def _expired() -> OSError:
    """Not ETIMEDOUT: Python would make that a ``TimeoutError``, which paramiko takes for "no data yet"."""
    return ConnectionAbortedError(errno.ECONNABORTED, "i/o timeout")


class DeadlineSocket:
    """A socket that fails once nothing was received, or a send stayed blocked, for ``timeout`` seconds.

    paramiko polls its socket with a 0.1 s timeout and treats a timeout as "nothing yet"; turning a long silence
    into an OSError makes the transport give up, which ends every channel without an exit status: a disconnect.
    Go sets the deadline afresh before each read and each write, so a read fails after ``timeout`` without data and
    a write after ``timeout`` without progress; paramiko's loop of short reads makes "since the last data" the same.
    """

    def __init__(self, sock: Any, timeout: float) -> None:
        self._sock = sock
        self._timeout = timeout
        self._last_read = time.monotonic()
        self._send_blocked_since: float | None = None

    def recv(self, n: int) -> bytes:
        try:
            data: bytes = self._sock.recv(n)
        except TimeoutError:
            if time.monotonic() - self._last_read > self._timeout:
                raise _expired() from None
            raise
        self._last_read = time.monotonic()
        return data

    def send(self, data: bytes) -> int:
        try:
            sent: int = self._sock.send(data)
        except TimeoutError:
            now = time.monotonic()
            if self._send_blocked_since is None:
                self._send_blocked_since = now
            elif now - self._send_blocked_since > self._timeout:
                raise _expired() from None
            raise
        self._send_blocked_since = None
        return sent

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


@dataclass
class Credentials:
    """What to offer the server, loaded once per communicator (keys are parsed before the first attempt)."""

    username: str
    keys: list[paramiko.PKey] = field(default_factory=list)
    password: str = ""
    agent: bool = False


@dataclass
class Connection:
    """An authenticated SSH connection. ``close()`` is idempotent."""

    transport: paramiko.Transport
    bastion: paramiko.Transport | None = None
    agent_forwarding: Any = None
    _sftp: paramiko.SFTPClient | None = None

    def alive(self) -> bool:
        return bool(self.transport.is_active())

    def open_session(self) -> paramiko.Channel:
        return self.transport.open_session(window_size=WINDOW_SIZE, max_packet_size=MAX_PACKET_SIZE)

    def sftp(self) -> paramiko.SFTPClient:
        """The SFTP client, opened on first use and kept (as Fabric's ``Connection.sftp``)."""
        if self._sftp is None:
            import paramiko

            client = paramiko.SFTPClient.from_transport(
                self.transport, window_size=WINDOW_SIZE, max_packet_size=MAX_PACKET_SIZE
            )
            if client is None:
                raise CommunicatorError("sftp: the server refused the sftp subsystem")
            self._sftp = client
        return self._sftp

    def close(self) -> None:
        """SFTP first, then the connection, then the bastion; safe to call twice."""
        if self._sftp is not None:
            sftp, self._sftp = self._sftp, None
            sftp.close()  # closes its channel; a channel of a dead transport closes without I/O
        if self.agent_forwarding is not None:
            handler, self.agent_forwarding = self.agent_forwarding, None
            handler.close()
        self.transport.close()
        if self.bastion is not None:
            self.bastion.close()


def _ordered(
    offer: tuple[str, ...], supported: tuple[str, ...], preferred: tuple[str, ...], what: str
) -> tuple[str, ...]:
    if offer:
        chosen = tuple(name for name in offer if name in supported)
        if not chosen:
            raise CommunicatorError(
                f"{what}: none of {', '.join(offer)} is supported (supported: {', '.join(supported)})"
            )
        return chosen
    first = tuple(name for name in preferred if name in supported)
    return first + tuple(name for name in supported if name not in first)


def _tcp_socket(host: str, port: int, timeout: float) -> socket.socket:
    with dialing(f"{host}:{port}"):
        sock = socket.create_connection((host, port), timeout=max(timeout, 0.001))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _tuned(sock: socket.socket) -> Any:
    if not QUICKACK:
        return sock
    sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
    return QuickAckSocket(sock)


def _start_transport(sock: Any, config: SSHConfig, deadline: float) -> paramiko.Transport:
    remaining = max(deadline - time.monotonic(), 0.001)
    transport = transport_class()(sock, default_window_size=WINDOW_SIZE, default_max_packet_size=MAX_PACKET_SIZE)
    try:
        options = transport.get_security_options()
        options.ciphers = _ordered(config.ssh_ciphers, tuple(options.ciphers), PREFERRED_CIPHERS, "ssh_ciphers")
        if config.ssh_key_exchange_algorithms:
            options.kex = _ordered(
                config.ssh_key_exchange_algorithms, tuple(options.kex), (), "ssh_key_exchange_algorithms"
            )
        transport.banner_timeout = min(remaining, 60.0)
        transport.handshake_timeout = remaining
        transport.auth_timeout = remaining
        transport.start_client(timeout=remaining)
    except BaseException:
        transport.close()
        raise
    return transport


def _agent_keys() -> tuple[Any, list[paramiko.PKey]]:
    if not os.environ.get("SSH_AUTH_SOCK"):
        raise CommunicatorError("SSH_AUTH_SOCK is not set")
    import paramiko

    agent = paramiko.Agent()
    return agent, list(agent.get_keys())


def authenticate(transport: paramiko.Transport, credentials: Credentials) -> None:
    """Offer agent keys, then private keys, then the password (``password``, then ``keyboard-interactive``).

    Every method name that was tried is listed in the failure, as Go's client does.
    """
    user = credentials.username
    attempted = ["none"]
    allowed = offered_methods(transport, user)
    if allowed is None:  # the server let us in without credentials
        return
    agent = None
    keys = list(credentials.keys)
    try:
        if credentials.agent:
            agent, agent_keys = _agent_keys()
            keys = agent_keys + keys
        for key in keys:
            if "publickey" not in allowed:
                break
            if "publickey" not in attempted:
                attempted.append("publickey")
            if accepted(functools.partial(transport.auth_publickey, user, key)) and transport.is_authenticated():
                return
        password = credentials.password
        if password and "password" in allowed:
            attempted.append("password")
            if accepted(functools.partial(transport.auth_password, user, password)) and transport.is_authenticated():
                return
        if password and "keyboard-interactive" in allowed:
            attempted.append("keyboard-interactive")

            def answer(_title: str, _instructions: str, prompts: list[tuple[str, bool]]) -> list[str]:
                return [password for _ in prompts]

            if accepted(functools.partial(transport.auth_interactive, user, answer)) and transport.is_authenticated():
                return
    finally:
        if agent is not None:
            agent.close()
    raise SSHAuthError(
        f"ssh: handshake failed: ssh: unable to authenticate, attempted methods [{' '.join(attempted)}], "
        "no supported methods remain"
    )


def _open_bastion(config: SSHConfig, deadline: float) -> tuple[paramiko.Transport, paramiko.Channel]:
    from packer_py.communicator.keys import load_private_key_file

    bastion_address = f"{config.ssh_bastion_host}:{config.ssh_bastion_port}"
    keys = [load_private_key_file(config.bastion_key_file)] if config.bastion_key_file else []
    credentials = Credentials(
        username=config.ssh_bastion_username,
        keys=keys,
        password=config.ssh_bastion_password,
        agent=config.ssh_bastion_agent_auth,
    )
    with connecting(bastion_address):
        sock = _tuned(_tcp_socket(config.ssh_bastion_host, config.ssh_bastion_port, deadline - time.monotonic()))
        transport = _start_transport(sock, config, deadline)
        try:
            try:
                authenticate(transport, credentials)
            except SSHAuthError as exc:
                # Packer dials the bastion inside its connect function: a refusal there is a connect failure,
                # retried until ssh_timeout, not a handshake attempt.
                raise SSHDialError(f"Error connecting to bastion: {exc}") from exc
            channel = transport.open_channel(
                "direct-tcpip",
                (config.ssh_host, config.ssh_port),
                ("127.0.0.1", 0),
                window_size=WINDOW_SIZE,
                max_packet_size=MAX_PACKET_SIZE,
                timeout=max(deadline - time.monotonic(), 0.001),
            )
        except BaseException:
            transport.close()
            raise
    return transport, channel


def open_connection(config: SSHConfig, credentials: Credentials, timeout: float) -> Connection:
    """One attempt: connect (directly or through the bastion), handshake and authenticate within ``timeout``.

    Raises ``SSHConnectError`` (retry), ``SSHAuthError`` (retry, counted) or another ``CommunicatorError`` (give up).
    """
    deadline = time.monotonic() + timeout
    bastion: paramiko.Transport | None = None
    sock: Any
    with connecting(config.address):
        if config.ssh_bastion_host:
            bastion, sock = _open_bastion(config, deadline)
        else:
            sock = _tuned(_tcp_socket(config.ssh_host, config.ssh_port, deadline - time.monotonic()))
        try:
            if config.ssh_read_write_timeout > 0:
                sock = DeadlineSocket(sock, config.ssh_read_write_timeout)
            transport = _start_transport(sock, config, deadline)
            try:
                authenticate(transport, credentials)
            except BaseException:
                transport.close()
                raise
        except BaseException:
            sock.close()
            if bastion is not None:
                bastion.close()
            raise
    connection = Connection(transport=transport, bastion=bastion)
    if config.ssh_keep_alive_interval > 0:
        proxy = weakref.proxy(transport)
        transport.packetizer.set_keepalive(config.ssh_keep_alive_interval, lambda: proxy.send_keepalive())
    if not config.ssh_disable_agent_forwarding and os.environ.get("SSH_AUTH_SOCK"):
        connection.agent_forwarding = _request_agent_forwarding(connection)
    return connection


def _request_agent_forwarding(connection: Connection) -> Any:
    """Ask once per connection, on a throwaway session, as Packer's ``connectToAgent`` does: sshd then offers the
    agent socket to every later session of the connection."""
    from paramiko.agent import AgentRequestHandler

    try:
        with in_session("agent forwarding"):
            session = connection.open_session()
            handler = AgentRequestHandler(session)
            session.close()
    except CommunicatorError as exc:  # forwarding is best effort in Packer too: logged, never fatal
        log.info("[ERROR] RequestAgentForwarding: %s", exc)
        return None
    log.info("[INFO] agent forwarding enabled")
    return handler
