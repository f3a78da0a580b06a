"""RootFS keeps every file operation inside the instance's root, whatever symlinks the instance holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from packer_py.local.rootfs import RootFS


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "root", tmp_path / "outside"
    for d in (root / "etc", root / "usr" / "bin", root / "tmp", outside):
        d.mkdir(parents=True)
    (outside / "secret").write_text("host file\n")
    (root / "etc" / "hostname").write_text("instance\n")
    (root / "bin").symlink_to("usr/bin")
    (root / "etc" / "abs").symlink_to("/etc/hostname")  # absolute: must mean the instance's /etc/hostname
    (root / "escape").symlink_to(str(outside))  # absolute host path: must stay inside the root
    (root / "dotdot").symlink_to("../../../..")
    return root, outside


def test_absolute_symlink_resolves_inside_the_root(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    with RootFS(str(root)) as fs:
        fd = fs.open("/etc/abs", os.O_RDONLY)
        assert os.read(fd, 100) == b"instance\n"
        os.close(fd)


def test_symlink_to_a_host_path_cannot_reach_the_host(tree: tuple[Path, Path]) -> None:
    root, outside = tree
    with RootFS(str(root)) as fs:
        with pytest.raises(FileNotFoundError):
            fs.open("/escape/secret", os.O_RDONLY)
        with pytest.raises(FileNotFoundError):
            fs.open("/escape/new", os.O_WRONLY | os.O_CREAT)  # the parent resolves to <root>/<outside path>: absent
    assert sorted(os.listdir(outside)) == ["secret"]


def test_dotdot_stops_at_the_root(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    with RootFS(str(root)) as fs:
        assert fs.stat("/../../etc/hostname").st_size == len("instance\n")
        assert sorted(n for n, _ in fs.listdir("/dotdot")) == sorted(os.listdir(root))
        fd = fs.open("/dotdot/../created", os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    assert (root / "created").exists()


def test_create_write_rename_and_remove(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    with RootFS(str(root)) as fs:
        fs.makedirs("/var/www/html")
        fd = fs.open("/var/www/html/index.html", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, b"<p>hi</p>")
        os.close(fd)
        fs.chmod("/var/www/html/index.html", 0o600)
        assert fs.stat("/var/www/html/index.html").st_mode & 0o777 == 0o600
        fs.rename("/var/www/html/index.html", "/var/www/html/moved.html")
        fs.symlink("moved.html", "/var/www/html/link")
        assert fs.readlink("/var/www/html/link") == "moved.html"
        assert fs.lstat("/var/www/html/link").st_size == len("moved.html")
        assert fs.stat("/var/www/html/link").st_size == len("<p>hi</p>")
        fs.truncate("/var/www/html/moved.html", 2)
        assert (root / "var/www/html/moved.html").read_bytes() == b"<p"
        fs.unlink("/var/www/html/link")
        fs.unlink("/var/www/html/moved.html")
        fs.rmdir("/var/www/html")
    assert sorted(os.listdir(root / "var" / "www")) == []


def test_plain_rename_refuses_to_replace(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    (root / "tmp" / "a").write_text("a")
    (root / "tmp" / "b").write_text("b")
    with RootFS(str(root)) as fs:
        with pytest.raises(FileExistsError):
            fs.rename("/tmp/a", "/tmp/b", replace=False)
        fs.rename("/tmp/a", "/tmp/b")
    assert (root / "tmp" / "b").read_text() == "a"


def test_relative_paths_start_at_home(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    (root / "root").mkdir()
    with RootFS(str(root), home="/root") as fs:
        assert fs.absolute("x/../y") == "/root/y"
        assert fs.absolute("/a/./b/") == "/a/b"
        fd = fs.open("notes", os.O_WRONLY | os.O_CREAT)
        os.close(fd)
    assert (root / "root" / "notes").exists()


def test_symlink_loop_is_an_error(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    (root / "loop").symlink_to("loop")
    with RootFS(str(root)) as fs, pytest.raises(OSError) as info:
        fs.stat("/loop")
    assert info.value.errno == 40
