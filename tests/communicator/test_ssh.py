"""The SSH communicator against a real OpenSSH sshd: connecting, waiting, running commands, losing the connection."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from packer_py.communicator import (
    CommandTimeoutError,
    CommunicatorError,
    RemoteResult,
    SSHAuthError,
    SSHCommunicator,
    SSHConfig,
    SSHKeyError,
    SSHTimeoutError,
)
from tests.communicator.conftest import MakeComm
from tests.harness.moto_server import MotoServer
from tests.harness.ports import SilentPort, free_port
from tests.harness.sshd import Sshd


class Output:
    """Collects streamed lines with the time each arrived."""

    def __init__(self) -> None:
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.times: list[float] = []

    def out(self, line: str) -> None:
        self.stdout.append(line)
        self.times.append(time.monotonic())

    def err(self, line: str) -> None:
        self.stderr.append(line)


def run(comm: SSHCommunicator, command: str, **kwargs: object) -> tuple[RemoteResult, Output]:
    output = Output()
    result = comm.run(command, on_stdout=output.out, on_stderr=output.err, **kwargs)  # type: ignore[arg-type]
    return result, output


def _generated_key(kind: str) -> tuple[str, str]:
    """(private key text in the format a user would bring, public ``authorized_keys`` line)."""
    if kind == "rsa-pem":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
    elif kind == "ecdsa-pem":
        key = ec.generate_private_key(ec.SECP384R1())
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
    elif kind == "rsa-openssh":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        fmt = serialization.PrivateFormat.OpenSSH
    else:
        key = ed25519.Ed25519PrivateKey.generate()
        fmt = serialization.PrivateFormat.OpenSSH
    private = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return private, public.decode()


# -- connecting ----------------------------------------------------------------------------------------------------


def test_constructing_does_no_io() -> None:
    comm = SSHCommunicator(SSHConfig(ssh_host="203.0.113.9", ssh_username="nobody", ssh_private_key_file="/nope"))
    assert not comm.connected
    comm.close()
    comm.close()


def test_first_call_connects_lazily(comm: SSHCommunicator, sshd: Sshd) -> None:
    assert not comm.connected
    result, output = run(comm, "id -un")
    assert result == RemoteResult("id -un", 0)
    assert output.stdout == [sshd.user]
    assert comm.connected


def test_key_pair_created_through_ec2_logs_in(moto: MotoServer, make_comm: MakeComm, sshd: Sshd) -> None:
    ec2 = moto.client("ec2")
    material = ec2.create_key_pair(KeyName="packer_5f1e", KeyType="ed25519")["KeyMaterial"]
    comm = make_comm(ssh_private_key=material)
    assert run(comm, "id -un")[1].stdout == [sshd.user]


@pytest.mark.parametrize("kind", ["rsa-pem", "rsa-openssh", "ecdsa-pem", "ed25519-openssh"])
def test_private_key_file_of_each_type(kind: str, make_comm: MakeComm, sshd: Sshd, tmp_path: Path) -> None:
    private, public = _generated_key(kind)
    sshd.authorize(public)
    key_file = tmp_path / "id_key"
    key_file.write_text(private)
    comm = make_comm(ssh_private_key="", ssh_private_key_file=str(key_file))
    assert run(comm, "true")[0].exit_status == 0


def test_password_login(sshd_password: Sshd) -> None:
    config = SSHConfig(
        ssh_host=sshd_password.host,
        ssh_port=sshd_password.port,
        ssh_username="root",
        ssh_password=sshd_password.password or "",
        ssh_timeout=10,
    )
    with SSHCommunicator(config) as comm:
        assert run(comm, "id -u")[1].stdout == ["0"]


def test_wrong_password_uses_up_handshake_attempts(sshd_password: Sshd) -> None:
    config = SSHConfig(
        ssh_host=sshd_password.host,
        ssh_port=sshd_password.port,
        ssh_username="root",
        ssh_password="not-the-password",
        ssh_handshake_attempts=2,
    )
    comm = SSHCommunicator(config, retry_interval=0.01, handshake_pause=0.01)
    with pytest.raises(SSHAuthError) as caught:
        comm.connect()
    assert str(caught.value).startswith("Packer experienced an authentication error when trying to connect via SSH.")
    assert str(caught.value).endswith(
        "original error: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none password keyboard-interactive], "
        "no supported methods remain"
    )


def test_unknown_key_uses_up_handshake_attempts(
    make_comm: MakeComm, sshd: Sshd, caplog: pytest.LogCaptureFixture
) -> None:
    stranger, _ = _generated_key("ed25519-openssh")
    comm = make_comm(ssh_private_key=stranger, ssh_handshake_attempts=3)
    caplog.set_level("DEBUG", logger="packer_py.communicator")
    with pytest.raises(SSHAuthError, match=r"attempted methods \[none publickey\]"):
        comm.connect()
    assert caplog.text.count("Detected authentication error") == 3


def test_unparseable_key_fails_at_once(make_comm: MakeComm) -> None:
    comm = make_comm(
        ssh_private_key="-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----"
    )
    started = time.monotonic()
    with pytest.raises(SSHKeyError, match="^Error on parsing SSH private key"):
        comm.connect()
    assert time.monotonic() - started < 1


def test_timeout_waiting_for_a_server_that_never_speaks(make_comm: MakeComm, silent_port: SilentPort) -> None:
    comm = make_comm(ssh_port=silent_port.port, ssh_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(SSHTimeoutError, match=r"^Timeout waiting for SSH\.$"):
        comm.connect()
    assert 0.9 <= time.monotonic() - started < 3
    assert silent_port.accepted >= 1


def test_timeout_retries_a_refused_port(make_comm: MakeComm, caplog: pytest.LogCaptureFixture) -> None:
    comm = make_comm(ssh_port=free_port(), ssh_timeout=0.6)
    caplog.set_level("DEBUG", logger="packer_py.communicator")
    started = time.monotonic()
    with pytest.raises(SSHTimeoutError):
        comm.run("true", on_stdout=print, on_stderr=print)
    assert 0.55 <= time.monotonic() - started < 2
    assert caplog.text.count("TCP connection to SSH ip/port failed") >= 5, "retried every retry_interval"


def test_waits_until_the_server_comes_up(make_comm: MakeComm, sshd: Sshd) -> None:
    """The boot of an instance: nothing listens at first, then sshd answers."""
    port = free_port()
    relay = None

    def start_listening() -> None:
        nonlocal relay
        relay = subprocess.Popen(
            [sys.executable, "-c", _FORWARDER, str(port), str(sshd.port)], stdout=subprocess.PIPE, text=True
        )

    timer = threading.Timer(0.4, start_listening)
    timer.start()
    try:
        comm = make_comm(ssh_port=port, ssh_timeout=10)
        started = time.monotonic()
        assert run(comm, "true")[0].exit_status == 0
        assert time.monotonic() - started >= 0.4
    finally:
        timer.join()
        if relay is not None:
            relay.kill()
            relay.wait()


_FORWARDER = """
import socket, sys, threading
listener = socket.create_server(("127.0.0.1", int(sys.argv[1])))
def pipe(a, b):
    while data := a.recv(65536):
        b.sendall(data)
    b.shutdown(socket.SHUT_WR)
while True:
    client, _ = listener.accept()
    server = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
    threading.Thread(target=pipe, args=(client, server), daemon=True).start()
    threading.Thread(target=pipe, args=(server, client), daemon=True).start()
"""


def test_close_is_idempotent_and_the_communicator_is_a_context_manager(make_comm: MakeComm) -> None:
    with make_comm() as comm:
        run(comm, "true")
        assert comm.connected
    assert not comm.connected
    comm.close()
    assert run(comm, "true")[0].exit_status == 0, "a closed communicator connects again on demand"


def test_reconnect_opens_a_new_connection(comm: SSHCommunicator) -> None:
    first = run(comm, "echo $PPID")[1].stdout
    comm.reconnect()
    second = run(comm, "echo $PPID")[1].stdout
    assert first != second


def test_aes_gcm_is_negotiated_by_default(comm: SSHCommunicator) -> None:
    comm.connect()
    assert comm._connection is not None
    assert comm._connection.transport.local_cipher == "aes128-gcm@openssh.com"


def test_ssh_ciphers_and_key_exchange_are_honoured(make_comm: MakeComm) -> None:
    comm = make_comm(ssh_ciphers=("aes256-ctr",), ssh_key_exchange_algorithms=("diffie-hellman-group14-sha256",))
    comm.connect()
    assert comm._connection is not None
    assert comm._connection.transport.local_cipher == "aes256-ctr"
    assert comm._connection.transport.remote_cipher == "aes256-ctr"


def test_unsupported_ciphers_fail_at_once(make_comm: MakeComm) -> None:
    with pytest.raises(CommunicatorError, match=r"^ssh_ciphers: none of 3des-cbc-legacy is supported"):
        make_comm(ssh_ciphers=("3des-cbc-legacy",)).connect()


def test_bastion_host(make_comm: MakeComm, sshd: Sshd) -> None:
    comm = make_comm(
        ssh_bastion_host=sshd.host,
        ssh_bastion_port=sshd.port,
        ssh_bastion_username=sshd.user,
        ssh_bastion_private_key_file=str(sshd.client_key_path),
    )
    assert run(comm, "id -un")[1].stdout == [sshd.user]
    assert comm._connection is not None and comm._connection.bastion is not None
    assert comm._connection.bastion.is_active()
    comm.close()
    assert comm._connection is None


def test_bastion_that_refuses_us_is_retried_until_timeout(make_comm: MakeComm, sshd: Sshd, tmp_path: Path) -> None:
    stranger, _ = _generated_key("ed25519-openssh")
    (tmp_path / "bastion_key").write_text(stranger)
    comm = make_comm(
        ssh_timeout=0.5,
        ssh_bastion_host=sshd.host,
        ssh_bastion_port=sshd.port,
        ssh_bastion_username=sshd.user,
        ssh_bastion_private_key_file=str(tmp_path / "bastion_key"),
    )
    with pytest.raises(SSHTimeoutError):
        comm.connect()


@pytest.fixture
def ssh_agent(tmp_path: Path, sshd: Sshd, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private ssh-agent holding the harness client key, as ``SSH_AUTH_SOCK``."""
    if shutil.which("ssh-agent") is None or shutil.which("ssh-add") is None:
        pytest.skip("ssh-agent is not installed")
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 5
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        env = {**os.environ, "SSH_AUTH_SOCK": str(sock)}
        subprocess.run(["ssh-add", "-q", str(sshd.client_key_path)], env=env, check=True, capture_output=True)
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        yield sock
    finally:
        agent.terminate()
        agent.wait()


def test_agent_auth_and_agent_forwarding(make_comm: MakeComm, ssh_agent: Path) -> None:
    comm = make_comm(ssh_private_key="", ssh_agent_auth=True)
    result, output = run(comm, "ssh-add -l")
    assert result.exit_status == 0, output.stderr
    assert "ED25519" in output.stdout[0], "the remote side sees our agent"


def test_agent_forwarding_can_be_disabled(make_comm: MakeComm, ssh_agent: Path) -> None:
    comm = make_comm(ssh_disable_agent_forwarding=True)
    result, _ = run(comm, 'test -z "$SSH_AUTH_SOCK"')
    assert result.exit_status == 0


def test_agent_auth_without_an_agent(make_comm: MakeComm, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    with pytest.raises(CommunicatorError, match="^SSH_AUTH_SOCK is not set$"):
        make_comm(ssh_agent_auth=True).connect()


def test_importing_the_communicator_does_not_import_paramiko() -> None:
    code = "import sys, packer_py.communicator; sys.exit('paramiko' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0


# -- running commands ----------------------------------------------------------------------------------------------


def test_stdout_and_stderr_are_streamed_as_they_arrive(comm: SSHCommunicator) -> None:
    result, output = run(comm, "echo first; echo oops >&2; sleep 0.4; echo second")
    assert result.exit_status == 0
    assert output.stdout == ["first", "second"]
    assert output.stderr == ["oops"]
    assert output.times[1] - output.times[0] >= 0.3, "the first line was delivered before the command finished"


@pytest.mark.parametrize(("command", "status"), [("true", 0), ("exit 7", 7), ("false", 1), ("exit 255", 255)])
def test_exit_status_is_data(comm: SSHCommunicator, command: str, status: int) -> None:
    assert run(comm, command)[0] == RemoteResult(command, status)


@pytest.mark.parametrize(("sig", "status"), [("TERM", 143), ("KILL", 137), ("HUP", 129)])
def test_command_killed_by_a_signal_exits_128_plus_n(comm: SSHCommunicator, sig: str, status: int) -> None:
    """Go's ssh package (so Packer) reports a signal death as 128 + the signal number."""
    assert run(comm, f"kill -{sig} $$")[0].exit_status == status


def test_final_partial_line_and_invalid_utf8(comm: SSHCommunicator) -> None:
    _, output = run(comm, r"printf 'caf\303\251\n\377 raw\nlast without newline'")
    assert output.stdout == ["café", "\ufffd raw", "last without newline"]


def test_stdin_is_closed(comm: SSHCommunicator) -> None:
    result, output = run(comm, "cat; echo done", timeout=5)
    assert result.exit_status == 0 and output.stdout == ["done"]


def test_200000_lines_stream_in_about_two_seconds(comm: SSHCommunicator) -> None:
    comm.connect()
    lines: list[str] = []
    started = time.monotonic()
    result = comm.run("seq 1 200000", on_stdout=lines.append, on_stderr=lines.append)
    elapsed = time.monotonic() - started
    assert result.exit_status == 0
    assert len(lines) == 200000 and lines[0] == "1" and lines[-1] == "200000"
    assert elapsed < 5.0, f"200,000 lines took {elapsed:.2f}s"  # ~0.3 s on an idle 2-core machine


def test_pty_on_request(comm: SSHCommunicator) -> None:
    result, output = run(comm, "tty; echo to-stderr >&2", pty=True)
    assert result.exit_status == 0
    assert output.stdout[0].startswith("/dev/pts/")
    assert [line.rstrip("\r") for line in output.stdout[1:]] == ["to-stderr"], "a pty merges stderr into stdout"
    no_pty, _ = run(comm, "tty")
    assert no_pty.exit_status == 1


def test_ssh_pty_requests_a_pty_for_every_command(make_comm: MakeComm) -> None:
    assert run(make_comm(ssh_pty=True), "tty")[0].exit_status == 0


def test_command_timeout(comm: SSHCommunicator) -> None:
    started = time.monotonic()
    with pytest.raises(CommandTimeoutError, match="did not finish within 0.3s"):
        run(comm, "sleep 5", timeout=0.3)
    assert time.monotonic() - started < 2
    assert run(comm, "true")[0].exit_status == 0, "the connection stays usable"


# -- losing the connection -----------------------------------------------------------------------------------------


def test_dropped_connection_is_a_result_and_the_next_call_reconnects(comm: SSHCommunicator) -> None:
    """A script that reboots the machine: its session's sshd goes away in the middle of the command."""
    result, output = run(comm, "echo before; sleep 0.5; kill -9 $PPID; sleep 5; echo never")
    assert result.exit_status is None and result.disconnected
    assert output.stdout == ["before"]
    assert not comm.connected
    after, output = run(comm, "echo after")
    assert after.exit_status == 0 and output.stdout == ["after"]


def test_connection_dropped_from_outside_then_reconnect(comm: SSHCommunicator, sshd: Sshd) -> None:
    comm.connect()
    timer = threading.Timer(0.3, sshd.drop_connections)
    timer.start()
    try:
        result, _ = run(comm, "sleep 5")
    finally:
        timer.join()
    assert result.disconnected
    comm.reconnect()
    assert comm.connected
    assert run(comm, "true")[0].exit_status == 0


def test_read_write_timeout_ends_a_frozen_connection(make_comm: MakeComm) -> None:
    """The instance vanishes without closing TCP (stopped, network cut): only the read deadline notices."""
    comm = make_comm(ssh_read_write_timeout=0.6, ssh_keep_alive_interval=0.1)
    session_pid = int(run(comm, "echo $PPID")[1].stdout[0])
    timer = threading.Timer(0.3, os.kill, (session_pid, signal.SIGSTOP))
    timer.start()
    try:
        started = time.monotonic()
        result, _ = run(comm, "sleep 5")
        assert result.disconnected
        assert time.monotonic() - started < 3
    finally:
        timer.join()
        os.kill(session_pid, signal.SIGKILL)
    assert run(comm, "true")[0].exit_status == 0, "and the next call gets a new connection"


def test_keep_alives_keep_an_idle_command_within_the_read_write_timeout(make_comm: MakeComm) -> None:
    comm = make_comm(ssh_read_write_timeout=0.5, ssh_keep_alive_interval=0.1)
    result, output = run(comm, "sleep 1.5; echo done")
    assert result.exit_status == 0 and output.stdout == ["done"]


def test_without_keep_alives_the_read_write_timeout_ends_an_idle_command(make_comm: MakeComm) -> None:
    """Packer's deadline counts any silence, so keep-alives are what make a quiet command survive it."""
    comm = make_comm(ssh_read_write_timeout=0.5, ssh_keep_alive_interval=0)
    assert run(comm, "sleep 1.5; echo done")[0].disconnected
