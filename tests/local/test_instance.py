"""A local instance over real SSH: commands run as root in the overlay namespace, files land in its upper layer,
and the EC2 lifecycle (stop, create image, terminate) acts on the sandbox."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from packer_py.local.session import LocalSession

from .conftest import Booted, boot, run


@pytest.fixture(scope="module")
def instance(session: LocalSession) -> Booted:
    return boot(session, "packer_test_instance")


@pytest.fixture(scope="module")
def client(instance: Booted) -> Iterator[Any]:
    c = instance.connect()
    yield c
    c.close()


def test_commands_run_as_root_with_exit_status_and_separate_streams(client: Any) -> None:
    assert run(client, "id -u") == (0, "0\n", "")
    assert run(client, "echo out; echo err >&2; exit 3") == (3, "out\n", "err\n")
    status, out, _ = run(client, 'echo "$HOME $USER"; pwd; echo "$AWS_DEFAULT_REGION"')
    assert (status, out) == (0, "/root root\n/root\neu-west-1\n")


def test_writes_land_in_the_upper_layer_not_on_the_host(client: Any, instance: Booted) -> None:
    marker = "/etc/packer-py-local-test-marker"
    assert not os.path.exists(marker)
    assert run(client, f"touch {marker} && rm /etc/hostname && ls {marker}")[0] == 0
    upper = instance.directory / "upper"
    assert (upper / marker.lstrip("/")).is_file()
    assert (upper / "etc/hostname").is_char_device()  # the overlay's whiteout
    assert not os.path.exists(marker)
    assert os.path.exists("/etc/hostname")


def test_the_instance_has_its_own_proc_tmp_and_dev(client: Any, tmp_path: Path) -> None:
    host_file = Path("/tmp") / f"packer-py-local-host-{os.getpid()}"
    host_file.write_text("host")
    try:
        status, out, _ = run(client, f"ls /proc | grep -c '^[0-9]'; stat -f -c %T /tmp; ls {host_file} 2>&1; ls /dev")
    finally:
        host_file.unlink()
    lines = out.splitlines()
    assert int(lines[0]) < 10  # a pid namespace: only the instance's processes
    assert lines[1] == "tmpfs"
    assert "No such file" in lines[2]
    assert {"null", "zero", "urandom", "pts", "ptmx", "shm"} <= set(lines[3:])


def test_output_is_streamed_before_the_command_ends(client: Any) -> None:
    chan = client.get_transport().open_session()
    chan.exec_command("echo first; sleep 2; echo second")
    started = time.monotonic()
    first = b""
    while b"\n" not in first:
        first += chan.recv(100)
    assert first == b"first\n" and time.monotonic() - started < 1.5
    assert chan.recv_exit_status() == 0


def test_pty_merges_streams_and_is_a_terminal(client: Any) -> None:
    status, out, _ = run(client, "tty; echo to-stderr >&2; echo $TERM", pty=True)
    lines = out.replace("\r\n", "\n").splitlines()
    assert status == 0
    assert lines[0].startswith("/dev/pts/") and lines[1:] == ["to-stderr", "vt100"]


def test_stdin_reaches_the_command(client: Any) -> None:
    stdin, out, _ = client.exec_command("cat > /root/from-stdin; wc -c < /root/from-stdin")
    stdin.write("twelve bytes")
    stdin.channel.shutdown_write()
    assert out.read().decode().strip() == "12"


def test_sftp_serves_the_instance_root(client: Any, instance: Booted) -> None:
    sftp = client.open_sftp()
    sftp.mkdir("/opt/app")
    sftp.putfo(io.BytesIO(b"payload\n"), "/opt/app/data.txt")
    sftp.chmod("/opt/app/data.txt", 0o640)
    assert sftp.listdir("/opt/app") == ["data.txt"]
    assert sftp.stat("/opt/app/data.txt").st_mode & 0o777 == 0o640
    assert sftp.normalize(".") == "/root"
    buf = io.BytesIO()
    sftp.getfo("/etc/os-release", buf)
    assert buf.getvalue() == Path("/etc/os-release").read_bytes()
    sftp.close()
    assert (instance.directory / "upper/opt/app/data.txt").read_bytes() == b"payload\n"
    assert not os.path.exists("/opt/app/data.txt")
    assert run(client, "cat /opt/app/data.txt")[1] == "payload\n"


def _openssh_args(instance: Booted, tmp_path: Path) -> list[str]:
    key = tmp_path / "id_rsa"
    key.write_text(instance.private_key)
    key.chmod(0o600)
    return [
        "-i",
        str(key),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "LogLevel=ERROR",
    ]


@pytest.mark.skipif(shutil.which("ssh") is None, reason="no OpenSSH client")
def test_openssh_client_runs_commands(instance: Booted, tmp_path: Path) -> None:
    port = str(instance.session.ssh.port)
    proc = subprocess.run(
        ["ssh", *_openssh_args(instance, tmp_path), "-p", port, "ec2-user@127.0.0.1", "id -u; exit 7"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (proc.returncode, proc.stdout) == (7, "0\n")


@pytest.mark.skipif(shutil.which("scp") is None, reason="no OpenSSH scp")
def test_openssh_scp_protocol_both_ways(instance: Booted, tmp_path: Path, client: Any) -> None:
    src = tmp_path / "tree"
    (src / "sub").mkdir(parents=True)
    (src / "top.txt").write_text("top\n")
    (src / "sub" / "deep.bin").write_bytes(os.urandom(300_000))
    port = str(instance.session.ssh.port)
    base = ["scp", "-O", *_openssh_args(instance, tmp_path), "-P", port]
    up = subprocess.run([*base, "-r", str(src), "ec2-user@127.0.0.1:/srv/"], capture_output=True, timeout=30)
    assert up.returncode == 0, up.stderr
    assert (instance.directory / "upper/srv/tree/sub/deep.bin").read_bytes() == (src / "sub/deep.bin").read_bytes()
    back = tmp_path / "back"
    down = subprocess.run([*base, "-r", "ec2-user@127.0.0.1:/srv/tree", str(back)], capture_output=True, timeout=30)
    assert down.returncode == 0, down.stderr
    assert (back / "top.txt").read_text() == "top\n"
    assert (back / "sub/deep.bin").read_bytes() == (src / "sub/deep.bin").read_bytes()
    missing = subprocess.run([*base, "ec2-user@127.0.0.1:/nope", str(back)], capture_output=True, timeout=30)
    assert missing.returncode != 0


def test_a_key_no_instance_was_launched_with_is_refused(session: LocalSession) -> None:
    import paramiko

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    with pytest.raises(paramiko.AuthenticationException):
        client.connect(
            session.ssh.host,
            port=session.ssh.port,
            username="ec2-user",
            pkey=paramiko.ECDSAKey.generate(),
            allow_agent=False,
            look_for_keys=False,
            timeout=10,
        )
    client.close()


def test_the_host_kernel_clock_and_network_are_out_of_reach(client: Any, instance: Booted) -> None:
    host_name = os.uname().nodename
    assert run(client, "hostname")[1] == f"{instance.instance_id}\n"
    for command in (
        "hostname evil",  # its own UTS namespace, and no CAP_SYS_ADMIN
        "mount -t tmpfs none /mnt",
        "mknod /root/disk b 8 0",
        "echo 1 > /proc/sys/kernel/sysrq",
        "ip link add dummy0 type dummy",
        "date -s 2000-01-01",
    ):
        status, _, _ = run(client, command)
        assert status != 0, command
    assert os.uname().nodename == host_name


PROBE = """
import socket, sys, time
from pathlib import Path
from packer_py.local.session import LocalSession
with LocalSession.start(Path(sys.argv[1])) as s:
    with socket.create_connection((s.ssh.host, s.ssh.port)):
        pass
    time.sleep(0.5)
"""


def test_a_port_probe_leaves_no_traceback(tmp_path: Path) -> None:
    """Packer probes the port before its handshake; paramiko would print that as a traceback on the terminal."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "sandbox")],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr and "banner" not in proc.stderr


def test_env_requests_reach_the_command(client: Any) -> None:
    _, out, _ = client.exec_command("echo $GREETING $SHELL", environment={"GREETING": "hello"})
    assert out.read().decode() == "hello /bin/bash\n"
