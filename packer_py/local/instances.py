"""Local instances: the sandboxes that stand for the EC2 instances moto launches.

An instance's disk is ``<sandbox>/instances/<instance-id>/upper`` (the overlay's upper layer over the host's ``/``);
its OS is a ``Namespace`` started at the first SSH login and stopped by ``StopInstances``, so a build's background
processes die when Packer stops the instance, as on EC2. ``CreateImage`` saves the upper layer as the new AMI's
layer; ``TerminateInstances`` (and the end of the session) deletes the instance's directory.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from packer_py.local.images import ImageStore
from packer_py.local.namespace import Namespace
from packer_py.local.rootfs import RootFS

if TYPE_CHECKING:
    import paramiko

    from packer_py.local.cloud import EmbeddedAws

log = logging.getLogger("packer_py.local.instances")


def _remove_tree(path: Path) -> None:
    """Remove ``path`` even where the overlay left a directory without permissions (its ``work/work``)."""

    def fix(func: object, p: str, exc: object) -> None:
        try:
            os.chmod(p, 0o700)
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p, ignore_errors=True)
            else:
                os.unlink(p)
        except OSError:
            pass

    if not path.exists():
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=fix)
    else:
        shutil.rmtree(path, onerror=fix)


OWNER = "owner.pid"
"""In an instance's directory: the pid of the packer-py process whose session runs it."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(directory: Path) -> list[str]:
    """Remove what a killed packer-py left in ``directory`` (instances and session shims of dead processes);
    returns the names removed. Another process's live session is left alone."""
    removed: list[str] = []
    for path in sorted((directory / "instances").glob("i-*")):
        try:
            pid = int((path / OWNER).read_text().strip())
        except (OSError, ValueError):
            pid = 0
        if not _alive(pid):
            _remove_tree(path)
            removed.append(path.name)
    for path in sorted((directory / "sessions").glob("*-*")):
        try:
            pid = int(path.name.split("-", 1)[0])
        except ValueError:
            continue
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


class LocalInstance:
    def __init__(self, instance_id: str, region: str, directory: Path, shims: Path, binds: list[str]) -> None:
        self.id = instance_id
        self.region = region
        self.directory = directory
        self._shims = shims
        self._binds = binds
        self._ns: Namespace | None = None
        self._lock = threading.Lock()

    @property
    def upper(self) -> Path:
        return self.directory / "upper"

    def ensure_running(self) -> Namespace:
        with self._lock:
            if self._ns is None or not self._ns.alive():
                self._ns = Namespace.start(
                    upper=self.upper,
                    work=self.directory / "work",
                    mountpoint=self.directory / "root",
                    shims=self._shims,
                    binds=self._binds,
                    hostname=self.id,
                )
            return self._ns

    def rootfs(self) -> RootFS:
        return RootFS(self.ensure_running().root)

    def shell(self) -> str:
        """The login shell, as sshd would pick it: bash where the image has it."""
        with self.rootfs() as fs:
            return "/bin/bash" if fs.exists("/bin/bash") else "/bin/sh"

    def stop(self) -> None:
        with self._lock:
            if self._ns is not None:
                self._ns.stop()
                self._ns = None

    def terminate(self) -> None:
        self.stop()
        _remove_tree(self.directory)


class InstanceManager:
    """Maps the embedded EC2's instances to sandboxes; implements ``CloudEvents`` and the SSH server's authorizer."""

    def __init__(self, directory: Path, cloud: EmbeddedAws, shims: Path, binds: list[str]) -> None:
        self.directory = directory
        self.cloud = cloud
        self.images = ImageStore(directory / "images")
        self._shims = shims
        self._binds = binds
        self._instances: dict[str, LocalInstance] = {}
        self._lock = threading.Lock()
        self.saved: list[str] = []
        """AMI ids whose layers this session saved, in order."""
        self.trusted_keys: dict[str, str] = {}
        """Public keys (base64) of ``ssh_private_key_file``s used without a key pair → their build's region: such a
        key logs in to the newest running instance there (on EC2 the AMI would carry it)."""

    def instance(self, instance_id: str, region: str) -> LocalInstance:
        with self._lock:
            inst = self._instances.get(instance_id)
            if inst is None:
                directory = self.directory / "instances" / instance_id
                directory.mkdir(parents=True, exist_ok=True)
                (directory / OWNER).write_text(f"{os.getpid()}\n")
                inst = LocalInstance(instance_id, region, directory, self._shims, self._binds)
                self._instances[instance_id] = inst
            return inst

    def authorize(self, username: str, key: paramiko.PKey) -> LocalInstance | None:
        blob = key.get_base64()
        found = self.cloud.instance_for_key(blob)
        if found is None and blob in self.trusted_keys:
            region = self.trusted_keys[blob]
            newest = self.cloud.newest_instance(region)
            found = (region, newest) if newest is not None else None
        if found is None:
            log.info("no running local instance has the key %s offered by %s", key.get_fingerprint().hex(), username)
            return None
        region, instance_id = found
        return self.instance(instance_id, region)

    # -- CloudEvents ----------------------------------------------------------------------------------------------
    def instances_stopped(self, region: str, instance_ids: list[str]) -> None:
        for iid in instance_ids:
            inst = self._instances.get(iid)
            if inst is not None:
                inst.stop()

    def instances_terminated(self, region: str, instance_ids: list[str]) -> None:
        for iid in instance_ids:
            with self._lock:
                inst = self._instances.pop(iid, None)
            if inst is not None:
                inst.terminate()

    def image_created(self, region: str, instance_id: str, image_id: str, name: str) -> None:
        inst = self.instance(instance_id, region)
        inst.upper.mkdir(parents=True, exist_ok=True)  # an instance nobody logged in to has an empty layer
        self.images.save(upper=inst.upper, image_id=image_id, region=region, name=name, instance_id=instance_id)
        self.saved.append(image_id)

    def image_copied(self, region: str, source_region: str, source_id: str, image_id: str, name: str) -> None:
        if self.images.copy(
            source_id=source_id, source_region=source_region, image_id=image_id, region=region, name=name
        ):
            self.saved.append(image_id)

    def close(self) -> None:
        """The end of the session: every instance's OS stops and its sandbox goes (moto's state goes too)."""
        with self._lock:
            instances, self._instances = list(self._instances.values()), {}
        for inst in instances:
            inst.terminate()
        instances_dir = self.directory / "instances"
        if instances_dir.is_dir() and not any(instances_dir.iterdir()):
            instances_dir.rmdir()
