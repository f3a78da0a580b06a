"""The scp server side (``scp -t`` sink, ``scp -f`` source) against a scripted client."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from packer_py.local import scp
from packer_py.local.rootfs import RootFS


class FakeChannel:
    """What the client sends, served in small pieces, and everything the server sent back."""

    def __init__(self, incoming: bytes, piece: int = 7) -> None:
        self.incoming = incoming
        self.piece = piece
        self.sent = b""

    def recv(self, n: int) -> bytes:
        data, self.incoming = self.incoming[: min(n, self.piece)], self.incoming[min(n, self.piece) :]
        return data

    def sendall(self, data: bytes) -> None:
        self.sent += data


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("scp -vt /tmp", scp.ScpCommand(True, ("/tmp",), False, False, False)),
        ("scp -t -- '/tmp/a b'", scp.ScpCommand(True, ("/tmp/a b",), False, False, False)),
        ("scp -rpf /etc", scp.ScpCommand(False, ("/etc",), True, True, False)),
        ("/usr/bin/scp -d -t /x", scp.ScpCommand(True, ("/x",), False, False, True)),
    ],
)
def test_parse_scp_server_commands(command: str, expected: scp.ScpCommand) -> None:
    assert scp.parse(command) == expected


@pytest.mark.parametrize("command", ["scp a b", "echo scp -t /tmp", "scp -t", "scp -tf /x", "scp 'unterminated"])
def test_other_commands_are_not_scp_servers(command: str) -> None:
    assert scp.parse(command) is None


def test_sink_writes_files_and_directories(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    data = b"#!/bin/sh\necho hi\n"
    stream = (
        b"C0755 %d script.sh\n" % len(data)
        + data
        + b"\0"
        + b"T1600000000 0 1600000001 0\nD0750 0 conf\nC0600 3 a.conf\nabc\0E\n"
    )
    chan = FakeChannel(stream)
    with RootFS(str(tmp_path)) as fs:
        assert scp.serve(scp.parse("scp -vt /tmp"), chan, fs) == 0  # type: ignore[arg-type]
    assert (tmp_path / "tmp/script.sh").read_bytes() == data
    assert os.stat(tmp_path / "tmp/script.sh").st_mode & 0o777 == 0o755
    assert (tmp_path / "tmp/conf/a.conf").read_bytes() == b"abc"
    assert os.stat(tmp_path / "tmp/conf").st_mtime == 1600000000
    assert chan.sent == b"\0" * 8  # ready + one ack per message and per file's data


def test_sink_to_a_file_path_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    chan = FakeChannel(b"C0644 2 ignored-name\nok\0")
    with RootFS(str(tmp_path)) as fs:
        assert scp.serve(scp.parse("scp -t /etc/motd"), chan, fs) == 0  # type: ignore[arg-type]
    assert (tmp_path / "etc/motd").read_bytes() == b"ok"


def test_sink_rejects_names_with_slashes(tmp_path: Path) -> None:
    chan = FakeChannel(b"C0644 2 ../evil\nok\0")
    with RootFS(str(tmp_path)) as fs:
        assert scp.serve(scp.parse("scp -t /"), chan, fs) == 1  # type: ignore[arg-type]
    assert chan.sent.startswith(b"\0\x02scp: ")
    assert not (tmp_path.parent / "evil").exists()


def test_source_sends_a_directory_recursively(tmp_path: Path) -> None:
    (tmp_path / "var/log/app").mkdir(parents=True)
    (tmp_path / "var/log/app/one.log").write_bytes(b"1\n")
    (tmp_path / "var/log/app/two.log").write_bytes(b"22\n")
    os.chmod(tmp_path / "var/log/app", 0o755)
    os.chmod(tmp_path / "var/log/app/one.log", 0o644)
    os.chmod(tmp_path / "var/log/app/two.log", 0o640)
    chan = FakeChannel(b"\0" * 20)
    with RootFS(str(tmp_path)) as fs:
        assert scp.serve(scp.parse("scp -rf /var/log/app"), chan, fs) == 0  # type: ignore[arg-type]
    assert chan.sent == b"D0755 0 app\nC0644 2 one.log\n1\n\0C0640 3 two.log\n22\n\0E\n"


def test_source_of_a_missing_file_is_a_fatal_error(tmp_path: Path) -> None:
    chan = FakeChannel(b"\0")
    with RootFS(str(tmp_path)) as fs:
        assert scp.serve(scp.parse("scp -f /nope"), chan, fs) == 1  # type: ignore[arg-type]
    assert chan.sent.startswith(b"\x02scp: ")
