"""A real OpenSSH ``sshd`` on a loopback port, standing in for the EC2 instance a build provisions.

Each server gets a private directory with its own config, host key and client key, runs in the foreground
(``sshd -D -e -f CONFIG``, log to a file there) and is stopped by PID. Nothing on the system changes, except that
``/run/sshd`` (the privilege-separation directory sshd insists on when started as root) is created if missing.

Who logs in:
  * as root (CI containers, this machine): ``root``, with ``PermitRootLogin prohibit-password`` (``yes`` for the
    password variant);
  * as a normal user: that user, sshd running unprivileged (sshd only lets the user it runs as log in then).

Which keys are accepted:
  * the key pairs moto holds (``AuthorizedKeysCommand``, see ``authorized_keys_command.py``): the key pair a build
    creates through the EC2 API is the key that logs in, like cloud-init on a real instance;
  * the harness's own client key, and anything added with ``authorize()`` (an ``AuthorizedKeysFile`` in the
    private directory), for communicator tests that do not go through EC2.

sshd only runs an ``AuthorizedKeysCommand`` whose program is owned by root and sits in directories nobody else can
write to, so the command is the system's ``python3`` (root-owned in ``/usr/bin``) running the script from this
directory: only the program path is checked, not its arguments.

Password authentication needs a password sshd can check without PAM. The system's root account is never given one:
the password variant runs sshd in a private mount namespace (``unshare --mount``) in which a copy of
``/etc/shadow`` with a hash for root is bind-mounted over the real one. That needs root; as a normal user the password
variant is not available (``password_auth_available()``).

The instance variant (``instance_user="ec2-user"``) stands for an Amazon Linux instance, so that an unchanged
template (``ssh_username: ec2-user``, ``sudo yum -y install httpd``, ``sudo systemctl enable httpd``) builds against
it: in the same kind of private mount namespace, a copy of ``/etc/passwd`` adds that account (uid 0, shell
``/bin/sh``, home in the private directory), and its sessions get a ``PATH`` (``SetEnv``) that starts with
stand-ins for ``sudo`` (runs its command), package and service managers and the AWS CLI (print what they were
asked, log it to ``shims.log``, succeed), so nothing is installed on, or fetched to, the test machine. Its shell is
``/bin/sh``, which reads no start-up files: a command costs a fork and an exec, not a ``.bashrc`` (root's, on a
developer machine, may run ``pyenv init``: 0.1 s per command).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from packer_py.local.session import SHIM_NAMES
from tests.harness.ports import LOOPBACK, free_port
from tests.harness.processes import die_with_parent

SSHD = Path("/usr/sbin/sshd")
PRIVSEP_DIR = Path("/run/sshd")
AUTHORIZED_KEYS_COMMAND = Path(__file__).with_name("authorized_keys_command.py")
DEFAULT_PASSWORD = "packer-py-test-password"
SHIMMED_COMMANDS = (*SHIM_NAMES, "aws")
"""What the instance variant replaces on its users' ``PATH``: the commands local mode stands in for, and the AWS CLI
(``sudo`` runs its command; the others only log)."""
_SHIM = r"""#!/bin/sh
# packer-py test instance: stand-ins for commands that must not change (or reach out from) the test machine.
me=${0##*/}
printf '%s\n' "$me $*" >>"${0%/*}/../shims.log"
if [ "$me" = sudo ]; then
    while [ $# -gt 0 ]; do
        case "$1" in
        --) shift; break ;;
        -u | -g | -p | -C | -h | -U) shift 2 ;;
        -*) shift ;;
        *) break ;;
        esac
    done
    while [ $# -gt 0 ]; do
        case "$1" in
        [A-Za-z_]*=*) export "$1"; shift ;;
        *) break ;;
        esac
    done
    [ $# -gt 0 ] || exit 0
    exec "$@"
fi
echo "[test instance] $me $*"
exit 0
"""


class SshdError(RuntimeError):
    """The test sshd could not be started."""


def _is_root() -> bool:
    return os.geteuid() == 0


def login_user() -> str:
    """The account tests log in as: root when running as root, else the current user."""
    return pwd.getpwuid(os.geteuid()).pw_name


def _root_owned_and_safe(path: Path) -> bool:
    """sshd's ``safe_path`` rule for an AuthorizedKeysCommand: the file and every parent directory are owned by root
    and not writable by group or others."""
    try:
        real = path.resolve(strict=True)
    except OSError:
        return False
    for part in (real, *real.parents):
        info = part.stat()
        if info.st_uid != 0 or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return real.is_file() and os.access(real, os.X_OK)


def root_owned_python() -> Path:
    """A Python 3 interpreter sshd will accept as the AuthorizedKeysCommand program."""
    candidates = [Path("/usr/bin/python3"), Path("/usr/local/bin/python3"), Path(sys.executable)]
    for candidate in candidates:
        if _root_owned_and_safe(candidate):
            return candidate.resolve()
    raise SshdError(
        "no root-owned python3 for the sshd AuthorizedKeysCommand (tried "
        + ", ".join(map(str, candidates))
        + "); install the python3 package"
    )


def private_mounts_available() -> bool:
    """Whether sshd can run in a private mount namespace with our own ``/etc/shadow`` or ``/etc/passwd``: root,
    and mount namespaces allowed. The password and instance variants need it."""
    if not _is_root() or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def password_auth_available() -> bool:
    """Whether ``Sshd.start(password=...)`` can work here."""
    return private_mounts_available()


instance_user_available = private_mounts_available
"""Whether ``Sshd.start(instance_user=...)`` can work here."""


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _ed25519_keypair() -> tuple[bytes, str]:
    """(OpenSSH private key PEM, ``ssh-ed25519 AAAA...`` public line)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return private, public.decode("ascii")


def _password_hash(password: str) -> str:
    salt = os.urandom(6).hex()
    result = subprocess.run(
        ["openssl", "passwd", "-6", "-salt", salt, "-stdin"],
        input=password.encode(),
        capture_output=True,
        check=True,
    )
    return result.stdout.decode().strip()


def _passwd_with_instance_user(name: str, home: Path) -> bytes:
    """``/etc/passwd`` plus ``name`` as another name for root, with ``/bin/sh`` as its shell."""
    lines = [line for line in Path("/etc/passwd").read_text(encoding="utf-8").splitlines() if line]
    lines = [line for line in lines if line.split(":", 1)[0] != name]
    lines.append(f"{name}:x:0:0:packer-py test instance:{home}:/bin/sh")
    return ("\n".join(lines) + "\n").encode()


def _write_shims(directory: Path) -> Path:
    shims = directory / "shims"
    shims.mkdir(mode=0o755, exist_ok=True)
    for name in SHIMMED_COMMANDS:
        path = shims / name
        path.write_text(_SHIM, encoding="ascii")
        path.chmod(0o755)
    return shims


def _shadow_with_root_password(password: str) -> bytes:
    lines = Path("/etc/shadow").read_text(encoding="utf-8").splitlines()
    hashed = _password_hash(password)
    out = []
    for line in lines:
        fields = line.split(":")
        if fields[0] == "root" and len(fields) > 1:
            fields[1] = hashed
            line = ":".join(fields)
        out.append(line)
    return ("\n".join(out) + "\n").encode()


def sshd_config(
    *,
    directory: Path,
    port: int,
    user: str,
    moto_endpoint: str | None,
    password_auth: bool,
    python: Path | None,
    force_command: str | None = None,
    instance_user: str | None = None,
) -> str:
    """The complete sshd_config of a test server (no Include of the system's config)."""
    users = user if instance_user is None else f"{user} {instance_user}"
    lines = [
        f"ListenAddress {LOOPBACK}:{port}",
        f"HostKey {directory / 'ssh_host_ed25519_key'}",
        f"PidFile {directory / 'sshd.pid'}",
        f"AuthorizedKeysFile {directory / 'authorized_keys'}",
        "StrictModes no",
        "PubkeyAuthentication yes",
        f"PasswordAuthentication {'yes' if password_auth else 'no'}",
        f"KbdInteractiveAuthentication {'yes' if password_auth else 'no'}",
        "PermitEmptyPasswords no",
        f"PermitRootLogin {'yes' if password_auth else 'prohibit-password'}",
        "UsePAM no",
        f"AllowUsers {users}",
        "UseDNS no",
        "PrintMotd no",
        "PrintLastLog no",
        "X11Forwarding no",
        "AllowTcpForwarding yes",
        "AllowAgentForwarding yes",
        "MaxStartups 100:30:200",
        "MaxSessions 100",
        "MaxAuthTries 20",
        "LoginGraceTime 60",
        "LogLevel VERBOSE",
        "Subsystem sftp internal-sftp",
    ]
    if moto_endpoint is not None and python is not None:
        command = f"{python} -I -S {AUTHORIZED_KEYS_COMMAND} {moto_endpoint} {directory / 'key_pair_regions'}"
        lines += [f"AuthorizedKeysCommand {command}", f"AuthorizedKeysCommandUser {user}"]
    if force_command is not None:
        lines.append(f"ForceCommand {force_command}")
    if instance_user is not None:
        path = f"{directory / 'shims'}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        lines += [f"Match User {instance_user}", f"    SetEnv PATH={path}"]
    return "\n".join(lines) + "\n"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may contain spaces and parentheses
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


@dataclass
class Sshd:
    """A running test sshd. Create with ``Sshd.start``; stop with ``stop()``."""

    host: str
    port: int
    user: str
    directory: Path
    process: subprocess.Popen[bytes]
    password: str | None
    moto_endpoint: str | None
    instance_user: str | None = None

    @property
    def client_key_path(self) -> Path:
        """An Ed25519 private key (OpenSSH format) that is always authorized."""
        return self.directory / "client_ed25519_key"

    @property
    def client_key_text(self) -> str:
        return self.client_key_path.read_text(encoding="ascii")

    @property
    def log_path(self) -> Path:
        return self.directory / "sshd.log"

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    @property
    def shims_log_path(self) -> Path:
        return self.directory / "shims.log"

    def shimmed_commands(self) -> list[str]:
        """The instance variant: every stand-in command run so far (``yum -y install httpd``), in order."""
        if not self.shims_log_path.exists():
            return []
        return self.shims_log_path.read_text(encoding="utf-8", errors="replace").splitlines()

    @classmethod
    def start(
        cls,
        directory: Path,
        *,
        moto_endpoint: str | None = None,
        password: str | None = None,
        key_pair_regions: tuple[str, ...] = ("us-east-1",),
        startup_timeout: float = 15.0,
        force_command: str | None = None,
        instance_user: str | None = None,
    ) -> Sshd:
        """Start sshd; ``password`` enables password (and keyboard-interactive) login for root, ``instance_user``
        the instance variant logged into as that user (both need root; see the module docstring).

        ``force_command`` becomes sshd's ``ForceCommand``: every session (exec, shell and subsystem requests alike)
        runs it instead, with the client's command in ``SSH_ORIGINAL_COMMAND`` (``internal-sftp`` for the sftp
        subsystem). ``sandbox.py`` uses it to run each session inside a namespace sandbox."""
        if not SSHD.exists():
            raise SshdError(f"{SSHD} not found: install the openssh-server package")
        if password is not None and not password_auth_available():
            raise SshdError("password login needs root and `unshare --mount`")
        if instance_user is not None and not instance_user_available():
            raise SshdError("the instance variant needs root and `unshare --mount`")
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o755)
        if _is_root() and not PRIVSEP_DIR.exists():
            PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
        user = login_user()
        host_key, _ = _ed25519_keypair()
        _write_private(directory / "ssh_host_ed25519_key", host_key)
        client_key, client_public = _ed25519_keypair()
        _write_private(directory / "client_ed25519_key", client_key)
        (directory / "authorized_keys").write_text(client_public + "\n", encoding="ascii")
        (directory / "key_pair_regions").write_text("".join(f"{r}\n" for r in key_pair_regions), encoding="ascii")
        python = root_owned_python() if moto_endpoint is not None else None
        mounts: list[tuple[Path, str]] = []
        if password is not None:
            _write_private(directory / "shadow", _shadow_with_root_password(password))
            mounts.append((directory / "shadow", "/etc/shadow"))
        if instance_user is not None:
            home = directory / "home"
            home.mkdir(mode=0o755, exist_ok=True)
            (directory / "passwd").write_bytes(_passwd_with_instance_user(instance_user, home))
            (directory / "passwd").chmod(0o644)
            _write_shims(directory)
            mounts.append((directory / "passwd", "/etc/passwd"))
        prefix: list[str] = []
        if mounts:
            binds = " && ".join(f"mount --bind {shlex.quote(str(src))} {dst}" for src, dst in mounts)
            prefix = [
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--",
                "/bin/sh",
                "-c",
                f'{binds} && exec "$@"',
                "sh",
            ]
        last_log = ""
        for _ in range(3):
            port = free_port()
            config = sshd_config(
                directory=directory,
                port=port,
                user=user,
                moto_endpoint=moto_endpoint,
                password_auth=password is not None,
                python=python,
                force_command=force_command,
                instance_user=instance_user,
            )
            (directory / "sshd_config").write_text(config, encoding="utf-8")
            log_path = directory / "sshd.log"
            log_path.write_bytes(b"")
            with open(log_path, "ab") as log:
                process = subprocess.Popen(
                    [*prefix, str(SSHD), "-D", "-e", "-f", str(directory / "sshd_config")],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=die_with_parent,  # noqa: PLW1509 (only a prctl call in the child)
                )
            server = cls(
                host=LOOPBACK,
                port=port,
                user=instance_user or user,
                directory=directory,
                process=process,
                password=password,
                moto_endpoint=moto_endpoint,
                instance_user=instance_user,
            )
            if server._wait_listening(startup_timeout):
                return server
            last_log = server.log_text()
            server.stop(remove=False)
            if "Address already in use" not in last_log:
                break
        raise SshdError(f"sshd did not start; its log:\n{last_log}")

    def _wait_listening(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        marker = f"Server listening on {LOOPBACK} port {self.port}"
        while time.monotonic() < deadline:
            if marker in self.log_text():
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def authorize(self, public_key: str) -> None:
        """Accept one more public key (an ``authorized_keys`` line) for the login user."""
        with open(self.directory / "authorized_keys", "a", encoding="ascii") as handle:
            handle.write(public_key.strip() + "\n")

    def set_key_pair_regions(self, regions: tuple[str, ...] | list[str]) -> None:
        """Regions whose key pairs are always accepted (beyond those the moto recording shows being created)."""
        (self.directory / "key_pair_regions").write_text("".join(f"{r}\n" for r in regions), encoding="ascii")

    def connection_pids(self) -> list[int]:
        """PIDs of the per-connection sshd processes (children of the listener), one per open SSH connection."""
        return _children(self.process.pid)

    def drop_connections(self, sig: int = signal.SIGKILL) -> int:
        """Kill every connection's sshd process, as an instance reboot or a network drop would: the client sees
        the TCP connection end without an exit status. Returns how many were killed."""
        pids = self.connection_pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        return len(pids)

    def stop(self, *, remove: bool = True) -> None:
        """Stop the connections and the listener by PID, then delete the private directory."""
        if self.process.poll() is None:
            self.drop_connections(signal.SIGKILL)  # also ends a session a test froze with SIGSTOP
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if remove:
            shutil.rmtree(self.directory, ignore_errors=True)
