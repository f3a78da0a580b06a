"""The ansible provisioner's proxy: a local SSH server whose sessions run on the instance over our communicator.

Packer 1.6.6's ``packer-plugin-sdk/adapter``: Ansible connects to ``127.0.0.1:<port>`` as ``user`` with one
authorized key; every ``exec`` request becomes a command on the instance (stdin, stdout, stderr and the exit status
relayed both ways), ``pty-req`` and ``env`` are accepted and ignored, ``shell`` and other channel types are
refused, and the ``sftp`` subsystem runs ``sftp_command`` on the instance.

Where packer-py differs, on purpose (``docs/compatibility.md``):

* Host keys. Packer offers one ``ssh-rsa`` host key (SHA-1 signatures), which OpenSSH 8.8 and later refuse
  (``no matching host key type found. Their offer: ssh-rsa``), so Packer users add
  ``-o HostKeyAlgorithms=+ssh-rsa``. This server offers an ECDSA key by default (RSA with rsa-sha2-256/512 when
  ``ansible_proxy_key_type`` is ``RSA``, as the newest Packer's option), so current clients connect out of the box;
  ``+ssh-rsa`` in the user's arguments only appends an algorithm and still works.
* ``sftp`` with no ``sftp_command``: Packer runs ``/usr/lib/sftp-server -e``, a path that exists on few images
  (Debian has ``/usr/lib/openssh/sftp-server``, Amazon Linux ``/usr/libexec/openssh/sftp-server``). Here the
  instance's own ``sftp`` subsystem is opened instead, which every sshd configures; a given ``sftp_command`` is
  run as Packer runs it.
* ``scp -t``/``scp -f`` run on the instance's own scp, where Packer answers them with its own scp implementation;
  the files land the same.

paramiko is imported at module level: only the ansible provisioner imports this module, when a build runs.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import paramiko
from paramiko.common import (
    AUTH_FAILED,
    AUTH_SUCCESSFUL,
    OPEN_FAILED_UNKNOWN_CHANNEL_TYPE,
    OPEN_SUCCEEDED,
)

from packer_py.communicator.errors import CommunicatorError
from packer_py.communicator.server import ConnectionServer
from packer_py.errors import PackerPyError

if TYPE_CHECKING:
    from packer_py.communicator.ssh import SSHCommunicator

log = logging.getLogger("packer_py.communicator.adapter")
logging.getLogger("packer_py.communicator.adapter.transport").addHandler(logging.NullHandler())

CHUNK = 1 << 15
LISTEN_TRIES = 10
"""With ``local_port`` set, Packer tries that port and the nine after it; with none, one system-chosen port."""
DEFAULT_SFTP_COMMAND = "/usr/lib/sftp-server -e"


class AdapterError(CommunicatorError):
    """The proxy could not be set up (keys, listening port)."""


# -- keys ----------------------------------------------------------------------------------------------------------
def generate_user_key() -> tuple[paramiko.PKey, bytes]:
    """Packer's ``newUserKey("")``: a fresh RSA-2048 key; returns it and its PKCS#1 PEM (``RSA PRIVATE KEY``),
    which Ansible is given as ``ansible_ssh_private_key_file``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return paramiko.RSAKey(key=key), pem


def read_authorized_key(path: str) -> paramiko.PKey:
    """Packer's ``newUserKey(ssh_authorized_key_file)``: the first key of an ``authorized_keys``-style file."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError as exc:
        raise AdapterError("Failed to read public key") from exc
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        for i in range(min(len(fields) - 1, 2)):  # "[options] type base64 [comment]": options without spaces
            try:
                return paramiko.PKey.from_type_string(fields[i], _b64(fields[i + 1]))
            except (ValueError, paramiko.SSHException, TypeError):
                continue
        break
    raise AdapterError("Failed to parse authorized key")


def _b64(text: str) -> bytes:
    import base64
    import binascii

    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError(str(exc)) from exc


def host_keys(ssh_host_key_file: str, key_type: str) -> list[paramiko.PKey]:
    """Packer's ``newSigner``: the user's host key, else a fresh one (ECDSA P-256, or RSA-2048 for ``RSA``)."""
    if ssh_host_key_file:
        from packer_py.communicator.keys import load_private_key

        try:
            with open(ssh_host_key_file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise AdapterError("error creating host signer: Failed to load private host key") from exc
        try:
            return [load_private_key(data)]
        except PackerPyError as exc:
            raise AdapterError("error creating host signer: Failed to parse private host key") from exc
    if key_type.upper() == "RSA":
        return [paramiko.RSAKey.generate(2048)]
    return [paramiko.ECDSAKey.generate()]


# -- listening -----------------------------------------------------------------------------------------------------
def listen(local_port: int, say: Callable[[str], None]) -> socket.socket:
    """``127.0.0.1:<local_port>`` (or the next free of ten), or a system-chosen port when ``local_port`` is 0.

    Each failed try is said on the UI in Go's words (``listen tcp 127.0.0.1:22: bind: address already in use``).
    """
    port = local_port
    tries = LISTEN_TRIES if port else 1
    for _ in range(tries):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen(16)
        except OSError as exc:
            sock.close()
            say(f"listen tcp 127.0.0.1:{port}: bind: {os.strerror(exc.errno or errno.EADDRINUSE).lower()}")
            port += 1
            continue
        return sock
    raise AdapterError("Error setting up SSH proxy connection")


# -- the server ----------------------------------------------------------------------------------------------------
class SSHAdapter:
    """Serves Ansible's SSH connections on ``listener`` until ``shutdown()``; each session runs on the instance."""

    def __init__(
        self,
        comm: SSHCommunicator,
        listener: socket.socket,
        *,
        user: str,
        user_key: paramiko.PKey,
        host_keys: Sequence[paramiko.PKey],
        sftp_command: str = "",
        on_error: Callable[[str], None] = lambda _text: None,
    ) -> None:
        self.comm = comm
        self.listener = listener
        self.user = user
        self.user_key = user_key
        self.host_keys = list(host_keys)
        self.sftp_command = sftp_command
        self.on_error = on_error
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._remotes: set[paramiko.Channel] = set()
        self._server = ConnectionServer(
            listener,
            name="ansible-proxy",
            transport=self._transport,
            interface=lambda _t: _Server(self),
            on_error=on_error,
        )

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])

    def serve(self) -> None:
        """Start accepting in a background thread (Packer's ``go adapter.Serve()``)."""
        log.info("SSH proxy: serving on 127.0.0.1:%d", self.port)
        self._server.start()

    def shutdown(self) -> None:
        """Stop listening and end every connection and every command it started. Safe to call twice."""
        log.info("shutting down the SSH proxy")
        self._done.set()
        self._server.close()
        with self._lock:
            remotes, self._remotes = set(self._remotes), set()
        for remote in remotes:
            remote.close()

    def _transport(self, conn: socket.socket) -> paramiko.Transport:
        log.info("SSH proxy: accepted connection")
        transport = paramiko.Transport(conn)
        transport.set_log_channel("packer_py.communicator.adapter.transport")
        for key in self.host_keys:
            transport.add_server_key(key)
        return transport

    # -- sessions ------------------------------------------------------------------------------------------------
    def start_session(self, client: paramiko.Channel, command: str | None, subsystem: str | None) -> None:
        threading.Thread(
            target=self._relay, args=(client, command, subsystem), name="ansible-proxy-session", daemon=True
        ).start()

    def _start_remote(self, command: str | None, subsystem: str | None) -> paramiko.Channel:
        if subsystem is not None:
            if self.sftp_command:
                log.info("starting sftp subsystem: %s", self.sftp_command)
                return self.comm.start(self.sftp_command)
            return self.comm.start(subsystem="sftp")
        log.info("new exec request: %s", command)
        return self.comm.start(command or "")

    def _relay(self, client: paramiko.Channel, command: str | None, subsystem: str | None) -> None:
        try:
            remote = self._start_remote(command, subsystem)
        except PackerPyError as exc:
            self.on_error(str(exc))
            _finish(client, 255)
            return
        with self._lock:
            if self._done.is_set():
                remote.close()
                _finish(client, 255)
                return
            self._remotes.add(remote)
        feeder = threading.Thread(target=_feed, args=(client, remote), daemon=True)
        feeder.start()
        errors = threading.Thread(target=_copy, args=(remote.recv_stderr, client.sendall_stderr), daemon=True)
        errors.start()
        _copy(remote.recv, client.sendall)
        errors.join()
        status = remote.recv_exit_status()
        _finish(client, status if status >= 0 else None)
        remote.close()
        with self._lock:
            self._remotes.discard(remote)


def _copy(read: Callable[[int], bytes], write: Callable[[bytes], object]) -> None:
    """Instance → Ansible until the instance's stream ends; a vanished client stops the copy."""
    while True:
        try:
            data = read(CHUNK)
        except (OSError, EOFError, paramiko.SSHException):
            return
        if not data:
            return
        try:
            write(data)
        except (OSError, EOFError, paramiko.SSHException):
            return


def _feed(client: paramiko.Channel, remote: paramiko.Channel) -> None:
    """Ansible → instance (stdin); the client's EOF becomes the command's EOF."""
    try:
        while True:
            data = client.recv(CHUNK)
            if not data:
                break
            remote.sendall(data)
        remote.shutdown_write()
    except (OSError, EOFError, paramiko.SSHException):
        pass


def _finish(client: paramiko.Channel, status: int | None) -> None:
    """Send the exit status (none when the instance's connection dropped, as sshd when it loses a command), then
    end the session."""
    with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
        if status is not None:
            client.send_exit_status(status)
        client.shutdown_write()
        client.close()


class _Server(paramiko.ServerInterface):
    """One Ansible connection: authentication, then its sessions' requests."""

    def __init__(self, adapter: SSHAdapter) -> None:
        self.adapter = adapter

    def get_allowed_auths(self, username: str) -> str:
        return "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        """Packer's ``UserKeyFallback``: the configured user, with the one authorized key."""
        log.info("authentication attempt as %s using publickey", username)
        if username != self.adapter.user:
            log.info("authentication failed: %s is not a valid user", username)
            return AUTH_FAILED
        if key.asbytes() != self.adapter.user_key.asbytes():
            log.info("authentication failed: unauthorized key")
            return AUTH_FAILED
        return AUTH_SUCCESSFUL

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return OPEN_SUCCEEDED if kind == "session" else OPEN_FAILED_UNKNOWN_CHANNEL_TYPE

    def check_channel_pty_request(
        self,
        channel: paramiko.Channel,
        term: bytes,
        width: int,
        height: int,
        pixelwidth: int,
        pixelheight: int,
        modes: bytes,
    ) -> bool:
        return True  # accepted and ignored, as Packer (OpenSSH and sudo want it granted)

    def check_channel_env_request(self, channel: paramiko.Channel, name: bytes, value: bytes) -> bool:
        return True  # accepted and ignored, as Packer

    def check_channel_shell_request(self, channel: paramiko.Channel) -> bool:
        return False

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        text = command.decode("utf-8", "replace") if isinstance(command, bytes) else str(command)
        if not text:
            return False
        self.adapter.start_session(channel, text, None)
        return True

    def check_channel_subsystem_request(self, channel: paramiko.Channel, name: str) -> bool:
        if name != "sftp":
            self.adapter.on_error(f"unsupported subsystem requested: {name}")
            return False
        self.adapter.start_session(channel, None, "sftp")
        return True


__all__ = [
    "DEFAULT_SFTP_COMMAND",
    "AdapterError",
    "SSHAdapter",
    "generate_user_key",
    "host_keys",
    "listen",
    "read_authorized_key",
]
