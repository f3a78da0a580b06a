"""One local-mode session: the embedded AWS endpoint, the instance SSH server and the sandbox, started together.

A session is what ``packer-py build -local`` runs a build inside. The builder is pointed at it through options a
template may set anyway (``custom_endpoint_ec2``, ``ssh_host``, ``ssh_port``) and dummy credentials in the
environment; nothing else about the build changes, so its steps are the same ones that run against AWS.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packer_py.local.cloud import ACCESS_KEY, SECRET_KEY, EmbeddedAws, SourceImage
from packer_py.local.namespace import SHIMS_MOUNT, Isolation, host_binds, probe

if TYPE_CHECKING:
    from packer_py.local.instances import InstanceManager
    from packer_py.local.sshd import LocalSshServer

SHIM_NAMES = (
    "sudo",
    "yum",
    "dnf",
    "rpm",
    "apt-get",
    "apt",
    "amazon-linux-extras",
    "systemctl",
    "service",
    "chkconfig",
)
_SHIMS_SRC = Path(__file__).with_name("shims")
_S3_URI = re.compile(r"s3://([a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])/([^\s'\"`;|&<>(){}$\\]+)")


def local_dir(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Path:
    """The sandbox: ``$PACKER_PY_LOCAL_DIR``, else ``./.packer-py/local`` (absolute, so namespaces can mount it)."""
    env = os.environ if environ is None else environ
    base = Path(env["PACKER_PY_LOCAL_DIR"]) if env.get("PACKER_PY_LOCAL_DIR") else Path(".packer-py") / "local"
    return (cwd or Path.cwd()) / base if not base.is_absolute() else base


def s3_references(texts: Iterable[str]) -> list[tuple[str, str]]:
    """``(bucket, key)`` of every literal ``s3://bucket/key`` in ``texts`` (commands a provisioner will run)."""
    found: list[tuple[str, str]] = []
    for text in texts:
        for m in _S3_URI.finditer(text):
            ref = (m.group(1), m.group(2))
            if not ref[1].endswith("/") and ref not in found:
                found.append(ref)
    return found


def source_image_of(config: Mapping[str, Any]) -> SourceImage | None:
    """The source image an amazon-ebs config needs, from ``source_ami`` or ``source_ami_filter``."""
    region = str(config.get("region") or "")
    if not region:
        return None
    ami = config.get("source_ami")
    if isinstance(ami, str) and ami:
        return SourceImage(region=region, image_id=ami)
    flt = config.get("source_ami_filter")
    if not isinstance(flt, Mapping):
        return None
    filters = flt.get("filters") if isinstance(flt.get("filters"), Mapping) else {}
    assert isinstance(filters, Mapping)
    owners = flt.get("owners") or []
    if not filters and not owners:
        return None
    name = str(filters.get("name", "packer-py-local-*"))
    arch = str(filters.get("architecture", "x86_64"))
    return SourceImage(
        region=region,
        name=name.replace("*", "local").replace("?", "x"),
        owner=str(owners[0]) if isinstance(owners, list) and owners else "",
        architecture=arch if "*" not in arch else "x86_64",
    )


@dataclass
class LocalSession:
    """The running pieces of local mode. Use as a context manager; ``close()`` leaves only ``images/`` behind."""

    directory: Path
    isolation: Isolation
    cloud: EmbeddedAws
    instances: InstanceManager
    ssh: LocalSshServer
    session_dir: Path
    notes: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, directory: Path | None = None) -> LocalSession:
        from packer_py.local.instances import InstanceManager, sweep_stale
        from packer_py.local.sshd import LocalSshServer, load_host_key

        isolation = probe()  # before anything starts: no namespaces means no local mode
        directory = (directory or local_dir()).absolute()
        directory.mkdir(parents=True, exist_ok=True)
        swept = sweep_stale(directory)
        session_dir = directory / "sessions" / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        cloud = EmbeddedAws()
        cloud.start()
        try:
            shims = write_shims(session_dir / "shims", cloud.endpoint)
            instances = InstanceManager(directory, cloud, shims, interpreter_binds())
            cloud.events = instances
            ssh = LocalSshServer(instances.authorize, load_host_key(directory / "ssh_host_ecdsa_key"), {})
        except BaseException:
            cloud.close()
            shutil.rmtree(session_dir, ignore_errors=True)
            raise
        session = cls(directory, isolation, cloud, instances, ssh, session_dir)
        if swept:
            session.notes.append(f"removed what an interrupted run left in the sandbox: {', '.join(swept)}")
        return session

    # -- what a build is given ------------------------------------------------------------------------------------
    def builder_overrides(self) -> dict[str, Any]:
        """amazon-ebs options that point a build at this session (standard options; the template file is not
        touched). The instance is reached directly: no bastion, proxy or Session Manager; and the credentials are
        the dummy ones, not a named profile that this machine may not have."""
        return {
            "custom_endpoint_ec2": self.cloud.endpoint,
            "ssh_host": self.ssh.host,
            "ssh_port": self.ssh.port,
            "ssh_interface": "",
            "ssh_bastion_host": "",
            "ssh_proxy_host": "",
            "profile": "",
        }

    def environ(self) -> dict[str, str]:
        """Environment for the builder's AWS SDK: the endpoint and dummy credentials (a template's
        ``access_key``/``secret_key`` may be empty, as the seed's are)."""
        return {
            "AWS_ENDPOINT_URL": self.cloud.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    # -- seeding --------------------------------------------------------------------------------------------------
    def register_source_images(self, images: Iterable[SourceImage]) -> list[str]:
        """Register each image; returns what to tell the user."""
        said: list[str] = []
        for image in images:
            image_id = self.cloud.register_image(image)
            what = f"{image_id}" if image.image_id else f"{image_id} ({image.name}, for source_ami_filter)"
            said.append(f"registered source image {what} in {image.region}: its file system is this host's /")
        return said

    def authorize_private_key(self, region: str, key_file: str, key_pair_name: str) -> str | None:
        """A template's own ``ssh_private_key_file``: imported as ``ssh_keypair_name`` into the embedded EC2 (on AWS
        the key pair would exist already), or trusted for the region's instances when no key pair is named (on AWS
        the AMI would carry the public key). Returns what to tell the user."""
        import paramiko

        try:
            key = paramiko.PKey.from_path(key_file)
        except (OSError, paramiko.SSHException) as exc:
            return f"cannot read ssh_private_key_file {key_file}: {exc}"  # the builder reports it in its words
        public = f"{key.get_name()} {key.get_base64()}"
        if key_pair_name:
            try:
                imported = self.cloud.import_key_pair(region, key_pair_name, public)
            except Exception as exc:  # botocore's ClientError: EC2 imports RSA and ED25519 keys only
                return f"cannot import ssh_private_key_file {key_file} as key pair {key_pair_name}: {exc}"
            if imported:
                return f"imported key pair {key_pair_name} in {region} from ssh_private_key_file {key_file}"
            return None
        self.instances.trusted_keys[key.get_base64()] = region
        return f"the instances in {region} accept the key of ssh_private_key_file {key_file}"

    def ensure_instance_profile(self, name: str) -> str | None:
        """Create the IAM instance profile a template names (``iam_instance_profile``) unless it exists."""
        iam = self.cloud.client("iam", "us-east-1")
        try:
            iam.get_instance_profile(InstanceProfileName=name)
            return None
        except iam.exceptions.NoSuchEntityException:
            iam.create_instance_profile(InstanceProfileName=name)
        return f"created IAM instance profile {name} (named by iam_instance_profile) in the embedded IAM"

    def create_s3_placeholders(self, refs: Iterable[tuple[str, str]], region: str) -> list[str]:
        said: list[str] = []
        for bucket, key in refs:
            if self.cloud.put_placeholder(bucket, key, region):
                said.append(
                    f"embedded S3: created bucket {bucket} with a placeholder object {key} for s3://{bucket}/{key}"
                )
        return said

    def close(self) -> None:
        self.ssh.close()
        self.instances.close()
        self.cloud.close()
        shutil.rmtree(self.session_dir, ignore_errors=True)
        sessions = self.session_dir.parent
        if sessions.is_dir() and not any(sessions.iterdir()):
            sessions.rmdir()

    def __enter__(self) -> LocalSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_shims(directory: Path, endpoint: str) -> Path:
    """The shims directory (bound read-only at ``/run/packer-py/shims`` in every instance). Public so that other
    sandboxes (the test harness's sandbox hosts behind a real sshd) give commands exactly the same stand-ins."""
    directory.mkdir(parents=True, exist_ok=True)
    multicall = directory / "packer-py-shim"
    shutil.copyfile(_SHIMS_SRC / "multicall.sh", multicall)
    multicall.chmod(0o755)
    for name in SHIM_NAMES:
        (directory / name).symlink_to("packer-py-shim")
    shutil.copyfile(_SHIMS_SRC / "aws_cli.py", directory / "aws_cli.py")
    aws = directory / "aws"
    aws.write_text(
        "#!/bin/sh\n"
        "# packer-py local mode: the AWS CLI, pointed at the embedded AWS endpoint.\n"
        f"PACKER_PY_LOCAL_ENDPOINT='{endpoint}'\n"
        "export PACKER_PY_LOCAL_ENDPOINT\n"
        f"exec '{os.path.realpath(sys.executable)}' '{SHIMS_MOUNT}/aws_cli.py' \"$@\"\n"
    )
    aws.chmod(0o755)
    return directory


def interpreter_binds() -> list[str]:
    """Host mounts the ``aws`` shim's interpreter and botocore live on, when they are not on the root filesystem."""
    paths = [os.path.realpath(sys.executable), sys.prefix, sys.base_prefix]
    spec = importlib.util.find_spec("botocore")
    if spec is not None and spec.origin:
        paths.append(os.path.dirname(spec.origin))
    return host_binds(paths)
