"""The first process of a local-mode instance: builds its root filesystem, then holds the namespaces open.

Started by ``packer_py.local.namespace`` as ``unshare --mount --pid --fork [--map-root-user] python nsinit.py CONFIG``
and run as a plain script (standard library only: it must not import packer_py, whose interpreter path may not be
visible once the root has changed). It:

1. mounts an overlay whose lower layer is the host's ``/`` and whose upper layer is the instance's directory in the
   sandbox. In a user namespace the kernel refuses ``/`` as a lower layer (its locked submounts), so each top-level
   directory gets its own overlay on a tmpfs root instead, with the same upper-layer layout (``upper/etc/...``);
2. gives the new root its own ``/proc`` (the pid namespace's; ``/proc/sys`` read-only), its hostname, a small
   ``/dev`` (bind-mounted device nodes, a private devpts), tmpfs ``/tmp`` and ``/run``, the shims at
   ``/run/packer-py/shims`` and read-only binds of the host mounts the shims' interpreter needs;
3. chroots there, prints ``ready <host pid>`` and waits for its stdin to close. Commands enter with ``nsenter``
   against that pid; when this process exits, the kernel kills everything left in the pid namespace.

Any failure is printed as ``error: ...`` and exits 1: the caller then refuses to run anything (never on the host).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import socket
import sys

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
SPECIAL = {"proc", "sys", "dev", "tmp", "run"}

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]


class MountError(Exception):
    pass


def mount(source: str | None, target: str, fstype: str | None, flags: int = 0, data: str | None = None) -> None:
    rc = _libc.mount(
        source.encode() if source else None,
        target.encode(),
        fstype.encode() if fstype else None,
        flags,
        data.encode() if data else None,
    )
    if rc != 0:
        err = ctypes.get_errno()
        raise MountError(f"mount {fstype or 'bind'} {source or ''} on {target}: {os.strerror(err)}")


def bind(source: str, target: str, *, readonly: bool, recursive: bool = False) -> None:
    mount(source, target, None, MS_BIND | (MS_REC if recursive else 0))
    if readonly:
        mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def overlay_options(lower: str, upper: str, work: str, userns: bool) -> str:
    opts = f"lowerdir={lower},upperdir={upper},workdir={work}"
    return opts + ",userxattr" if userns else opts


def mount_root(cfg: dict[str, object], root: str) -> str:
    """The overlay of the host's ``/``; returns the mode used ("overlay" or "per-directory")."""
    upper, work, userns = str(cfg["upper"]), str(cfg["work"]), bool(cfg["userns"])
    try:
        mount("overlay", root, "overlay", 0, overlay_options("/", upper, work, userns))
        return "overlay"
    except MountError:
        if not userns:
            raise
    mount("tmpfs", root, "tmpfs", 0, "mode=0755")
    for name in sorted(os.listdir("/")):
        host, target = "/" + name, os.path.join(root, name)
        if os.path.islink(host):
            os.symlink(os.readlink(host), target)
        elif os.path.isdir(host):
            os.mkdir(target)
            if name in SPECIAL:
                continue
            os.makedirs(os.path.join(upper, name), exist_ok=True)
            os.makedirs(os.path.join(work, name), exist_ok=True)
            try:
                mount(
                    "overlay", target, "overlay", 0, overlay_options(host, upper + "/" + name, work + "/" + name, True)
                )
            except MountError:
                bind(host, target, readonly=True, recursive=True)
        else:
            open(target, "w").close()
            bind(host, target, readonly=True)
    return "per-directory"


def setup_dev(root: str) -> None:
    dev = os.path.join(root, "dev")
    mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755")
    for name in DEVICES:
        if os.path.exists("/dev/" + name):
            open(os.path.join(dev, name), "w").close()
            bind("/dev/" + name, os.path.join(dev, name), readonly=False)
    os.mkdir(os.path.join(dev, "pts"))
    mount("devpts", os.path.join(dev, "pts"), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620")
    os.symlink("pts/ptmx", os.path.join(dev, "ptmx"))
    os.mkdir(os.path.join(dev, "shm"))
    mount("tmpfs", os.path.join(dev, "shm"), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")
    for i, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink(f"/proc/self/fd/{i}", os.path.join(dev, name))
    os.symlink("/proc/self/fd", os.path.join(dev, "fd"))


def setup(cfg: dict[str, object]) -> tuple[int, str]:
    host_pid = int(os.readlink("/proc/self"))  # still the host's procfs: our pid as the host sees it
    root = str(cfg["root"])
    mode = mount_root(cfg, root)
    for name in ("proc", "dev", "tmp", "run", "sys"):
        os.makedirs(os.path.join(root, name), exist_ok=True)
    mount("proc", os.path.join(root, "proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for kernel_knob in ("sys", "sysrq-trigger"):  # the kernel is the host's: read-only, as in a container
        path = os.path.join(root, "proc", kernel_knob)
        if os.path.exists(path):
            bind(path, path, readonly=True, recursive=True)
    socket.sethostname(str(cfg.get("hostname") or "localhost"))
    setup_dev(root)
    mount("tmpfs", os.path.join(root, "tmp"), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")
    mount("tmpfs", os.path.join(root, "run"), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
    try:
        bind("/sys", os.path.join(root, "sys"), readonly=True, recursive=True)
    except MountError:
        pass  # /sys is a convenience; nothing the shims need
    shims = os.path.join(root, "run", "packer-py", "shims")
    os.makedirs(shims)
    bind(str(cfg["shims"]), shims, readonly=True)
    for path in cfg.get("binds", []):  # type: ignore[attr-defined]
        bind(str(path), root + str(path), readonly=True, recursive=True)
    os.chroot(root)
    os.chdir("/root" if os.path.isdir("/root") else "/")
    return host_pid, mode


def main() -> int:
    cfg = json.loads(sys.argv[1])
    try:
        host_pid, mode = setup(cfg)
    except (MountError, OSError) as exc:
        sys.stdout.write(f"error: {exc}\n")
        sys.stdout.flush()
        return 1
    sys.stdout.write(f"ready {host_pid} {mode}\n")
    sys.stdout.flush()
    while sys.stdin.buffer.read(4096):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
