"""The scp protocol's remote end (``scp -t`` sink and ``scp -f`` source), served by the host over ``RootFS``.

Packer 1.6.6's default ``ssh_file_transfer_method`` is scp: its communicator runs ``scp -vt DIR`` (upload) or
``scp -vf PATH`` (download) on the machine and speaks the old rcp protocol over that command's stdin/stdout. A local
instance may have no ``scp`` binary (and one from the host would be the host's), so the local SSH server answers
those commands itself, writing into the instance's root like its SFTP subsystem does.

Protocol, per message: ``C<mode> <size> <name>\\n`` + data + ``\\0`` (a file), ``D<mode> 0 <name>\\n`` ... ``E\\n``
(a directory), ``T<mtime> 0 <atime> 0\\n`` (times of the next entry); each answered by ``\\0`` (ok), ``\\1msg\\n``
(warning) or ``\\2msg\\n`` (fatal).
"""

from __future__ import annotations

import os
import posixpath
import shlex
import stat
from dataclasses import dataclass
from typing import Protocol

from packer_py.local.rootfs import RootFS

_CHUNK = 1 << 16


class Channel(Protocol):
    def recv(self, nbytes: int) -> bytes: ...

    def sendall(self, data: bytes) -> None: ...


@dataclass(frozen=True)
class ScpCommand:
    sink: bool
    """``-t``: the client sends files to us; otherwise ``-f``: we send ``paths`` to the client."""
    paths: tuple[str, ...]
    recursive: bool
    preserve: bool
    target_is_dir: bool


def parse(command: str) -> ScpCommand | None:
    """The scp server command in ``command`` (``scp -vt /tmp``), or None when it is something else."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words or posixpath.basename(words[0]) != "scp":
        return None
    flags: set[str] = set()
    paths: list[str] = []
    rest = iter(words[1:])
    for word in rest:
        if word == "--":
            paths.extend(rest)
            break
        if word.startswith("-") and len(word) > 1:
            flags.update(word[1:])
        else:
            paths.append(word)
    if ("t" in flags) == ("f" in flags) or not paths:
        return None
    return ScpCommand("t" in flags, tuple(paths), "r" in flags, "p" in flags, "d" in flags)


class ScpError(Exception):
    pass


class _Reader:
    def __init__(self, chan: Channel) -> None:
        self.chan = chan
        self.buf = b""

    def _fill(self) -> bool:
        data = self.chan.recv(_CHUNK)
        if not data:
            return False
        self.buf += data
        return True

    def line(self) -> bytes | None:
        while b"\n" not in self.buf:
            if not self._fill():
                if self.buf:
                    raise ScpError("unexpected end of scp stream")
                return None
        line, _, self.buf = self.buf.partition(b"\n")
        return line

    def exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            if not self._fill():
                raise ScpError("unexpected end of scp stream")
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def chunks(self, n: int) -> list[bytes]:
        """The next ``n`` bytes, in the pieces they arrived in (no big concatenation for large files)."""
        out: list[bytes] = []
        while n > 0:
            if not self.buf and not self._fill():
                raise ScpError("unexpected end of scp stream")
            piece, self.buf = self.buf[:n], self.buf[n:]
            out.append(piece)
            n -= len(piece)
        return out


def serve(cmd: ScpCommand, chan: Channel, fs: RootFS) -> int:
    """Run one scp server command over ``chan``; returns its exit status."""
    try:
        if cmd.sink:
            _sink(cmd, chan, fs)
        else:
            _source(cmd, chan, fs)
    except (ScpError, OSError) as exc:
        text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        where = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        try:
            chan.sendall(f"\x02scp: {where}{text}\n".encode())
        except OSError:
            pass
        return 1
    return 0


def _sink(cmd: ScpCommand, chan: Channel, fs: RootFS) -> None:
    target = cmd.paths[0]
    into_dir = fs.isdir(target)
    if cmd.target_is_dir and not into_dir:
        raise ScpError(f"{target}: Not a directory")
    reader = _Reader(chan)
    dirs: list[tuple[str, tuple[float, float] | None]] = []  # with the times to set once the directory is complete
    times: tuple[float, float] | None = None
    chan.sendall(b"\0")
    while True:
        line = reader.line()
        if line is None:
            return
        kind, body = line[:1], line[1:].decode()
        if kind in (b"\x01", b"\x02"):
            if kind == b"\x02":
                raise ScpError(body)
            continue
        if kind == b"T":
            mtime, _, atime, _ = body.split()
            times = (float(atime), float(mtime))
            chan.sendall(b"\0")
            continue
        if kind == b"E":
            if dirs:
                done, done_times = dirs.pop()
                if done_times:
                    fs.utime(done, done_times)
            chan.sendall(b"\0")
            continue
        if kind not in (b"C", b"D"):
            raise ScpError(f"protocol error: unexpected {line[:20]!r}")
        mode_s, size_s, name = body.split(" ", 2)
        if "/" in name or name in ("..", "."):
            raise ScpError(f"protocol error: bad name {name!r}")
        mode = int(mode_s, 8)
        if dirs:
            path = posixpath.join(dirs[-1][0], name)
        elif into_dir:
            path = posixpath.join(target, name)
        else:
            path = target
        if kind == b"D":
            if not fs.isdir(path):
                fs.mkdir(path, mode)
            elif cmd.preserve:
                fs.chmod(path, mode)
            dirs.append((path, times))
            times = None
            chan.sendall(b"\0")
            continue
        size = int(size_s)
        chan.sendall(b"\0")
        fd = fs.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            for piece in reader.chunks(size):
                os.write(fd, piece)
            if cmd.preserve:
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
        if times:
            fs.utime(path, times)
            times = None
        if reader.exactly(1) != b"\0":
            raise ScpError("protocol error: file data not terminated")
        chan.sendall(b"\0")


def _expect_ok(reader: _Reader) -> None:
    code = reader.exactly(1)
    if code == b"\0":
        return
    msg = reader.line() or b""
    raise ScpError(msg.decode(errors="replace") or "the client refused")


def _source(cmd: ScpCommand, chan: Channel, fs: RootFS) -> None:
    reader = _Reader(chan)
    _expect_ok(reader)
    for path in cmd.paths:
        _send(path, cmd, chan, reader, fs)


def _send(path: str, cmd: ScpCommand, chan: Channel, reader: _Reader, fs: RootFS) -> None:
    st = fs.stat(path)
    name = posixpath.basename(path.rstrip("/")) or "/"
    if cmd.preserve:
        chan.sendall(f"T{int(st.st_mtime)} 0 {int(st.st_atime)} 0\n".encode())
        _expect_ok(reader)
    if stat.S_ISDIR(st.st_mode):
        if not cmd.recursive:
            raise ScpError(f"{path}: not a regular file")
        chan.sendall(f"D{stat.S_IMODE(st.st_mode):04o} 0 {name}\n".encode())
        _expect_ok(reader)
        for child, _ in fs.listdir(path):
            _send(posixpath.join(path, child), cmd, chan, reader, fs)
        chan.sendall(b"E\n")
        _expect_ok(reader)
        return
    chan.sendall(f"C{stat.S_IMODE(st.st_mode):04o} {st.st_size} {name}\n".encode())
    _expect_ok(reader)
    fd = fs.open(path, os.O_RDONLY)
    try:
        left = st.st_size
        while left > 0:
            data = os.read(fd, min(_CHUNK, left))
            if not data:
                raise ScpError(f"{path}: file shrank while being sent")
            chan.sendall(data)
            left -= len(data)
    finally:
        os.close(fd)
    chan.sendall(b"\0")
    _expect_ok(reader)
