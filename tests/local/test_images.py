"""Image layers: the change list worked out against the lower layer, the tarball, the records."""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest

from packer_py.local.images import Change, ImageStore, changes_of, write_layer
from packer_py.local.namespace import LocalModeError


def _whiteout(path: Path) -> None:
    try:
        os.mknod(path, 0o600 | 0o020000, os.makedev(0, 0))
    except PermissionError:
        pytest.skip("creating an overlay whiteout (a 0/0 character device) needs root")


@pytest.fixture
def layers(tmp_path: Path) -> tuple[Path, Path]:
    lower, upper = tmp_path / "lower", tmp_path / "upper"
    (lower / "etc").mkdir(parents=True)
    (lower / "etc" / "motd").write_text("hello\n")
    (lower / "etc" / "hostname").write_text("host\n")
    (lower / "opt" / "old").mkdir(parents=True)
    (lower / "opt" / "old" / "f").write_text("x")
    (upper / "etc").mkdir(parents=True)
    (upper / "etc" / "motd").write_text("changed\n")  # copied up and changed
    (upper / "var" / "www" / "html").mkdir(parents=True)
    (upper / "var" / "www" / "html" / "index.html").write_text("<p>hi</p>\n")
    (upper / "etc" / "link").symlink_to("motd")
    _whiteout(upper / "etc" / "hostname")
    (upper / "opt" / "old").mkdir(parents=True)
    os.setxattr(upper / "opt" / "old", "trusted.overlay.opaque", b"y")
    (upper / "opt" / "old" / "g").write_text("new")
    return lower, upper


def test_changes_against_the_lower_layer(layers: tuple[Path, Path]) -> None:
    lower, upper = layers
    assert changes_of(upper, lower) == [
        Change("/etc/hostname", "deleted", "file"),
        Change("/etc/link", "added", "symlink"),
        Change("/etc/motd", "changed", "file"),
        Change("/opt/old", "changed", "dir"),
        Change("/opt/old/g", "added", "file"),
        Change("/var", "added", "dir"),
        Change("/var/www", "added", "dir"),
        Change("/var/www/html", "added", "dir"),
        Change("/var/www/html/index.html", "added", "file"),
    ]
    assert [c.letter for c in changes_of(upper, lower)][:3] == ["D", "A", "C"]


def test_layer_tarball_keeps_whiteouts_and_opaque_directories(layers: tuple[Path, Path], tmp_path: Path) -> None:
    _, upper = layers
    tarball = tmp_path / "layer.tar.gz"
    write_layer(upper, tarball)
    with tarfile.open(tarball) as tf:
        members = {m.name: m for m in tf.getmembers()}
        assert members["etc/hostname"].ischr() and (
            members["etc/hostname"].devmajor,
            members["etc/hostname"].devminor,
        ) == (0, 0)
        assert members["opt/old"].pax_headers["SCHILY.xattr.trusted.overlay.opaque"] == "y"
        assert members["etc/link"].issym() and members["etc/link"].linkname == "motd"
        f = tf.extractfile(members["var/www/html/index.html"])
        assert f is not None and f.read() == b"<p>hi</p>\n"
    assert not list(tmp_path.glob("*.part"))


def test_store_saves_copies_and_reads(layers: tuple[Path, Path], tmp_path: Path) -> None:
    _, upper = layers
    store = ImageStore(tmp_path / "images")
    rec = store.save(
        upper=upper, image_id="ami-0123456789abcdef0", region="eu-west-1", name="httpd 1", instance_id="i-1"
    )
    assert (store.directory / "ami-0123456789abcdef0.tar.gz").is_file()
    assert store.get("ami-0123456789abcdef0") == rec
    assert store.read_file("ami-0123456789abcdef0", "/var/www/html/index.html") == b"<p>hi</p>\n"
    with pytest.raises(LocalModeError, match="did not write it"):
        store.read_file("ami-0123456789abcdef0", "/etc/passwd")
    copy = store.copy(
        source_id=rec.image_id, source_region="eu-west-1", image_id="ami-0fedcba9876543210", region="us-east-1", name=""
    )
    assert copy is not None and copy.copied_from == "eu-west-1:ami-0123456789abcdef0" and copy.changes == rec.changes
    assert copy.name == "httpd 1"
    assert [r.image_id for r in store.all()] == ["ami-0123456789abcdef0", "ami-0fedcba9876543210"]
    with pytest.raises(LocalModeError, match="no local image ami-nope"):
        store.get("ami-nope")
    assert store.copy(source_id="ami-nope", source_region="x", image_id="ami-2", region="y", name="") is None
