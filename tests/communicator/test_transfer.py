"""File and directory transfers over both methods (scp, sftp) against a real sshd.

The sshd runs on this machine as the test user, so a "remote" path is a local path the test can inspect.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from packer_py.communicator import SSHCommunicator, TransferError
from tests.communicator.conftest import MakeComm

METHODS = ["scp", "sftp"]


@pytest.fixture(params=METHODS)
def comm(request: pytest.FixtureRequest, make_comm: MakeComm) -> SSHCommunicator:
    return make_comm(ssh_file_transfer_method=request.param)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _tree(root: Path) -> dict[str, str]:
    """Relative path -> content (files) or "<dir>"."""
    found = {}
    for path in sorted(root.rglob("*")):
        found[path.relative_to(root).as_posix()] = "<dir>" if path.is_dir() else path.read_text()
    return found


@pytest.fixture
def source_tree(tmp_path: Path) -> Path:
    """site/ index.html, bin/run.sh (0755), conf/deep/app.conf."""
    site = tmp_path / "local" / "site"
    (site / "bin").mkdir(parents=True)
    (site / "conf" / "deep").mkdir(parents=True)
    (site / "index.html").write_text("<h1>hi</h1>")
    (site / "bin" / "run.sh").write_text("#!/bin/sh\necho run\n")
    (site / "bin" / "run.sh").chmod(0o755)
    (site / "conf" / "deep" / "app.conf").write_text("key=value\n")
    return site


SITE = {
    "bin": "<dir>",
    "bin/run.sh": "#!/bin/sh\necho run\n",
    "conf": "<dir>",
    "conf/deep": "<dir>",
    "conf/deep/app.conf": "key=value\n",
    "index.html": "<h1>hi</h1>",
}


# -- files ---------------------------------------------------------------------------------------------------------


def test_put_file_keeps_its_permissions(comm: SSHCommunicator, tmp_path: Path) -> None:
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o750)
    remote = tmp_path / "remote.sh"
    comm.put(script, str(remote))
    assert remote.read_text() == "#!/bin/sh\n"
    assert _mode(remote) == 0o750


def test_put_with_an_explicit_mode(comm: SSHCommunicator, tmp_path: Path) -> None:
    remote = tmp_path / "secret"
    comm.put(io.BytesIO(b"s3cret"), str(remote), mode=0o600)
    assert remote.read_bytes() == b"s3cret"
    assert _mode(remote) == 0o600


def test_put_from_a_stream_that_cannot_seek(comm: SSHCommunicator, tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"piped data\n" * 1000)
    os.close(write_end)
    remote = tmp_path / "piped"
    with os.fdopen(read_end, "rb") as stream:
        comm.put(stream, str(remote))
    assert remote.read_bytes() == b"piped data\n" * 1000


def test_put_and_get_a_binary_file_intact(comm: SSHCommunicator, tmp_path: Path) -> None:
    payload = os.urandom(3 << 20)
    local = tmp_path / "payload.bin"
    local.write_bytes(payload)
    remote = tmp_path / "remote.bin"
    comm.put(local, str(remote))
    assert remote.read_bytes() == payload
    back = tmp_path / "back.bin"
    comm.get(str(remote), back)
    assert back.read_bytes() == payload
    stream = io.BytesIO()
    comm.get(str(remote), stream)
    assert stream.getvalue() == payload


def test_put_replaces_an_existing_file(comm: SSHCommunicator, tmp_path: Path) -> None:
    remote = tmp_path / "existing"
    remote.write_text("old content that is longer")
    comm.put(io.BytesIO(b"new"), str(remote))
    assert remote.read_text() == "new"


def test_empty_file(comm: SSHCommunicator, tmp_path: Path) -> None:
    remote = tmp_path / "empty"
    comm.put(io.BytesIO(b""), str(remote))
    assert remote.read_bytes() == b""
    stream = io.BytesIO(b"x")
    stream.seek(1)
    comm.get(str(remote), stream)
    assert stream.getvalue() == b"x"


def test_put_into_a_missing_directory(comm: SSHCommunicator, tmp_path: Path) -> None:
    with pytest.raises(TransferError, match="No such file"):
        comm.put(io.BytesIO(b"x"), str(tmp_path / "missing" / "file"))


def test_scp_error_is_scps_own_words(make_comm: MakeComm, tmp_path: Path) -> None:
    comm = make_comm(ssh_file_transfer_method="scp")
    with pytest.raises(TransferError, match=rf"^scp: {tmp_path}/missing: No such file or directory$"):
        comm.put(io.BytesIO(b"x"), str(tmp_path / "missing" / "file"))
    with pytest.raises(TransferError, match=rf"^scp: {tmp_path}/nope: No such file or directory$"):
        comm.get(str(tmp_path / "nope"), io.BytesIO())


def test_get_a_missing_file(comm: SSHCommunicator, tmp_path: Path) -> None:
    with pytest.raises(TransferError):
        comm.get(str(tmp_path / "nope"), io.BytesIO())
    assert comm.connected, "a refused transfer leaves the connection usable"


def test_missing_local_file_is_a_transfer_error(comm: SSHCommunicator, tmp_path: Path) -> None:
    with pytest.raises(TransferError, match=r"^open .*/absent: no such file or directory$"):
        comm.put(tmp_path / "absent", str(tmp_path / "x"))


def test_tilde_means_the_login_home(comm: SSHCommunicator) -> None:
    name = f"packer-py-test-{os.getpid()}-{comm.config.ssh_file_transfer_method}"
    home = Path(os.path.expanduser("~"))
    try:
        comm.put(io.BytesIO(b"home"), f"~/{name}")
        assert (home / name).read_bytes() == b"home"
        stream = io.BytesIO()
        comm.get(f"~/{name}", stream)
        assert stream.getvalue() == b"home"
    finally:
        (home / name).unlink(missing_ok=True)


def test_paths_with_spaces_and_quotes(comm: SSHCommunicator, tmp_path: Path) -> None:
    directory = tmp_path / "a dir 'with' $x"
    directory.mkdir()
    comm.put(io.BytesIO(b"odd"), str(directory / "file name"))
    assert (directory / "file name").read_bytes() == b"odd"


# -- directories ---------------------------------------------------------------------------------------------------


def test_put_dir_without_trailing_slash_creates_the_directory(
    comm: SSHCommunicator, source_tree: Path, tmp_path: Path
) -> None:
    """Packer: source ``site`` to ``/dest`` gives ``/dest/site/...``."""
    dest = tmp_path / "dest"
    dest.mkdir()
    comm.put_dir(source_tree, str(dest), contents_only=False)
    assert _tree(dest) == {"site": "<dir>", **{f"site/{k}": v for k, v in SITE.items()}}
    assert _mode(dest / "site" / "bin" / "run.sh") == 0o755
    assert _mode(dest / "site" / "index.html") == 0o644


def test_put_dir_with_trailing_slash_uploads_the_contents(
    comm: SSHCommunicator, source_tree: Path, tmp_path: Path
) -> None:
    """Packer: source ``site/`` to ``/dest`` gives ``/dest/index.html``, ...; ``dest`` keeps its own mode."""
    dest = tmp_path / "dest"
    dest.mkdir(mode=0o700)
    comm.put_dir(source_tree, str(dest), contents_only=True)
    assert _tree(dest) == SITE
    assert _mode(dest) == 0o700
    assert _mode(dest / "bin" / "run.sh") == 0o755


def test_put_dir_contents_into_a_missing_directory_fails(
    comm: SSHCommunicator, source_tree: Path, tmp_path: Path
) -> None:
    with pytest.raises(TransferError, match="No such file"):
        comm.put_dir(source_tree, str(tmp_path / "missing"), contents_only=True)


def test_put_dir_merges_into_an_existing_tree(comm: SSHCommunicator, source_tree: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    (dest / "bin").mkdir(parents=True)
    (dest / "bin" / "keep.sh").write_text("kept")
    comm.put_dir(source_tree, str(dest), contents_only=True)
    assert (dest / "bin" / "keep.sh").read_text() == "kept"
    assert (dest / "bin" / "run.sh").exists()


def test_put_dir_follows_symlinks(comm: SSHCommunicator, source_tree: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("linked")
    (source_tree / "link.txt").symlink_to(tmp_path / "outside.txt")
    dest = tmp_path / "dest"
    dest.mkdir()
    comm.put_dir(source_tree, str(dest), contents_only=True)
    assert not (dest / "link.txt").is_symlink()
    assert (dest / "link.txt").read_text() == "linked"


def test_put_dir_of_many_small_files(comm: SSHCommunicator, tmp_path: Path) -> None:
    src = tmp_path / "many"
    for group in range(20):
        (src / f"g{group}").mkdir(parents=True)
        for index in range(50):
            (src / f"g{group}" / f"f{index}.txt").write_text(f"{group}-{index}")
    dest = tmp_path / "dest"
    dest.mkdir()
    comm.put_dir(src, str(dest), contents_only=False)
    assert (dest / "many" / "g19" / "f49.txt").read_text() == "19-49"
    assert len(list((dest / "many").rglob("*.txt"))) == 1000


def test_get_dir(comm: SSHCommunicator, source_tree: Path, tmp_path: Path) -> None:
    dest = tmp_path / "downloaded" / "here"
    comm.get_dir(str(source_tree), dest)
    assert _tree(dest) == SITE
    assert _mode(dest / "bin" / "run.sh") == 0o755


def test_get_dir_of_a_missing_directory(comm: SSHCommunicator, tmp_path: Path) -> None:
    with pytest.raises(TransferError):
        comm.get_dir(str(tmp_path / "absent"), tmp_path / "dest")
