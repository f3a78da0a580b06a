"""A sandbox host: a real OpenSSH sshd whose every session runs as root inside one fresh filesystem sandbox.

Two of them, started the same way, are two identical fresh machines, which is what an equivalence test needs: run
one procedure on each (``packer-py build`` on one, ``packer-py imagebuilder run-component`` on the other) and
compare what each left behind.

How it is put together:

* the machine's OS is local mode's ``Namespace`` (``packer_py/local/namespace.py``): a mount + pid + UTS + IPC
  namespace whose ``/`` is an overlay of this host's ``/`` with a fresh, empty upper layer, its own tmpfs ``/tmp``,
  ``/run`` and ``/dev``, and local mode's shims first on ``PATH`` (``sudo``, ``yum``, ``systemctl``, an ``aws`` that
  talks to the harness's moto server). Every write lands in the upper layer, never on the host;
* the sshd is the harness's (``sshd.py``) with ``ForceCommand`` set to a small script (``session.sh`` in the
  sandbox's directory) that enters the namespace with ``nsenter`` and runs ``$SSH_ORIGINAL_COMMAND`` there with
  ``bash -c``, as sshd would have run it with the login shell: exec requests, scp (``scp -t``/``scp -f`` run inside),
  shell requests (``bash -l``) and the sftp subsystem (``internal-sftp`` becomes OpenSSH's ``sftp-server`` inside);
* what the machine holds is read back from the host through the namespace's root (``/proc/<pid>/root``) with
  local mode's ``RootFS``, which resolves symlinks inside the sandbox, never on the host.

``snapshot()`` returns the state of every path the sandbox changed (the upper layer's entries: added, changed or
deleted) plus everything under ``/tmp``: kind, permission bits, owner, and content (a file's bytes, a symlink's
target). Paths outside that set are the host's ``/`` on every sandbox alike, so equal snapshots of two sandboxes
started from the same host mean equal file systems.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tests.harness.sshd import Sshd

if TYPE_CHECKING:
    from packer_py.local.namespace import Namespace
    from packer_py.local.rootfs import RootFS

SFTP_SERVERS = ("/usr/lib/openssh/sftp-server", "/usr/libexec/openssh/sftp-server", "/usr/lib/ssh/sftp-server")
HOSTNAME = "sandbox"
"""Every sandbox has the same host name, so commands that print it do not tell two sandboxes apart."""


@dataclass(frozen=True)
class Entry:
    """One path's state in a sandbox. ``content`` is a regular file's bytes or a symlink's target."""

    kind: str
    mode: int
    uid: int
    gid: int
    content: bytes | str | None = None

    def describe(self) -> str:
        text = f"{self.kind} {self.mode:04o} {self.uid}:{self.gid}"
        if isinstance(self.content, bytes):
            text += f" {len(self.content)} bytes {self.content[:60]!r}"
        elif self.content is not None:
            text += f" -> {self.content}"
        return text


Snapshot = dict[str, Entry | None]
"""Path -> its state, or ``None`` where the sandbox deleted a path of the host's ``/``."""


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "other"


def session_script(namespace_argv: list[str], environment: Mapping[str, str]) -> str:
    """The ``ForceCommand`` script: the client's command, run by bash inside the namespace with ``environment``."""
    sftp = next((p for p in SFTP_SERVERS if os.path.exists(p)), "")
    env = " ".join(shlex.quote(f"{k}={v}") for k, v in environment.items())
    enter = " ".join(shlex.quote(a) for a in namespace_argv)
    return (
        "#!/bin/sh\n"
        "# ForceCommand of a sandbox host (tests/harness/sandbox.py): run the session inside the sandbox.\n"
        'if [ -z "${SSH_ORIGINAL_COMMAND+set}" ]; then\n'
        "    set -- /bin/bash -l\n"
        f'elif [ "$SSH_ORIGINAL_COMMAND" = internal-sftp ] && [ -n {shlex.quote(sftp)} ]; then\n'
        f"    set -- {shlex.quote(sftp)}\n"
        "else\n"
        '    set -- /bin/bash -c "$SSH_ORIGINAL_COMMAND"\n'
        "fi\n"
        f'exec /usr/bin/env -i {env} SSH_CONNECTION="$SSH_CONNECTION" {enter} "$@"\n'
    )


@dataclass
class SandboxHost:
    """A fresh sandbox behind a real sshd. Start with ``SandboxHost.start``; ``stop()`` removes everything."""

    directory: Path
    sshd: Sshd
    namespace: Namespace

    @property
    def host(self) -> str:
        return self.sshd.host

    @property
    def port(self) -> int:
        return self.sshd.port

    @property
    def user(self) -> str:
        return self.sshd.user

    @property
    def upper(self) -> Path:
        return self.directory / "upper"

    @classmethod
    def start(
        cls,
        directory: Path,
        *,
        shims: Path,
        binds: list[str],
        environment: Mapping[str, str],
        moto_endpoint: str | None = None,
        key_pair_regions: tuple[str, ...] = ("us-east-1",),
    ) -> SandboxHost:
        """``shims``: local mode's shims (``write_shims``); ``binds``: host mounts the shims' interpreter needs
        (``interpreter_binds``); ``environment``: the sessions' environment inside (``PATH`` with the shims first,
        ``HOME``, ``AWS_DEFAULT_REGION``...); ``moto_endpoint``: accept the EC2 key pairs moto holds, as the
        harness's own sshd does."""
        from packer_py.local.namespace import Namespace

        directory.mkdir(parents=True, exist_ok=True)
        namespace = Namespace.start(
            upper=directory / "upper",
            work=directory / "work",
            mountpoint=directory / "root",
            shims=shims,
            binds=binds,
            hostname=HOSTNAME,
        )
        try:
            script = directory / "session.sh"
            script.write_text(session_script(namespace.argv([]), environment), encoding="utf-8")
            script.chmod(0o755)
            sshd = Sshd.start(
                directory / "sshd",
                moto_endpoint=moto_endpoint,
                key_pair_regions=key_pair_regions,
                force_command=str(script),
            )
        except BaseException:
            namespace.stop()
            raise
        return cls(directory, sshd, namespace)

    def stop(self) -> None:
        self.sshd.stop()
        self.namespace.stop()
        _remove_tree(self.directory)

    # -- what the sandbox holds ----------------------------------------------------------------------------------
    def changed_paths(self) -> set[str]:
        """Every path in the upper layer: what the sandbox added, changed (or copied up) and deleted."""
        found: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(self.upper):
            rel = "/" + os.path.relpath(dirpath, self.upper)
            for name in dirnames + filenames:
                found.add(os.path.normpath(os.path.join(rel, name)))
        return found

    def entry(self, path: str) -> Entry | None:
        from packer_py.local.rootfs import RootFS

        with RootFS(self.namespace.root) as fs:
            return _entry(fs, path)

    def tree_below(self, top: str) -> set[str]:
        """Every path below ``top`` in the sandbox's merged view (``/tmp`` is the sandbox's own tmpfs)."""
        from packer_py.local.rootfs import RootFS

        found: set[str] = set()
        with RootFS(self.namespace.root) as fs:
            todo = [top]
            while todo:
                folder = todo.pop()
                for name, info in fs.listdir(folder):
                    path = f"{folder.rstrip('/')}/{name}"
                    found.add(path)
                    if stat.S_ISDIR(info.st_mode):
                        todo.append(path)
        return found

    def snapshot(self, paths: Iterable[str]) -> Snapshot:
        from packer_py.local.rootfs import RootFS

        with RootFS(self.namespace.root) as fs:
            return {path: _entry(fs, path) for path in sorted(set(paths))}


def _entry(fs: RootFS, path: str) -> Entry | None:
    try:
        info = fs.lstat(path)
    except FileNotFoundError:
        return None
    kind = _kind(info.st_mode)
    content: bytes | str | None = None
    if kind == "file":
        fd = fs.open(path, os.O_RDONLY)
        with os.fdopen(fd, "rb") as handle:
            content = handle.read()
    elif kind == "symlink":
        content = fs.readlink(path)
    return Entry(kind, stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid, content)


def compare(left: Snapshot, right: Snapshot) -> list[str]:
    """The differences between two snapshots, one line each (empty when the file systems are the same)."""
    lines = []
    for path in sorted(set(left) | set(right)):
        a, b = left.get(path), right.get(path)
        if a != b:
            lines.append(
                f"{path}: {a.describe() if a else 'absent'}  !=  {b.describe() if b else 'absent'}",
            )
    return lines


def sandbox_environment(region: str) -> dict[str, str]:
    """A root login's environment inside a sandbox: local mode's ``PATH`` (shims first) and the region the
    instance's metadata would give the AWS CLI."""
    from packer_py.local.namespace import PATH

    return {
        "PATH": PATH,
        "HOME": "/root",
        "USER": "root",
        "LOGNAME": "root",
        "SHELL": "/bin/bash",
        "LANG": "C.UTF-8",
        "AWS_DEFAULT_REGION": region,
    }


def _remove_tree(path: Path) -> None:
    """Remove a sandbox's directory, including the overlay's work directory, which the kernel leaves mode 000."""

    def unlock(_func: object, failed: str, _exc: object) -> None:
        os.chmod(failed, 0o700)
        if os.path.isdir(failed) and not os.path.islink(failed):
            shutil.rmtree(failed, ignore_errors=True)
        else:
            os.unlink(failed)

    shutil.rmtree(path, onerror=unlock)
