"""A local AMI's content: the instance's overlay upper layer, kept as a tarball beside the image's record.

When the embedded EC2 registers an image (``CreateImage``), the instance's upper layer is exactly what the build
changed on top of the host's ``/``. It is saved as ``<sandbox>/images/<ami-id>.tar.gz`` (overlay whiteouts kept as
the 0/0 character devices the kernel uses, opaque directories as ``SCHILY.xattr`` PAX records, as GNU tar writes
them) with ``<ami-id>.json`` beside it: the image's region, name, source instance, and the list of changes worked out
against the host at that moment (added, changed, deleted), which ``packer-py local diff`` prints like
``docker diff`` does. The AMI itself lives only in the embedded EC2 (in memory); these files outlive the build.
"""

from __future__ import annotations

import json
import os
import stat
import tarfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from packer_py.local.namespace import LocalModeError

_OPAQUE_XATTRS = ("trusted.overlay.opaque", "user.overlay.opaque")


@dataclass(frozen=True, order=True)
class Change:
    """One path the build changed. ``kind`` is ``added``, ``changed`` or ``deleted``; ``type`` what the path is."""

    path: str
    kind: str
    type: str

    @property
    def letter(self) -> str:
        return {"added": "A", "changed": "C", "deleted": "D"}[self.kind]


@dataclass(frozen=True)
class ImageRecord:
    image_id: str
    region: str
    name: str
    instance_id: str
    created: str
    layer: str
    """The tarball's file name, beside this record."""
    changes: tuple[Change, ...] = field(default_factory=tuple)
    copied_from: str = ""
    """``REGION:ami-...`` when this image is a ``CopyImage`` of another local image (same layer)."""

    def to_json(self) -> str:
        data = asdict(self)
        data["changes"] = [asdict(c) for c in self.changes]
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ImageRecord:
        data = json.loads(text)
        data["changes"] = tuple(Change(**c) for c in data.get("changes", []))
        return cls(**data)


def _kind_of(st: os.stat_result) -> str:
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if stat.S_ISLNK(st.st_mode):
        return "symlink"
    if stat.S_ISREG(st.st_mode):
        return "file"
    return "other"


def _is_whiteout(st: os.stat_result) -> bool:
    return stat.S_ISCHR(st.st_mode) and st.st_rdev == 0


def _opaque(path: str) -> bool:
    for name in _OPAQUE_XATTRS:
        try:
            if os.getxattr(path, name, follow_symlinks=False) == b"y":
                return True
        except OSError:
            continue
    return False


def changes_of(upper: Path, lower: Path = Path("/")) -> list[Change]:
    """What ``upper`` changes on top of ``lower``, path by path (directories only when new or replaced)."""
    out: list[Change] = []

    def lower_stat(rel: str) -> os.stat_result | None:
        try:
            return os.lstat(str(lower) + rel)
        except OSError:
            return None

    def walk(dir_path: str, rel_dir: str, new: bool) -> None:
        try:
            names = sorted(os.listdir(dir_path))
        except OSError:
            return
        for name in names:
            full, rel = os.path.join(dir_path, name), f"{rel_dir}/{name}"
            st = os.lstat(full)
            below = None if new else lower_stat(rel)
            if _is_whiteout(st):
                out.append(Change(rel, "deleted", _kind_of(below) if below else "other"))
                continue
            if stat.S_ISDIR(st.st_mode):
                if below is None or not stat.S_ISDIR(below.st_mode):
                    out.append(Change(rel, "added" if below is None else "changed", "dir"))
                    walk(full, rel, True)
                elif _opaque(full):
                    out.append(Change(rel, "changed", "dir"))
                    walk(full, rel, True)
                else:
                    walk(full, rel, False)
                continue
            out.append(Change(rel, "added" if below is None else "changed", _kind_of(st)))

    walk(str(upper), "", False)
    return out


def _tarinfo(tf: tarfile.TarFile, path: str, arcname: str) -> tarfile.TarInfo:
    info = tf.gettarinfo(path, arcname)
    if info.isdir():
        for name in _OPAQUE_XATTRS:
            try:
                value = os.getxattr(path, name, follow_symlinks=False)
            except OSError:
                continue
            info.pax_headers = {**info.pax_headers, f"SCHILY.xattr.{name}": value.decode(errors="replace")}
    return info


def write_layer(upper: Path, tarball: Path) -> None:
    """``upper`` as a gzipped PAX tarball, paths relative to ``/`` (``./etc/x``), written atomically."""
    tmp = tarball.with_name(tarball.name + ".part")
    with tarfile.open(tmp, "w:gz", format=tarfile.PAX_FORMAT, compresslevel=6) as tf:
        for dir_path, dirs, files in os.walk(upper):
            dirs.sort()
            rel_dir = os.path.relpath(dir_path, upper)
            for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(dir_path, d))]:
                full = os.path.join(dir_path, name)
                info = _tarinfo(tf, full, os.path.normpath(os.path.join(rel_dir, name)))
                if info.isreg():
                    with open(full, "rb") as f:
                        tf.addfile(info, f)
                else:
                    tf.addfile(info)
            for name in dirs:
                full = os.path.join(dir_path, name)
                if not os.path.islink(full):
                    tf.addfile(_tarinfo(tf, full, os.path.normpath(os.path.join(rel_dir, name))))
            dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(dir_path, d))]
    os.replace(tmp, tarball)


class ImageStore:
    """The ``images/`` directory of a sandbox."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _record_path(self, image_id: str) -> Path:
        return self.directory / f"{image_id}.json"

    def save(self, *, upper: Path, image_id: str, region: str, name: str, instance_id: str) -> ImageRecord:
        self.directory.mkdir(parents=True, exist_ok=True)
        layer = f"{image_id}.tar.gz"
        write_layer(upper, self.directory / layer)
        record = ImageRecord(
            image_id=image_id,
            region=region,
            name=name,
            instance_id=instance_id,
            created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            layer=layer,
            changes=tuple(changes_of(upper)),
        )
        self._write(record)
        return record

    def copy(self, *, source_id: str, source_region: str, image_id: str, region: str, name: str) -> ImageRecord | None:
        """A ``CopyImage`` of a local image: the same layer under the new id (a hard link when possible)."""
        try:
            source = self.get(source_id)
        except LocalModeError:
            return None
        layer = f"{image_id}.tar.gz"
        src, dst = self.directory / source.layer, self.directory / layer
        try:
            os.link(src, dst)
        except OSError:
            import shutil

            shutil.copyfile(src, dst)
        record = ImageRecord(
            image_id=image_id,
            region=region,
            name=name or source.name,
            instance_id=source.instance_id,
            created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            layer=layer,
            changes=source.changes,
            copied_from=f"{source_region}:{source_id}",
        )
        self._write(record)
        return record

    def _write(self, record: ImageRecord) -> None:
        path = self._record_path(record.image_id)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(record.to_json())
        os.replace(tmp, path)

    def get(self, image_id: str) -> ImageRecord:
        path = self._record_path(image_id)
        try:
            return ImageRecord.from_json(path.read_text())
        except FileNotFoundError:
            raise LocalModeError(f"no local image {image_id} in {self.directory}") from None

    def all(self) -> list[ImageRecord]:
        if not self.directory.is_dir():
            return []
        records = [ImageRecord.from_json(p.read_text()) for p in self.directory.glob("ami-*.json")]
        return sorted(records, key=lambda r: (r.created, r.image_id))

    def layer_path(self, image_id: str) -> Path:
        return self.directory / self.get(image_id).layer

    def read_file(self, image_id: str, path: str) -> bytes:
        """The content of ``path`` as the image's layer holds it (only files the build wrote are in the layer)."""
        member = path.lstrip("/")
        with tarfile.open(self.layer_path(image_id), "r:gz") as tf:
            try:
                info = tf.getmember(member)
            except KeyError:
                raise LocalModeError(f"{path} is not in the layer of {image_id} (the build did not write it)") from None
            f = tf.extractfile(info)
            if f is None:
                raise LocalModeError(f"{path} in {image_id} is not a regular file")
            return f.read()
