"""Running commands as root in a throwaway root filesystem: the namespace that stands for a local instance's OS.

One ``Namespace`` per running instance: its first process (``nsinit.py`` under ``unshare``) mounts an overlay of the
host's ``/`` whose upper layer is the instance's directory in the sandbox, and every command then enters it with
``nsenter``. As root this uses a plain mount + pid namespace; otherwise a user namespace maps the caller to root.
When neither is possible ``probe()`` says so and nothing runs: a command is never run on the host instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from packer_py.errors import PackerPyError

SHIMS_MOUNT = "/run/packer-py/shims"
"""Where the instance sees the shims (a read-only bind on the instance's own tmpfs ``/run``: not in the image)."""

PATH = f"{SHIMS_MOUNT}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

DROPPED_CAPS = (
    "sys_admin",  # mount (a fresh sysfs or procfs would be the host's, writable), sethostname, swapon, ...
    "sys_module",
    "sys_rawio",
    "sys_boot",
    "sys_time",
    "mknod",  # a device node for the host's disk
    "net_admin",  # the network namespace is the host's
    "linux_immutable",  # chattr +i in the layer would outlive the sandbox's cleanup
    "sys_pacct",
    "syslog",
    "mac_admin",
    "mac_override",
    "audit_control",
    "wake_alarm",
    "block_suspend",
    "bpf",
    "perfmon",
)
"""Capabilities a build's commands run without: they are root in their own mount, pid, UTS and IPC namespaces, but
the kernel, the network and the clock are the host's."""

_NSINIT = Path(__file__).with_name("nsinit.py")


class LocalModeError(PackerPyError):
    """Local mode cannot run here (no namespaces, no overlay) or a local instance failed."""


@dataclass(frozen=True)
class Isolation:
    """How commands are isolated on this machine: ``"root"`` (mount + pid namespaces) or ``"userns"``."""

    kind: str


_probe_lock = threading.Lock()
_probed: Isolation | None = None


def probe() -> Isolation:
    """Find out, once, how this machine can isolate commands; raise ``LocalModeError`` when it cannot."""
    global _probed
    with _probe_lock:
        if _probed is None:
            _probed = _probe()
        return _probed


def _probe() -> Isolation:
    missing = [tool for tool in ("unshare", "nsenter", "setpriv") if shutil.which(tool) is None]
    if missing:
        raise LocalModeError(
            f"local mode needs {', '.join(missing)} (util-linux) to run the build's commands in a namespace; "
            "refusing to run them on this host"
        )
    if sys.platform != "linux":
        raise LocalModeError("local mode needs Linux namespaces; refusing to run the build's commands on this host")
    if os.geteuid() == 0:
        argv = ["unshare", "--mount", "--pid", "--fork", "true"]
        kind = "root"
    else:
        argv = ["unshare", "--map-root-user", "--mount", "--pid", "--fork", "true"]
        kind = "userns"
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        why = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit status {proc.returncode}"
        hint = (
            "run as root, or enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, "
            "user.max_user_namespaces > 0)"
            if kind == "userns"
            else "the kernel refused a mount namespace"
        )
        raise LocalModeError(
            f"local mode cannot isolate the build's commands ({why}): {hint}; refusing to run them on this host"
        )
    return Isolation(kind)


def host_binds(paths: list[str]) -> list[str]:
    """The host mount points (other than ``/``) that hold ``paths``: bound read-only into the instance.

    The overlay's lower layer is the root filesystem only; an interpreter on another mount (a venv under ``/home``)
    would be missing inside, so the shims could not run. Binding the mount point keeps the image's layer clean
    (the mount point directory already exists in the lower layer).
    """
    root_dev = os.stat("/").st_dev
    binds: list[str] = []
    for path in paths:
        p = Path(path).resolve()
        if not p.exists() or p.stat().st_dev == root_dev:
            continue
        while p.parent != p and p.parent.stat().st_dev == p.stat().st_dev:
            p = p.parent
        if str(p) not in binds and p != Path("/"):
            binds.append(str(p))
    return binds


class Namespace:
    """A running instance's namespaces. ``start`` returns once the root filesystem is ready."""

    def __init__(self, proc: subprocess.Popen[bytes], host_pid: int, isolation: Isolation, layout: str) -> None:
        self._proc = proc
        self.host_pid = host_pid
        self.isolation = isolation
        self.layout = layout
        """``overlay`` (one overlay of ``/``) or ``per-directory`` (an overlay per top-level directory)."""

    @classmethod
    def start(
        cls, *, upper: Path, work: Path, mountpoint: Path, shims: Path, binds: list[str], hostname: str = "localhost"
    ) -> Namespace:
        import json

        isolation = probe()
        for d in (upper, work, mountpoint):
            d.mkdir(parents=True, exist_ok=True)
        cfg = {
            "upper": str(upper),
            "work": str(work),
            "root": str(mountpoint),
            "shims": str(shims),
            "binds": binds,
            "userns": isolation.kind == "userns",
            "hostname": hostname,
        }
        argv = ["unshare", "--mount", "--pid", "--uts", "--ipc", "--fork", "--kill-child", "--propagation", "private"]
        if isolation.kind == "userns":
            argv.insert(1, "--map-root-user")
        argv += ["--", sys.executable, "-I", str(_NSINIT), json.dumps(cfg)]
        proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        assert proc.stdout is not None
        line = proc.stdout.readline().decode(errors="replace").strip()
        if not line.startswith("ready "):
            err = proc.stderr.read().decode(errors="replace").strip() if proc.stderr else ""
            _stop(proc)
            detail = line.removeprefix("error: ") or err or "the namespace's first process exited"
            raise LocalModeError(f"local instance: cannot set up its root filesystem: {detail}")
        _, pid, layout = line.split()
        return cls(proc, int(pid), isolation, layout)

    @property
    def root(self) -> str:
        """The instance's ``/`` as the host can reach it (through the first process's root link)."""
        return f"/proc/{self.host_pid}/root"

    def argv(self, command: list[str]) -> list[str]:
        """``command`` run inside the instance: as root, with the instance's mounts, pids and root directory."""
        argv = ["nsenter", f"--target={self.host_pid}", "--mount", "--pid", "--uts", "--ipc"]
        if self.isolation.kind == "userns":
            argv += ["--user", "--preserve-credentials"]
        argv += ["--root", "--wd", "--"]
        argv += ["setpriv", "--bounding-set", ",".join("-" + cap for cap in DROPPED_CAPS), "--"]
        return [*argv, *command]

    def alive(self) -> bool:
        return self._proc.poll() is None

    def stop(self) -> None:
        """Stop the instance's OS: every process left in it dies with the first one."""
        _stop(self._proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (subprocess.TimeoutExpired, OSError):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
