"""File operations inside a local instance's root, done by the host process (for SFTP and scp).

The instance's ``/`` is reachable from the host as ``/proc/<pid>/root``, but an ordinary path walk below it would
follow an absolute symlink (``/etc/alternatives/...``) back into the host's own tree, so a file upload could land
outside the sandbox. Every lookup here walks one component at a time from a directory descriptor of the instance's
root, resolves symlinks itself (absolute targets restart at the instance's root, ``..`` stops there), and acts on
the final descriptor: what a ``chroot`` gives a real sshd's sftp-server.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections import deque

_MAX_LINKS = 40
_O_PATH = getattr(os, "O_PATH", 0)


class RootFS:
    """Paths resolved inside ``root`` (a directory path), never outside it. ``home`` anchors relative paths."""

    def __init__(self, root: str, home: str = "/root") -> None:
        self._root = os.open(root, _O_PATH | os.O_DIRECTORY)
        self.home = home

    def close(self) -> None:
        if self._root >= 0:
            os.close(self._root)
            self._root = -1

    def __enter__(self) -> RootFS:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lookups --------------------------------------------------------------------------------------------------
    def absolute(self, path: str) -> str:
        """The normalised absolute form of ``path`` (relative paths start at ``home``), without touching the disk."""
        joined = posixpath.join(self.home, path) if not path.startswith("/") else path
        norm = posixpath.normpath(joined)
        return "/" + norm.lstrip("/")

    def _lookup(self, path: str, *, follow: bool) -> int:
        """An ``O_PATH`` descriptor of ``path`` (the caller closes it)."""
        stack = [os.dup(self._root)]
        todo: deque[str] = deque(c for c in self.absolute(path).split("/") if c)
        links = 0
        try:
            while todo:
                name = todo.popleft()
                if name in ("", "."):
                    continue
                if name == "..":
                    if len(stack) > 1:
                        os.close(stack.pop())
                    continue
                fd = os.open(name, _O_PATH | os.O_NOFOLLOW, dir_fd=stack[-1])
                st = os.fstat(fd)
                if stat.S_ISLNK(st.st_mode) and (todo or follow):
                    target = os.readlink(name, dir_fd=stack[-1])
                    os.close(fd)
                    links += 1
                    if links > _MAX_LINKS:
                        raise OSError(40, os.strerror(40), path)  # ELOOP
                    if target.startswith("/"):
                        while len(stack) > 1:
                            os.close(stack.pop())
                    todo.extendleft(reversed([c for c in target.split("/") if c]))
                    continue
                if todo and not stat.S_ISDIR(st.st_mode):
                    os.close(fd)
                    raise NotADirectoryError(20, os.strerror(20), path)
                stack.append(fd)
            return stack.pop()
        finally:
            for fd in stack:
                os.close(fd)

    def _parent(self, path: str) -> tuple[int, str]:
        """The parent directory's descriptor and the last name of ``path`` (for creating, renaming, removing)."""
        full = self.absolute(path)
        parent, name = posixpath.split(full)
        if not name:
            raise PermissionError(1, "the root directory cannot be replaced", path)
        return self._lookup(parent, follow=True), name

    @staticmethod
    def _proc(fd: int) -> str:
        return f"/proc/self/fd/{fd}"

    # -- queries --------------------------------------------------------------------------------------------------
    def stat(self, path: str) -> os.stat_result:
        fd = self._lookup(path, follow=True)
        try:
            return os.fstat(fd)
        finally:
            os.close(fd)

    def lstat(self, path: str) -> os.stat_result:
        fd = self._lookup(path, follow=False)
        try:
            return os.fstat(fd)
        finally:
            os.close(fd)

    def exists(self, path: str) -> bool:
        try:
            self.stat(path)
        except OSError:
            return False
        return True

    def isdir(self, path: str) -> bool:
        try:
            return stat.S_ISDIR(self.stat(path).st_mode)
        except OSError:
            return False

    def listdir(self, path: str) -> list[tuple[str, os.stat_result]]:
        fd = self._lookup(path, follow=True)
        try:
            dfd = os.open(self._proc(fd), os.O_RDONLY | os.O_DIRECTORY)
        finally:
            os.close(fd)
        try:
            return [(n, os.stat(n, dir_fd=dfd, follow_symlinks=False)) for n in sorted(os.listdir(dfd))]
        finally:
            os.close(dfd)

    def readlink(self, path: str) -> str:
        dfd, name = self._parent(path)
        try:
            return os.readlink(name, dir_fd=dfd)
        finally:
            os.close(dfd)

    # -- files ----------------------------------------------------------------------------------------------------
    def open(self, path: str, flags: int, mode: int = 0o666) -> int:
        """A file descriptor for ``path`` opened with ``flags`` (``O_CREAT`` creates it inside the root)."""
        try:
            fd = self._lookup(path, follow=True)
        except FileNotFoundError:
            if not flags & os.O_CREAT:
                raise
            dfd, name = self._parent(path)
            try:
                return os.open(name, flags | os.O_NOFOLLOW, mode, dir_fd=dfd)
            finally:
                os.close(dfd)
        try:
            if flags & os.O_CREAT and flags & os.O_EXCL:
                raise FileExistsError(17, os.strerror(17), path)
            return os.open(self._proc(fd), flags & ~(os.O_CREAT | os.O_EXCL))
        finally:
            os.close(fd)

    def mkdir(self, path: str, mode: int = 0o755) -> None:
        dfd, name = self._parent(path)
        try:
            os.mkdir(name, mode, dir_fd=dfd)
        finally:
            os.close(dfd)

    def makedirs(self, path: str, mode: int = 0o755) -> None:
        parts = [c for c in self.absolute(path).split("/") if c]
        for i in range(1, len(parts) + 1):
            sub = "/" + "/".join(parts[:i])
            if not self.isdir(sub):
                self.mkdir(sub, mode)

    def rmdir(self, path: str) -> None:
        dfd, name = self._parent(path)
        try:
            os.rmdir(name, dir_fd=dfd)
        finally:
            os.close(dfd)

    def unlink(self, path: str) -> None:
        dfd, name = self._parent(path)
        try:
            os.unlink(name, dir_fd=dfd)
        finally:
            os.close(dfd)

    def rename(self, old: str, new: str, *, replace: bool = True) -> None:
        """Rename ``old`` to ``new``; with ``replace=False`` (SFTP's plain rename) an existing ``new`` is an error."""
        ofd, oname = self._parent(old)
        try:
            nfd, nname = self._parent(new)
            try:
                if not replace:
                    try:
                        os.stat(nname, dir_fd=nfd, follow_symlinks=False)
                    except FileNotFoundError:
                        pass
                    else:
                        raise FileExistsError(17, os.strerror(17), new)
                os.rename(oname, nname, src_dir_fd=ofd, dst_dir_fd=nfd)
            finally:
                os.close(nfd)
        finally:
            os.close(ofd)

    def symlink(self, target: str, path: str) -> None:
        dfd, name = self._parent(path)
        try:
            os.symlink(target, name, dir_fd=dfd)
        finally:
            os.close(dfd)

    def chmod(self, path: str, mode: int) -> None:
        fd = self._lookup(path, follow=True)
        try:
            os.chmod(self._proc(fd), mode)
        finally:
            os.close(fd)

    def chown(self, path: str, uid: int, gid: int) -> None:
        fd = self._lookup(path, follow=True)
        try:
            os.chown(self._proc(fd), uid, gid)
        finally:
            os.close(fd)

    def utime(self, path: str, times: tuple[float, float]) -> None:
        fd = self._lookup(path, follow=True)
        try:
            os.utime(self._proc(fd), times)
        finally:
            os.close(fd)

    def truncate(self, path: str, size: int) -> None:
        fd = self.open(path, os.O_WRONLY)
        try:
            os.ftruncate(fd, size)
        finally:
            os.close(fd)
