"""The ansible provisioner's proxy (``packer_py.communicator.adapter``) driven by the real OpenSSH client, as Ansible
drives it: sessions run on the instance (the harness sshd) with stdin, stdout, stderr and exit status relayed; only
the configured user with the one authorized key gets in; the sftp subsystem reaches the instance; the host key is
one current clients accept."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from packer_py.communicator import SSHCommunicator
from packer_py.communicator.adapter import (
    AdapterError,
    SSHAdapter,
    generate_user_key,
    host_keys,
    listen,
    read_authorized_key,
)


@pytest.fixture
def proxy(comm: SSHCommunicator, tmp_path: Path) -> Iterator[dict[str, Any]]:
    user_key, pem = generate_user_key()
    key_file = tmp_path / "ansible-key"
    key_file.write_bytes(pem)
    key_file.chmod(0o600)
    errors: list[str] = []
    adapter = SSHAdapter(
        comm,
        listen(0, errors.append),
        user="ansible",
        user_key=user_key,
        host_keys=host_keys("", ""),
        on_error=errors.append,
    )
    adapter.serve()
    try:
        yield {"adapter": adapter, "key": key_file, "errors": errors}
    finally:
        adapter.shutdown()


def ssh(proxy: dict[str, Any], *args: str, user: str = "ansible", stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "ssh",
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-i",
            str(proxy["key"]),
            "-p",
            str(proxy["adapter"].port),
            f"{user}@127.0.0.1",
            *args,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_a_session_runs_on_the_instance_with_its_streams_and_status(proxy: dict[str, Any], sshd: Any) -> None:
    proc = ssh(proxy, "tr a-z A-Z; echo to-stderr >&2; echo $SSH_CONNECTION | cut -d' ' -f4; exit 3", stdin="hi\n")
    assert proc.returncode == 3
    assert proc.stdout == f"HI\n{sshd.port}\n"  # the command ran behind the instance's sshd
    assert "to-stderr\n" in proc.stderr


def test_only_the_user_with_the_authorized_key_gets_in(proxy: dict[str, Any], tmp_path: Path) -> None:
    assert ssh(proxy, "true", user="someone-else").returncode == 255
    _other, pem = generate_user_key()
    proxy["key"].write_bytes(pem)
    assert ssh(proxy, "true").returncode == 255


def test_sftp_reaches_the_instance(proxy: dict[str, Any], tmp_path: Path) -> None:
    source = tmp_path / "up.txt"
    source.write_text("uploaded through the proxy\n")
    target = tmp_path / "landed.txt"
    batch = subprocess.run(
        [
            "sftp",
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-i",
            str(proxy["key"]),
            "-P",
            str(proxy["adapter"].port),
            "-b",
            "-",
            "ansible@127.0.0.1",
        ],
        input=f"put {source} {target}\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert batch.returncode == 0, batch.stderr
    assert target.read_text() == "uploaded through the proxy\n"  # the harness's instance is this machine


def test_the_host_key_is_one_current_clients_accept(proxy: dict[str, Any]) -> None:
    scan = subprocess.run(
        ["ssh-keyscan", "-p", str(proxy["adapter"].port), "127.0.0.1"], capture_output=True, text=True, timeout=30
    )
    types = {line.split()[1] for line in scan.stdout.splitlines() if line and not line.startswith("#")}
    assert types == {"ecdsa-sha2-nistp256"}
    assert [k.get_name() for k in host_keys("", "RSA")] == ["ssh-rsa"]  # the key type; signed with rsa-sha2-*


def test_listen_tries_the_next_ports_and_says_why(tmp_path: Path) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    said: list[str] = []
    try:
        sock = listen(port, said.append)
    except AdapterError:  # the next nine ports happened to be taken too
        pytest.skip("no free port after the busy one")
    with sock:
        assert sock.getsockname()[1] > port
    assert said[0] == f"listen tcp 127.0.0.1:{port}: bind: address already in use"
    busy.close()


def test_authorized_key_files_are_read_as_packer_reads_them(tmp_path: Path) -> None:
    key, _pem = generate_user_key()
    good = tmp_path / "key.pub"
    good.write_text(f"# a comment\n{key.get_name()} {key.get_base64()} me@host\n")
    assert read_authorized_key(str(good)).asbytes() == key.asbytes()
    bad = tmp_path / "bad.pub"
    bad.write_text("not a key\n")
    with pytest.raises(AdapterError, match="^Failed to parse authorized key$"):
        read_authorized_key(str(bad))
    with pytest.raises(AdapterError, match="^Failed to read public key$"):
        read_authorized_key(str(tmp_path / "missing.pub"))
    with pytest.raises(AdapterError, match="^error creating host signer: Failed to parse private host key$"):
        host_keys(str(bad), "")
