"""The local instance's SSH server: paramiko's server API on a loopback port, in the packer-py process.

It stands for the instance's sshd, so the build's communicator (the same one that talks to EC2 instances) connects
over real SSH. A login is accepted when its public key is the key pair of a running instance in the embedded EC2
(the temporary key pair the builder created, or the one it named), and the connection then belongs to that
instance: ``exec`` runs the command as root inside the instance's namespace with its exit status and separate
stdout/stderr streams (one merged stream under a pty, as sshd does), ``pty-req`` allocates the terminal from the
instance's own devpts, the ``sftp`` subsystem serves the instance's root, and ``scp -t``/``scp -f`` are answered by
the server itself (Packer's default transfer method).
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import socket
import struct
import subprocess
import termios
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import paramiko
from paramiko.common import (
    AUTH_FAILED,
    AUTH_SUCCESSFUL,
    OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED,
    OPEN_SUCCEEDED,
)

from packer_py.communicator.server import ConnectionServer
from packer_py.local import scp
from packer_py.local.namespace import PATH
from packer_py.local.sftp import SandboxSFTP

if TYPE_CHECKING:
    from packer_py.local.instances import LocalInstance
    from packer_py.local.rootfs import RootFS

log = logging.getLogger("packer_py.local.sshd")
_TRANSPORT_LOG = "packer_py.local.sshd.transport"
# paramiko logs a client that connects and leaves without a word (a port probe, Packer's included) as an error with
# a traceback; that belongs in the debug log (PACKER_LOG), never on the build's terminal.
logging.getLogger(_TRANSPORT_LOG).addHandler(logging.NullHandler())

_TIOCSPTLCK = 0x40045431
_TIOCGPTPEER = 0x5441
_CHUNK = 1 << 15

Authorizer = Callable[[str, paramiko.PKey], "LocalInstance | None"]
"""``(username, public key)`` → the running instance that key logs in to, or None."""


def load_host_key(path: Path) -> paramiko.PKey:
    """The server's host key, made once per sandbox (ECDSA: instant to generate, unlike RSA)."""
    if path.exists():
        return paramiko.ECDSAKey.from_private_key_file(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = paramiko.ECDSAKey.generate()
    tmp = path.with_suffix(".tmp")
    key.write_private_key_file(str(tmp))
    os.replace(tmp, path)
    return key


@dataclass
class _ChannelState:
    pty: tuple[str, int, int, int, int] | None = None
    env: dict[str, str] = field(default_factory=dict)
    master: int | None = None


class _Connection(paramiko.ServerInterface):
    """One SSH connection: authentication, then the instance it logged in to serves its channels."""

    def __init__(self, server: LocalSshServer, transport: paramiko.Transport) -> None:
        self.server = server
        self.transport = transport
        self.instance: LocalInstance | None = None
        self.username = ""
        self.channels: dict[int, _ChannelState] = {}

    # -- authentication -------------------------------------------------------------------------------------------
    def get_allowed_auths(self, username: str) -> str:
        return "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        try:
            instance = self.server.authorize(username, key)
        except Exception:  # a failing lookup refuses the login, it never kills the server
            log.exception("looking up the key of %s failed", username)
            return AUTH_FAILED
        if instance is None:
            return AUTH_FAILED
        self.instance, self.username = instance, username
        return AUTH_SUCCESSFUL

    # -- channels -------------------------------------------------------------------------------------------------
    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind != "session":
            return OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED
        self.channels[chanid] = _ChannelState()
        return OPEN_SUCCEEDED

    def _state(self, channel: paramiko.Channel) -> _ChannelState:
        return self.channels.setdefault(channel.get_id(), _ChannelState())

    def check_channel_env_request(self, channel: paramiko.Channel, name: bytes | str, value: bytes | str) -> bool:
        n = name.decode() if isinstance(name, bytes) else name
        v = value.decode() if isinstance(value, bytes) else value
        self._state(channel).env[n] = v
        return True

    def check_channel_pty_request(
        self,
        channel: paramiko.Channel,
        term: bytes | str,
        width: int,
        height: int,
        pixelwidth: int,
        pixelheight: int,
        modes: bytes,
    ) -> bool:
        t = term.decode() if isinstance(term, bytes) else term
        self._state(channel).pty = (t or "xterm", width, height, pixelwidth, pixelheight)
        return True

    def check_channel_window_change_request(
        self, channel: paramiko.Channel, width: int, height: int, pixelwidth: int, pixelheight: int
    ) -> bool:
        state = self._state(channel)
        if state.master is not None:
            _set_winsize(state.master, width, height, pixelwidth, pixelheight)
        return True

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes | str) -> bool:
        cmd = command.decode(errors="replace") if isinstance(command, bytes) else command
        return self._start(channel, cmd)

    def check_channel_shell_request(self, channel: paramiko.Channel) -> bool:
        return self._start(channel, None)

    def _start(self, channel: paramiko.Channel, command: str | None) -> bool:
        if self.instance is None:
            return False
        session = _Session(self, channel, self._state(channel), command)
        threading.Thread(target=session.run, name=f"local-ssh-exec-{channel.get_id()}", daemon=True).start()
        return True

    def open_rootfs(self) -> RootFS:
        assert self.instance is not None
        return self.instance.rootfs()


class _Session:
    """One exec (or shell) request: the command's lifetime, output pumps and exit status."""

    def __init__(self, conn: _Connection, channel: paramiko.Channel, state: _ChannelState, command: str | None):
        self.conn = conn
        self.channel = channel
        self.state = state
        self.command = command

    def run(self) -> None:
        status = 255
        try:
            status = self._run()
        except Exception as exc:  # report on the channel like sshd would, then close it
            log.exception("local instance command failed")
            try:
                self.channel.sendall_stderr(f"packer-py local: {exc}\r\n".encode())
            except OSError:
                pass
        finally:
            try:
                self.channel.send_exit_status(status)
                self.channel.shutdown_write()
                self.channel.close()
            except (OSError, EOFError):
                pass

    def _run(self) -> int:
        instance = self.conn.instance
        assert instance is not None
        if self.command is not None:
            scp_cmd = scp.parse(self.command)
            if scp_cmd is not None:
                with instance.rootfs() as fs:
                    return scp.serve(scp_cmd, self.channel, fs)
        ns = instance.ensure_running()
        shell = instance.shell()
        env = self._environment(shell)
        argv = ns.argv([shell, "-c", self.command] if self.command is not None else [shell, "-l"])
        if self.state.pty is not None:
            return self._run_pty(argv, env, ns.root)
        return self._run_pipes(argv, env)

    def _environment(self, shell: str) -> dict[str, str]:
        """A root login's environment, as sshd gives it (plus the variables the client sent with ``env``)."""
        env = {
            "PATH": PATH,
            "HOME": "/root",
            "USER": "root",
            "LOGNAME": "root",
            "SHELL": shell,
            "LANG": "C.UTF-8",
            "SSH_CONNECTION": "127.0.0.1 0 127.0.0.1 22",
        }
        instance = self.conn.instance
        if instance is not None:
            env["AWS_DEFAULT_REGION"] = instance.region  # what the instance's metadata would tell the AWS CLI
        env.update(self.conn.server.environment)
        env.update(self.state.env)
        if self.state.pty is not None:
            env["TERM"] = self.state.pty[0]
        return env

    # -- plain pipes ----------------------------------------------------------------------------------------------
    def _run_pipes(self, argv: list[str], env: dict[str, str]) -> int:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        assert proc.stdout is not None and proc.stderr is not None and proc.stdin is not None
        pumps = [
            threading.Thread(target=_pump_out, args=(proc.stdout.fileno(), self.channel.sendall), daemon=True),
            threading.Thread(target=_pump_out, args=(proc.stderr.fileno(), self.channel.sendall_stderr), daemon=True),
        ]
        for t in pumps:
            t.start()
        threading.Thread(
            target=_pump_in, args=(self.channel, proc.stdin.fileno(), proc.stdin.close), daemon=True
        ).start()
        status = self._wait(proc)
        for t in pumps:
            t.join()
        proc.stdout.close()
        proc.stderr.close()
        return status

    # -- pty ------------------------------------------------------------------------------------------------------
    def _run_pty(self, argv: list[str], env: dict[str, str], root: str) -> int:
        assert self.state.pty is not None
        master = os.open(f"{root}/dev/pts/ptmx", os.O_RDWR | os.O_NOCTTY | os.O_CLOEXEC)
        fcntl.ioctl(master, _TIOCSPTLCK, struct.pack("i", 0))
        slave = fcntl.ioctl(master, _TIOCGPTPEER, os.O_RDWR | os.O_NOCTTY)
        _, width, height, pw, ph = self.state.pty
        _set_winsize(master, width, height, pw, ph)
        self.state.master = master
        try:
            proc = subprocess.Popen(
                argv, stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=_take_tty, close_fds=True
            )
        finally:
            os.close(slave)
        out = threading.Thread(target=_pump_out, args=(master, self.channel.sendall), daemon=True)
        out.start()
        threading.Thread(target=_pump_in, args=(self.channel, master, None), daemon=True).start()
        status = self._wait(proc)
        out.join(timeout=5)
        self.state.master = None
        os.close(master)
        return status

    def _wait(self, proc: subprocess.Popen[bytes]) -> int:
        """Wait for the command; a client that goes away takes its command with it (sshd sends SIGHUP)."""
        while True:
            try:
                rc = proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if self.channel.closed or not self.conn.transport.is_active():
                    _kill(proc)
        return rc if rc >= 0 else 128 - rc


def _take_tty() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGHUP, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            proc.wait(timeout=1)
            return
        except subprocess.TimeoutExpired:
            continue


def _set_winsize(fd: int, width: int, height: int, pw: int, ph: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height or 24, width or 80, pw, ph))


def _pump_out(fd: int, send: Callable[[bytes], Any]) -> None:
    while True:
        try:
            data = os.read(fd, _CHUNK)
        except OSError:  # EIO: the pty's last slave closed
            return
        if not data:
            return
        try:
            send(data)
        except (OSError, EOFError):
            return


def _pump_in(channel: paramiko.Channel, fd: int, close: Callable[[], None] | None) -> None:
    """Client → command. ``close`` (the pipe's owner closes it, never ``os.close``: the number may be reused) runs
    at the client's EOF."""
    try:
        while True:
            data = channel.recv(_CHUNK)
            if not data:
                break
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
    except (OSError, EOFError):
        pass
    finally:
        if close is not None:
            try:
                close()
            except OSError:
                pass


class LocalSshServer:
    """Listens on ``127.0.0.1:<free port>``; every accepted connection is served on its own thread."""

    def __init__(self, authorize: Authorizer, host_key: paramiko.PKey, environment: Mapping[str, str]) -> None:
        self.authorize = authorize
        self.host_key = host_key
        self.environment = dict(environment)
        """Extra variables for every command (the shims' endpoint settings)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        self.host, self.port = sock.getsockname()[:2]
        self._server = ConnectionServer(
            sock, name="local-sshd", transport=self._transport, interface=lambda t: _Connection(self, t)
        )
        self._server.start()

    def _transport(self, conn: socket.socket) -> paramiko.Transport:
        transport = paramiko.Transport(conn, default_window_size=1 << 24, default_max_packet_size=1 << 15)
        transport.set_log_channel(_TRANSPORT_LOG)
        transport.add_server_key(self.host_key)
        transport.set_subsystem_handler("sftp", paramiko.SFTPServer, SandboxSFTP)
        return transport

    def close(self) -> None:
        self._server.close()
