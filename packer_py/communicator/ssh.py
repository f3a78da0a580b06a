"""``SSHCommunicator``: the SSH connection of one build, as Packer's ssh communicator, shaped like Fabric's
``Connection``.

Constructing it does no I/O. The first call (or ``connect()``) waits for SSH the way Packer's ``StepConnectSSH``
does: first attempt at once, then every 5 s until ``ssh_timeout`` (``Timeout waiting for SSH.``), counting only
refused credentials against ``ssh_handshake_attempts``. A connection that has dropped (an instance reboot, a script's
``shutdown -r``) is re-established the same way by the next call, or explicitly with ``reconnect()``.

``run`` streams stdout and stderr line by line and returns the exit status as data (``RemoteResult``); a drop in the
middle of a command is a result with ``exit_status=None`` (Packer's 2300218, which the shell provisioner's
``expect_disconnect`` accepts), not an exception. File transfers follow ``ssh_file_transfer_method``: ``scp`` streams
through one channel (``scp.py``), ``sftp`` uses pipelined writes (``sftp.py``).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, Self

from packer_py.communicator import scp, sftp
from packer_py.communicator.boundary import in_session, transferring
from packer_py.communicator.config import SSHConfig
from packer_py.communicator.errors import SSHDisconnectedError, TransferError
from packer_py.communicator.output import LineSink, relay
from packer_py.communicator.retry import HANDSHAKE_PAUSE, RETRY_INTERVAL, wait_for_ssh

if TYPE_CHECKING:
    import paramiko

    from packer_py.communicator.connection import Connection, Credentials

log = logging.getLogger("packer_py.communicator")

LocalPath = str | os.PathLike[str]


@dataclass(frozen=True)
class RemoteResult:
    """What a remote command did. A non-zero ``exit_status`` is for the provisioner to judge (``valid_exit_codes``);
    ``None`` means the connection dropped before the command reported one."""

    command: str
    exit_status: int | None

    @property
    def disconnected(self) -> bool:
        return self.exit_status is None


def _open_local(path: LocalPath, mode: str) -> BinaryIO:
    """A local file for a transfer; failing to open it is a transfer error in Go's words (``open X: reason``)."""
    try:
        return open(path, mode)  # type: ignore[return-value]
    except OSError as exc:
        raise TransferError(f"open {os.fspath(path)}: {(exc.strerror or str(exc)).lower()}") from exc


def _spool(stream: BinaryIO) -> BinaryIO:
    """Copy a stream of unknown length to a temporary file, as Packer does before an scp upload."""
    spool = tempfile.TemporaryFile(prefix="packer-upload")  # noqa: SIM115 (returned; the caller closes it)
    while chunk := stream.read(scp.CHUNK):
        spool.write(chunk)
    spool.seek(0)
    return spool


class SSHCommunicator:
    """One per build. Constructing it does no I/O; the first call connects, retrying until ``ssh_timeout``."""

    def __init__(
        self,
        config: SSHConfig,
        *,
        retry_interval: float = RETRY_INTERVAL,
        handshake_pause: float = HANDSHAKE_PAUSE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self._retry_interval = retry_interval
        self._handshake_pause = handshake_pause
        self._clock = clock
        self._sleep = sleep
        self._credentials: Credentials | None = None
        self._connection: Connection | None = None

    # -- connection ----------------------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._connection is not None and self._connection.alive()

    def _load_credentials(self) -> Credentials:
        from packer_py.communicator.connection import Credentials
        from packer_py.communicator.keys import load_private_key, load_private_key_file

        config = self.config
        keys = []
        if config.ssh_private_key_file:
            keys.append(load_private_key_file(config.ssh_private_key_file))
        if config.ssh_private_key:
            keys.append(load_private_key(config.ssh_private_key))
        return Credentials(
            username=config.ssh_username, keys=keys, password=config.ssh_password, agent=config.ssh_agent_auth
        )

    def connect(self) -> None:
        """Wait for SSH (no-op when connected). Raises ``SSHTimeoutError``, ``SSHAuthError`` or ``SSHKeyError``."""
        if self.connected:
            return
        self._discard()
        from packer_py.communicator.connection import open_connection

        if self._credentials is None:
            self._credentials = self._load_credentials()
        credentials = self._credentials
        log.info("[INFO] Waiting for SSH, up to timeout: %ss", self.config.ssh_timeout)
        self._connection = wait_for_ssh(
            lambda remaining: open_connection(self.config, credentials, remaining),
            timeout=self.config.ssh_timeout,
            handshake_attempts=self.config.ssh_handshake_attempts,
            retry_interval=self._retry_interval,
            handshake_pause=self._handshake_pause,
            clock=self._clock,
            sleep=self._sleep,
        )

    def reconnect(self) -> None:
        """Drop the current connection (if any) and wait for SSH again."""
        self._discard()
        self.connect()

    def _discard(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    def close(self) -> None:
        """Close SFTP, then SSH (and the bastion hop). Safe to call twice."""
        self._discard()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _live(self) -> Connection:
        self.connect()
        assert self._connection is not None
        return self._connection

    def _open_session(self) -> paramiko.Channel:
        """A new session channel; if the connection turns out to be gone, reconnect once (Packer's ``newSession``)."""
        connection = self._live()
        try:
            with in_session("open session"):
                return connection.open_session()
        except SSHDisconnectedError:
            if connection.alive():
                raise
        log.debug("[ERROR] ssh session open error, attempting reconnect")
        self.reconnect()
        with in_session("open session"):
            return self._live().open_session()

    # -- commands ------------------------------------------------------------------------------------------------

    def run(
        self,
        command: str,
        *,
        on_stdout: LineSink,
        on_stderr: LineSink,
        pty: bool = False,
        timeout: float | None = None,
    ) -> RemoteResult:
        """Run ``command`` through the login shell, streaming its output line by line.

        A pty is requested when ``pty`` or ``ssh_pty`` is set (xterm, 80x40, as Packer); stdin is closed at once.
        ``timeout`` bounds the whole command (``CommandTimeoutError``).
        """
        channel = self._open_session()
        log.debug("[DEBUG] starting remote command: %s", command)
        try:
            with in_session(f"run {command!r}"):
                if pty or self.config.ssh_pty:
                    channel.get_pty(term="xterm", width=80, height=40)
                channel.exec_command(command)
                channel.shutdown_write()
                status = relay(channel, on_stdout, on_stderr, timeout=timeout)
        finally:
            channel.close()
        if status is None:
            log.debug("[ERROR] Remote command exited without exit status or exit signal.")
        return RemoteResult(command=command, exit_status=status)

    def start(self, command: str | None = None, *, subsystem: str | None = None) -> paramiko.Channel:
        """Start ``command`` (or the server's ``subsystem``, e.g. ``sftp``) and hand back its channel, stdin open.

        Packer's ``Communicator.Start`` with a caller-driven ``RemoteCmd``: the ansible proxy adapter relays its
        client's bytes both ways through the channel. A pty is requested when ``ssh_pty`` is set, as Packer's
        ``Start`` does. Raises ``SSHDisconnectedError`` when the connection is gone or the server refuses.
        """
        channel = self._open_session()
        try:
            with in_session(f"start {command if subsystem is None else subsystem!r}"):
                if subsystem is not None:
                    channel.invoke_subsystem(subsystem)
                else:
                    if self.config.ssh_pty:
                        channel.get_pty(term="xterm", width=80, height=40)
                    channel.exec_command(command or "")
        except BaseException:
            channel.close()
            raise
        return channel

    # -- files ---------------------------------------------------------------------------------------------------

    @property
    def _use_sftp(self) -> bool:
        return self.config.ssh_file_transfer_method == "sftp"

    def put(self, src: LocalPath | BinaryIO, dest: str, *, mode: int | None = None) -> None:
        """Upload a file (a local path, or a binary stream) to the remote path ``dest``.

        The remote mode is ``mode`` if given, else the local file's permissions (a stream: 0644 with scp, the
        server's default with sftp), as Packer sends them.
        """
        with ExitStack() as stack:
            if isinstance(src, str | os.PathLike):
                handle = stack.enter_context(_open_local(src, "rb"))
                info = os.fstat(handle.fileno())
                size, local_mode = info.st_size, info.st_mode & 0o777
            else:
                handle, size = self._sized_stream(src, stack)
                local_mode = None
            chosen = mode if mode is not None else local_mode
            connection = self._live()
            if self._use_sftp:
                with transferring(f"upload {dest}", connection.alive):
                    sftp.upload_file(connection.sftp(), handle, dest, chosen)
            else:
                scp.upload_file(connection, handle, size, chosen if chosen is not None else 0o644, dest)

    @staticmethod
    def _sized_stream(stream: BinaryIO, stack: ExitStack) -> tuple[BinaryIO, int]:
        """scp sends the length first: a seekable stream is measured, any other is spooled to a temporary file
        first, as Packer does."""
        try:
            start = stream.tell()
            end = stream.seek(0, os.SEEK_END)
            stream.seek(start)
            return stream, end - start
        except (OSError, ValueError, AttributeError):
            spool = stack.enter_context(_spool(stream))
            return spool, os.fstat(spool.fileno()).st_size

    def put_dir(self, src: LocalPath, dest: str, *, contents_only: bool) -> None:
        """Upload a local directory. ``contents_only`` is Packer's trailing slash on the source (``dir/``): the
        directory's entries go into ``dest``; otherwise a copy named after ``src`` is made inside ``dest``."""
        source = Path(src)
        if not source.is_dir():
            raise TransferError(f"upload {source}: not a directory")
        connection = self._live()
        if self._use_sftp:
            with transferring(f"upload {source} to {dest}", connection.alive):
                sftp.upload_tree(connection.sftp(), source, dest, contents_only=contents_only)
        else:
            scp.upload_tree(connection, source, dest, contents_only=contents_only)

    def get(self, src: str, dest: LocalPath | BinaryIO) -> None:
        """Download the remote file ``src`` into a local path (created or truncated) or a binary stream."""
        with ExitStack() as stack:
            target = stack.enter_context(_open_local(dest, "wb")) if isinstance(dest, str | os.PathLike) else dest
            connection = self._live()
            if self._use_sftp:
                with transferring(f"download {src}", connection.alive):
                    sftp.download_file(connection.sftp(), src, target)
            else:
                scp.download_file(connection, src, target)

    def get_dir(self, src: str, dest: LocalPath) -> None:
        """Download the contents of the remote directory ``src`` into the local directory ``dest`` (created if
        missing)."""
        target = Path(dest)
        connection = self._live()
        if self._use_sftp:
            with transferring(f"download {src}", connection.alive):
                sftp.download_tree(connection.sftp(), src, target)
        else:
            scp.download_tree(connection, src, target)
