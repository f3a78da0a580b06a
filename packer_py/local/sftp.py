"""The local instance's SFTP subsystem: paramiko's ``SFTPServer`` over the instance's root (``RootFS``).

Files uploaded by the ``file`` and ``shell`` provisioners land in the instance's overlay (so in the image's layer),
owned by root, exactly where a chrooted sftp-server would put them.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, TypeVar

import paramiko
from paramiko.sftp import SFTP_OK

if TYPE_CHECKING:
    from packer_py.local.rootfs import RootFS

T = TypeVar("T")


def _errno(fn: Callable[[], T]) -> T | int:
    try:
        return fn()
    except OSError as exc:
        return int(paramiko.SFTPServer.convert_errno(exc.errno or errno.EIO))


def _ok(fn: Callable[[], object]) -> int:
    try:
        fn()
    except OSError as exc:
        return int(paramiko.SFTPServer.convert_errno(exc.errno or errno.EIO))
    return int(SFTP_OK)


class _Handle(paramiko.SFTPHandle):
    filename: str
    readfile: IO[bytes]
    writefile: IO[bytes]


class SandboxSFTP(paramiko.SFTPServerInterface):
    """Built by paramiko for each ``sftp`` subsystem request; ``server`` is the connection's ``ServerInterface``,
    whose ``open_rootfs()`` gives the logged-in instance's root."""

    def __init__(self, server: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(server, *args, **kwargs)
        self._fs: RootFS = server.open_rootfs()

    def session_ended(self) -> None:
        self._fs.close()

    def _attrs(self, st: os.stat_result, name: str | None = None) -> paramiko.SFTPAttributes:
        return paramiko.SFTPAttributes.from_stat(st, name)

    def list_folder(self, path: str) -> Any:
        return _errno(lambda: [self._attrs(st, name) for name, st in self._fs.listdir(path)])

    def stat(self, path: str) -> Any:
        return _errno(lambda: self._attrs(self._fs.stat(path)))

    def lstat(self, path: str) -> Any:
        return _errno(lambda: self._attrs(self._fs.lstat(path)))

    def open(self, path: str, flags: int, attr: paramiko.SFTPAttributes) -> Any:
        def go() -> _Handle:
            mode = attr.st_mode if attr is not None and attr.st_mode is not None else 0o666
            fd = self._fs.open(path, flags | getattr(os, "O_CLOEXEC", 0), mode & 0o7777)
            if flags & os.O_WRONLY:
                fmode = "ab" if flags & os.O_APPEND else "wb"
            elif flags & os.O_RDWR:
                fmode = "a+b" if flags & os.O_APPEND else "r+b"
            else:
                fmode = "rb"
            f: IO[bytes] = os.fdopen(fd, fmode)
            handle = _Handle(flags)
            handle.filename = path
            handle.readfile = f
            handle.writefile = f
            return handle

        return _errno(go)

    def remove(self, path: str) -> int:
        return _ok(lambda: self._fs.unlink(path))

    def rename(self, oldpath: str, newpath: str) -> int:
        return _ok(lambda: self._fs.rename(oldpath, newpath, replace=False))

    def posix_rename(self, oldpath: str, newpath: str) -> int:
        return _ok(lambda: self._fs.rename(oldpath, newpath))

    def mkdir(self, path: str, attr: paramiko.SFTPAttributes) -> int:
        mode = attr.st_mode if attr is not None and attr.st_mode is not None else 0o777
        return _ok(lambda: self._fs.mkdir(path, mode & 0o7777))

    def rmdir(self, path: str) -> int:
        return _ok(lambda: self._fs.rmdir(path))

    def chattr(self, path: str, attr: paramiko.SFTPAttributes) -> int:
        def go() -> int:
            if attr.st_uid is not None and attr.st_gid is not None:
                self._fs.chown(path, attr.st_uid, attr.st_gid)
            if attr.st_mode is not None:
                self._fs.chmod(path, attr.st_mode & 0o7777)
            if attr.st_atime is not None and attr.st_mtime is not None:
                self._fs.utime(path, (attr.st_atime, attr.st_mtime))
            if attr.st_size is not None:
                self._fs.truncate(path, attr.st_size)
            return int(SFTP_OK)

        return _errno(go)

    def canonicalize(self, path: str) -> str:
        return self._fs.absolute(path)

    def readlink(self, path: str) -> Any:
        return _errno(lambda: self._fs.readlink(path))

    def symlink(self, target_path: str, path: str) -> int:
        return _ok(lambda: self._fs.symlink(target_path, path))
