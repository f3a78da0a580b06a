"""The embedded AWS endpoint of local mode: moto's server, in-process, on a free loopback port.

The builder talks to it through the standard endpoint options (``custom_endpoint_ec2`` / ``AWS_ENDPOINT_URL``) with
dummy credentials, exactly as it would talk to AWS. Three things are added around moto:

* **seeding**: the template's source image is registered first under the id the template names (moto knows only
  its own AMI ids), and S3 objects the provisioners fetch get placeholders, so templates run unchanged;
* **hooks**: a WSGI layer watches the EC2 actions that touch an instance's disk (``StopInstances``,
  ``TerminateInstances``, ``CreateImage``, ``CopyImage``) and tells the instance manager, which then stops the
  instance's namespace, deletes its sandbox, or saves its overlay layer under the new AMI id, before moto's answer
  goes back to the builder (so a waiter never sees an AMI whose layer is not on disk yet);
* **key lookup** for the SSH server: which running instance a public key logs in to (``DescribeKeyPairs`` with
  ``IncludePublicKey``, then ``DescribeInstances`` by ``key-name``).
"""

from __future__ import annotations

import io
import logging
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs

log = logging.getLogger("packer_py.local.cloud")

ACCESS_KEY = "packer-py-local"
SECRET_KEY = "packer-py-local-secret"
"""Dummy credentials: moto accepts any, and they make a real AWS endpoint refuse every call if one is ever hit."""

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,]+/\d{8}/([a-z0-9-]+)/")
_HOOKED = {"StopInstances", "TerminateInstances", "CreateImage", "CopyImage"}


class CloudEvents(Protocol):
    """What the instance manager hears from the embedded EC2 (called in the request's thread, before the reply)."""

    def instances_stopped(self, region: str, instance_ids: list[str]) -> None: ...

    def instances_terminated(self, region: str, instance_ids: list[str]) -> None: ...

    def image_created(self, region: str, instance_id: str, image_id: str, name: str) -> None: ...

    def image_copied(self, region: str, source_region: str, source_id: str, image_id: str, name: str) -> None: ...


@dataclass(frozen=True)
class SourceImage:
    """A source AMI a template needs, registered in the embedded EC2 before the build."""

    region: str
    image_id: str = ""
    """The id to register (``source_ami``); empty for a ``source_ami_filter`` match (moto picks the id)."""
    name: str = ""
    owner: str = ""
    """An account id or an alias (``amazon``, ``self``, ...), from the filter's ``owners``."""
    architecture: str = "x86_64"


def _region_of(environ: dict[str, Any]) -> str:
    m = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return m.group(1) if m else ""


def _indexed(params: dict[str, list[str]], prefix: str) -> list[str]:
    """``InstanceId.1``, ``InstanceId.2``, ... of an EC2 query request, in order."""
    keys = sorted((k for k in params if k.startswith(prefix + ".")), key=lambda k: int(k.rsplit(".", 1)[1]))
    return [params[k][0] for k in keys]


def _error_body(message: str) -> bytes:
    from xml.sax.saxutils import escape

    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>PackerPyLocalError</Code>'
        f"<Message>{escape(message)}</Message></Error></Errors><RequestID>local</RequestID></Response>"
    ).encode()


class _Hooks:
    """WSGI middleware in front of moto's application."""

    def __init__(self, app: Callable[..., Iterable[bytes]], cloud: EmbeddedAws) -> None:
        self.app = app
        self.cloud = cloud

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        region = _region_of(environ)
        if region:
            self.cloud.regions_seen.add(region)
        ctype = environ.get("CONTENT_TYPE", "")
        if environ.get("REQUEST_METHOD") != "POST" or "x-www-form-urlencoded" not in ctype:
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        params = parse_qs(body.decode("utf-8", "replace"))
        action = params.get("Action", [""])[0]
        if action not in _HOOKED or self.cloud.events is None:
            return self.app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        result = self.app(environ, capture)
        try:
            reply = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = captured["status"], captured["headers"]
        if status.startswith("200"):
            try:
                self._after(action, region or "us-east-1", params, reply.decode("utf-8", "replace"))
            except Exception as exc:  # the build must see it: fail the call instead of half-doing it
                log.exception("local mode: %s hook failed", action)
                reply, status = _error_body(f"packer-py local mode: {action}: {exc}"), "400 Bad Request"
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
                headers.append(("Content-Length", str(len(reply))))
        start_response(status, headers)
        return [reply]

    def _after(self, action: str, region: str, params: dict[str, list[str]], reply: str) -> None:
        events = self.cloud.events
        assert events is not None
        if action == "StopInstances":
            events.instances_stopped(region, _indexed(params, "InstanceId"))
        elif action == "TerminateInstances":
            events.instances_terminated(region, _indexed(params, "InstanceId"))
        else:
            m = re.search(r"<imageId>(ami-[0-9a-f]+)</imageId>", reply)
            if m is None:
                return
            name = params.get("Name", [""])[0]
            if action == "CreateImage":
                events.image_created(region, params.get("InstanceId", [""])[0], m.group(1), name)
            else:
                source_region = params.get("SourceRegion", [region])[0]
                events.image_copied(region, source_region, params.get("SourceImageId", [""])[0], m.group(1), name)


class EmbeddedAws:
    """moto's server on ``127.0.0.1:<free port>`` with local mode's hooks; ``endpoint`` once started."""

    def __init__(self) -> None:
        self.events: CloudEvents | None = None
        self.regions_seen: set[str] = set()
        self.endpoint = ""
        self._server: Any = None
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._saved_env: str | None = None

    def start(self) -> None:
        try:
            from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
            from moto.server import ThreadedMotoServer
            from werkzeug.serving import make_server
        except ImportError as exc:
            from packer_py.local.namespace import LocalModeError

            raise LocalModeError(
                f"local mode needs moto's server for its embedded AWS endpoint ({exc}): pip install 'moto[server]'"
            ) from exc

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log lines in the build's output
        # moto would load hundreds of public AMIs into every region (a second each); local mode registers its own.
        self._saved_env = os.environ.get("MOTO_EC2_LOAD_DEFAULT_AMIS")
        os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
        cloud = self

        class _Server(ThreadedMotoServer):
            def _server_entry(self) -> None:
                app = _Hooks(DomainDispatcherApplication(create_backend_app), cloud)
                self._server = make_server(self._ip_address, self._port, app, True)
                self._server_ready_event.set()
                self._server.serve_forever()

        self._server = _Server(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._saved_env is None:
            os.environ.pop("MOTO_EC2_LOAD_DEFAULT_AMIS", None)
        else:
            os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = self._saved_env

    def client(self, service: str, region: str) -> Any:
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                import boto3  # type: ignore[import-untyped]

                self._clients[key] = boto3.session.Session().client(
                    service,
                    region_name=region,
                    endpoint_url=self.endpoint,
                    aws_access_key_id=ACCESS_KEY,
                    aws_secret_access_key=SECRET_KEY,
                )
            return self._clients[key]

    # -- seeding --------------------------------------------------------------------------------------------------
    def register_image(self, image: SourceImage) -> str:
        """Register ``image`` in its region (under its own id when it has one); returns the AMI id."""
        from moto.backends import get_backend
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.ec2.models.amis import Ami

        backend = get_backend("ec2")[DEFAULT_ACCOUNT_ID][image.region]
        image_id = image.image_id or f"ami-{os.urandom(9).hex()[:17]}"
        if image_id in backend.amis:
            return image_id
        owner_id, alias = DEFAULT_ACCOUNT_ID, None
        if image.owner.isdigit():
            owner_id = image.owner
        elif image.owner and image.owner != "self":
            alias = image.owner  # moto matches ``Owners`` against the id or the alias
        name = image.name or f"packer-py-local {image_id}"
        backend.amis[image_id] = Ami(
            backend,
            ami_id=image_id,
            name=name,
            description=f"{image_id} stand-in registered by packer-py local mode (its file system is this host's /)",
            owner_id=owner_id,
            owner_alias=alias,
            public=True,
            virtualization_type="hvm",
            architecture=image.architecture,
            root_device_type="ebs",
            root_device_name="/dev/xvda",
            hypervisor="xen",
            region_name=f"{image.region}a",
            boot_mode="legacy-bios",
        )
        return image_id

    def put_placeholder(self, bucket: str, key: str, region: str) -> bool:
        """Create ``s3://bucket/key`` with placeholder content unless it exists; True when it was created."""
        s3 = self.client("s3", region)
        try:
            s3.head_object(Bucket=bucket, Key=key)
            return False
        except Exception:  # botocore's ClientError (404): create it below
            pass
        try:
            if region == "us-east-1":
                s3.create_bucket(Bucket=bucket)
            else:
                s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
        s3.put_object(Bucket=bucket, Key=key, Body=placeholder_content(bucket, key))
        return True

    # -- key lookup -----------------------------------------------------------------------------------------------
    def instance_for_key(self, blob: str) -> tuple[str, str] | None:
        """``(region, instance id)`` of the newest running instance launched with the key pair whose public key
        is ``blob`` (base64, as in ``authorized_keys``)."""
        for region in sorted(self.regions_seen):
            ec2 = self.client("ec2", region)
            pairs = ec2.describe_key_pairs(IncludePublicKey=True).get("KeyPairs", [])
            names = [p["KeyName"] for p in pairs if blob in (p.get("PublicKey") or "").split()]
            if not names:
                continue
            newest = self.newest_instance(region, [{"Name": "key-name", "Values": names}])
            if newest is not None:
                return region, newest
        return None

    def newest_instance(self, region: str, filters: list[dict[str, Any]] | None = None) -> str | None:
        """The id of the newest pending or running instance in ``region`` matching ``filters``."""
        found = self.client("ec2", region).describe_instances(
            Filters=[*(filters or []), {"Name": "instance-state-name", "Values": ["pending", "running"]}]
        )
        instances = [i for r in found.get("Reservations", []) for i in r.get("Instances", [])]
        if not instances:
            return None
        return str(max(instances, key=lambda i: i["LaunchTime"])["InstanceId"])

    def import_key_pair(self, region: str, name: str, public_key: str) -> bool:
        """Import ``public_key`` as key pair ``name`` unless one exists; True when it was imported."""
        ec2 = self.client("ec2", region)
        if any(p["KeyName"] == name for p in ec2.describe_key_pairs().get("KeyPairs", [])):
            return False
        ec2.import_key_pair(KeyName=name, PublicKeyMaterial=public_key.encode())
        return True


def placeholder_content(bucket: str, key: str) -> bytes:
    text = f"Placeholder for s3://{bucket}/{key}, created by packer-py local mode (no real S3 here).\n"
    if key.endswith((".html", ".htm")):
        return f"<!DOCTYPE html>\n<html><body><p>{text.strip()}</p></body></html>\n".encode()
    return text.encode()
