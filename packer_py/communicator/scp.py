"""The ``scp`` file transfer method: one channel per transfer, data streamed through it.

Files use the scp protocol against the remote ``scp -t`` (sink) / ``scp -f`` (source), as Packer does, so the remote
behaves as it does under Packer: a new file gets the mode sent in the ``C`` record minus the remote umask, an existing
file keeps its mode, errors are scp's own words (``scp: /x: No such file or directory``), and a remote without scp
gives Packer's "SCP failed to start" message.

Directories go as one tar stream (``tar -x`` / ``tar -c`` on the remote) instead of Packer's ``scp -r`` exchange,
which waits for an acknowledgement after every file: a tree of 2,000 small files costs one round trip instead of
4,000. The result follows ``scp -r`` semantics: links on the local side are followed, owners are not kept, modes are
kept minus the remote umask; with ``contents_only`` (Packer's trailing slash on the source) the entries of the
directory land in ``dest``, which must exist; without it a copy named after the source is made inside ``dest``, or
``dest`` itself is created as that copy when it does not exist (as ``scp -r src dest``).
"""

from __future__ import annotations

import posixpath
import shlex
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, Protocol, cast

from packer_py.communicator.boundary import transferring
from packer_py.communicator.errors import TransferError

if TYPE_CHECKING:
    import paramiko

CHUNK = 1 << 18
SCP_MISSING = "SCP failed to start. This usually means that SCP is not\nproperly installed on the remote system."

_UNTAR = "tar -x --no-same-owner --no-same-permissions -f -"
_PUT_CONTENTS = (
    f'if [ ! -d "$1" ]; then echo "scp: $1: No such file or directory" >&2; exit 1; fi; cd -- "$1" && exec {_UNTAR}'
)
_PUT_NAMED = (
    f'if [ -d "$1" ]; then cd -- "$1" && exec {_UNTAR}; fi; '
    f'mkdir -- "$1" && cd -- "$1" && exec {_UNTAR} --strip-components=1'
)
_GET_TREE = (
    'if [ ! -d "$1" ]; then echo "scp: $1: No such file or directory" >&2; exit 1; fi; cd -- "$1" && exec tar -c -f - .'
)


class SessionSource(Protocol):
    def open_session(self) -> paramiko.Channel: ...

    def alive(self) -> bool: ...


def remote_path(path: str) -> str:
    """Quote a remote path for the login shell, but let a leading ``~`` expand (Packer passes paths to the shell
    unquoted, so ``~/file`` means the home directory there)."""
    if path == "~":
        return "~"
    if path.startswith("~/"):
        rest = path[2:]
        return "~/" + shlex.quote(rest) if rest else "~/"
    return shlex.quote(path)


def _script(script: str, path: str) -> str:
    return f"sh -c {shlex.quote(script)} sh {remote_path(path)}"


def send_all(channel: paramiko.Channel, data: bytes | bytearray | memoryview) -> None:
    """``Channel.sendall`` re-slices a bytes object after every packet (quadratic in the chunk size); a memoryview
    slice is free."""
    view = memoryview(data)
    while view:
        sent = channel.send(view)  # type: ignore[arg-type]  # paramiko writes any buffer
        if sent == 0:
            raise OSError("Socket is closed")
        view = view[sent:]


class ChannelReader:
    """Buffered reads from a channel's stdout: single bytes and lines for the protocol, exact counts for data."""

    def __init__(self, channel: paramiko.Channel) -> None:
        self._channel = channel
        self._buffer = bytearray()

    def _fill(self) -> bool:
        data = self._channel.recv(CHUNK)
        if not data:
            return False
        self._buffer += data
        return True

    def read_byte(self) -> int | None:
        if not self._buffer and not self._fill():
            return None
        value = self._buffer[0]
        del self._buffer[0]
        return value

    def read_line(self) -> bytes | None:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                return line
            if not self._fill():
                if not self._buffer:
                    return None
                line = bytes(self._buffer)
                self._buffer.clear()
                return line

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes; fewer only at the end of the stream (what ``tarfile`` needs)."""
        if size < 0:
            while self._fill():
                pass
            size = len(self._buffer)
        while len(self._buffer) < size and self._fill():
            pass
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def copy_to(self, size: int, write: Callable[[bytes], object]) -> None:
        left = size
        if self._buffer:
            take = min(left, len(self._buffer))
            write(bytes(self._buffer[:take]))
            del self._buffer[:take]
            left -= take
        while left > 0:
            data = self._channel.recv(min(left, CHUNK))
            if not data:
                raise EOFError("scp: unexpected end of data")
            write(data)
            left -= len(data)


class _ChannelWriter:
    def __init__(self, channel: paramiko.Channel) -> None:
        self._channel = channel

    def write(self, data: bytes) -> int:
        send_all(self._channel, data)
        return len(data)


class _RemoteEnded(Exception):
    """The remote program stopped talking the protocol; its exit status and stderr say why."""


def _ack(reader: ChannelReader) -> None:
    code = reader.read_byte()
    if code is None:
        raise _RemoteEnded
    if code != 0:
        message = (reader.read_line() or b"").decode("utf-8", errors="replace")
        raise TransferError(message or f"scp: unexpected response code {code}")


def _stderr(channel: paramiko.Channel) -> str:
    chunks = []
    while channel.recv_stderr_ready():
        chunks.append(channel.recv_stderr(CHUNK))
    return b"".join(chunks).decode("utf-8", errors="replace").strip()


def _finish(channel: paramiko.Channel, what: str) -> None:
    """Close our side, wait for the remote program, and turn a failure into its own words."""
    if not channel.closed:
        channel.shutdown_write()
    status = channel.recv_exit_status()
    message = _stderr(channel)
    channel.close()
    if status == 127 and what == "scp":
        raise TransferError(SCP_MISSING)
    if status != 0:
        raise TransferError(message or f"{what} exited with status {status}")


def _run(
    source: SessionSource, command: str, action: str, body: Callable[[paramiko.Channel], None], program: str = "scp"
) -> None:
    """Run ``command`` on a new channel and drive it with ``body``; the remote ``program``'s failure (exit status,
    stderr) wins over the local symptom (a closed channel, a short read)."""
    with transferring(action, source.alive):
        channel = source.open_session()
        try:
            channel.exec_command(command)
            try:
                body(channel)
            except (_RemoteEnded, OSError, EOFError, tarfile.TarError) as exc:
                if not source.alive():
                    raise
                _finish(channel, program)  # raises the remote's reason if it failed
                raise TransferError(f"{action}: {exc or 'remote side ended early'}") from exc
            _finish(channel, program)
        finally:
            channel.close()


def upload_file(source: SessionSource, src: BinaryIO, size: int, mode: int, dest: str) -> None:
    """Send ``size`` bytes of ``src`` to the remote file ``dest`` (``scp -t``)."""
    directory, name = posixpath.split(dest)
    if not name:
        raise TransferError(f"scp: {dest}: destination is a directory; a file name is needed")

    def body(channel: paramiko.Channel) -> None:
        reader = ChannelReader(channel)
        _ack(reader)
        send_all(channel, f"C{mode & 0o7777:04o} {size} {name}\n".encode())
        _ack(reader)
        left = size
        while left > 0:
            chunk = src.read(min(left, CHUNK))
            if not chunk:
                raise TransferError(f"scp: {dest}: source ended {left} bytes early")
            send_all(channel, chunk)
            left -= len(chunk)
        send_all(channel, b"\0")
        _ack(reader)

    # -d: the target must be a directory. Packer runs plain ``scp -vt DIR``, with which a missing DIR makes scp
    # write the file *as* DIR (so /tmp/new/file.txt becomes a file /tmp/new); here that is an error instead.
    _run(source, f"scp -d -t {remote_path(directory or '.')}", f"upload {dest}", body)


def download_file(source: SessionSource, src: str, dest: BinaryIO) -> None:
    """Fetch the remote file ``src`` (``scp -f``) into ``dest``."""

    def body(channel: paramiko.Channel) -> None:
        reader = ChannelReader(channel)
        send_all(channel, b"\0")
        header = reader.read_line()
        if header is None:
            raise _RemoteEnded
        if header[:1] in (b"\x01", b"\x02"):
            raise TransferError(header[1:].decode("utf-8", errors="replace"))
        if header[:1] == b"D":
            raise TransferError("remote file is directory")
        fields = header[1:].split(b" ", 2)
        if header[:1] != b"C" or len(fields) != 3 or not fields[1].isdigit():
            raise TransferError(f"can't parse server response ({header.decode('utf-8', errors='replace')})")
        send_all(channel, b"\0")
        reader.copy_to(int(fields[1]), dest.write)
        _ack(reader)
        send_all(channel, b"\0")

    _run(source, f"scp -f {remote_path(src)}", f"download {src}", body)


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def upload_tree(source: SessionSource, src: Path, dest: str, *, contents_only: bool) -> None:
    """Send the directory ``src`` as one tar stream; see the module docstring for where it lands."""

    def body(channel: paramiko.Channel) -> None:
        stream = cast("IO[bytes]", _ChannelWriter(channel))  # "w|" only ever calls write()
        with tarfile.open(fileobj=stream, mode="w|", bufsize=CHUNK, dereference=True) as archive:
            if contents_only:
                for child in sorted(src.iterdir()):
                    archive.add(child, arcname=child.name, filter=_anonymous)
            else:
                archive.add(src, arcname=src.name, filter=_anonymous)

    script = _PUT_CONTENTS if contents_only else _PUT_NAMED
    _run(source, _script(script, dest), f"upload {src} to {dest}", body, program="tar")


def download_tree(source: SessionSource, src: str, dest: Path) -> None:
    """Fetch the contents of the remote directory ``src`` into ``dest`` (created if missing)."""
    dest.mkdir(parents=True, exist_ok=True)

    def body(channel: paramiko.Channel) -> None:
        stream = cast("IO[bytes]", ChannelReader(channel))  # "r|" only ever calls read()
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            if hasattr(tarfile, "tar_filter"):
                archive.extractall(dest, filter="tar")
            else:  # Python < 3.11.4: members are checked by the remote tar's own relative paths
                archive.extractall(dest)

    _run(source, _script(_GET_TREE, src), f"download {src}", body, program="tar")
