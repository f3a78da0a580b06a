"""The ``sftp`` file transfer method (``ssh_file_transfer_method: sftp``), over the one SFTP client a connection
keeps.

As Packer's sftp path: a file is created, written and then chmod-ed to the local file's permissions (only when the
source is a regular file, or a mode is given); a directory upload walks the tree, creating each directory (an
existing one is fine) with the local directory's permissions, and never creates ``dest`` itself. Writes are
pipelined (paramiko does not wait for each write's status), which is what makes SFTP usable on a slow link.

SFTP paths are not expanded by a shell, so a leading ``~/`` is taken as the home directory, which is where an SFTP
session starts.
"""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import paramiko

CHUNK = 1 << 18
READ_SIZE = 32768
"""paramiko's largest SFTP read request."""
READS_IN_FLIGHT = 64
"""Reads sent before waiting, as Go's pkg/sftp (Packer) does. paramiko's own prefetch is no good here: unbounded it
queues a request per 32 KiB of the whole file and scans that queue on every read (a 256 MiB download took minutes);
bounded, its sender thread races its receiver and falls back to one read per round trip."""


def sftp_path(path: str) -> str:
    if path == "~":
        return "."
    if path.startswith("~/"):
        return path[2:] or "."
    return path


def upload_file(sftp: paramiko.SFTPClient, src: BinaryIO, dest: str, mode: int | None) -> None:
    path = sftp_path(dest)
    with sftp.open(path, "wb") as handle:
        handle.set_pipelined(True)
        while chunk := src.read(CHUNK):
            handle.write(chunk)
    if mode is not None:
        sftp.chmod(path, mode & 0o7777)


def download_file(sftp: paramiko.SFTPClient, src: str, dest: BinaryIO) -> None:
    """Read the file in batches of ``READS_IN_FLIGHT`` pipelined requests (``readv``), writing as data arrives."""
    with sftp.open(sftp_path(src), "rb") as handle:
        size = handle.stat().st_size or 0
        offset = 0
        while offset < size:
            batch: list[tuple[int, int]] = []
            while offset < size and len(batch) < READS_IN_FLIGHT:
                length = min(READ_SIZE, size - offset)
                batch.append((offset, length))
                offset += length
            dest.writelines(handle.readv(batch))


def _mkdir(sftp: paramiko.SFTPClient, path: str, mode: int) -> None:
    try:
        sftp.mkdir(path)
    except OSError:
        if not stat.S_ISDIR(sftp.lstat(path).st_mode or 0):
            raise
    sftp.chmod(path, mode & 0o7777)


def upload_tree(sftp: paramiko.SFTPClient, src: Path, dest: str, *, contents_only: bool) -> None:
    root = sftp_path(dest) if contents_only else posixpath.join(sftp_path(dest), src.name)
    for directory, dirnames, filenames in os.walk(src, followlinks=True):
        dirnames.sort()
        relative = os.path.relpath(directory, src)
        remote_dir = root if relative == "." else posixpath.join(root, *Path(relative).parts)
        if not (contents_only and relative == "."):
            _mkdir(sftp, remote_dir, os.stat(directory).st_mode)
        for name in sorted(filenames):
            local = Path(directory, name)
            with open(local, "rb") as handle:
                upload_file(sftp, handle, posixpath.join(remote_dir, name), os.fstat(handle.fileno()).st_mode)


def download_tree(sftp: paramiko.SFTPClient, src: str, dest: Path) -> None:
    """Packer downloads directories with scp only; this is the same result (modes kept, minus group/other write,
    as a umask of 022 gives) for hosts that offer only SFTP."""
    dest.mkdir(parents=True, exist_ok=True)
    for entry in sftp.listdir_attr(sftp_path(src)):
        remote = posixpath.join(sftp_path(src), entry.filename)
        local = dest / entry.filename
        mode = entry.st_mode or 0
        if stat.S_ISDIR(mode):
            local.mkdir(exist_ok=True)
            download_tree(sftp, remote, local)
            local.chmod(stat.S_IMODE(mode) & ~0o022)
        elif stat.S_ISREG(mode) or stat.S_ISLNK(mode):
            with open(local, "wb") as handle:
                download_file(sftp, remote, handle)
            local.chmod(stat.S_IMODE(sftp.stat(remote).st_mode or 0o644) & ~0o022)
