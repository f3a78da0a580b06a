"""A real ``moto`` server process on a loopback port, as the AWS that end-to-end tests build against.

A separate process rather than moto's in-process mocks, because the code under test (and Packer itself, for
side-by-side runs) talks plain HTTP to an endpoint, and the sshd ``AuthorizedKeysCommand`` asks the same server for
key pairs from yet another process. Requests are recorded (moto's recorder) so a test can assert the ordered API
actions of a build, and ``leftovers()`` lists what a build failed to clean up.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.harness.inventory import Leftovers, collect
from tests.harness.ports import LOOPBACK, free_port
from tests.harness.processes import die_with_parent
from tests.harness.recording import HARNESS_USER_AGENT, ApiCall, parse_recording

ACCESS_KEY = "testing"
SECRET_KEY = "testing"
DEFAULT_REGION = "us-east-1"


class HarnessError(RuntimeError):
    """A harness server could not be started or did not answer."""


@dataclass(frozen=True)
class SourceAmi:
    """An AMI that moto knows, to use as ``source_ami``."""

    image_id: str
    name: str
    region: str
    owner_id: str
    snapshot_ids: tuple[str, ...] = ()


@dataclass
class MotoServer:
    """Handle on a running ``moto_server``. Create with ``MotoServer.start``."""

    port: int
    process: subprocess.Popen[bytes]
    workdir: Path
    _own_ids: set[str] = field(default_factory=set)
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _session: Any = None

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def recording_path(self) -> Path:
        return self.workdir / "recording.jsonl"

    @property
    def log_path(self) -> Path:
        return self.workdir / "moto.log"

    # -- lifecycle -------------------------------------------------------------------------------------------------

    @classmethod
    def start(cls, workdir: Path, *, startup_timeout: float = 30.0, env: Mapping[str, str] | None = None) -> MotoServer:
        """Start ``python -m moto.server`` on a free loopback port and wait until it answers; recording is on.

        ``env`` adds to the server's environment: moto reads switches such as ``MOTO_IAM_LOAD_MANAGED_POLICIES``
        when a backend is first made, so they belong to the process, not to a request."""
        workdir.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            port = free_port()
            server_env = {**os.environ, **(env or {})}
            server_env["MOTO_RECORDER_FILEPATH"] = str(workdir / "recording.jsonl")
            server_env.pop("MOTO_ENABLE_RECORDING", None)
            with open(workdir / "moto.log", "ab") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", str(port)],
                    cwd=workdir,
                    env=server_env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=die_with_parent,  # noqa: PLW1509 (only a prctl call in the child)
                )
            server = cls(port=port, process=process, workdir=workdir)
            if server._wait_ready(startup_timeout):
                server._post("/moto-api/recorder/reset-recording")
                server._post("/moto-api/recorder/start-recording")
                return server
            server.stop()
        raise HarnessError(f"moto server did not start; log:\n{(workdir / 'moto.log').read_text(errors='replace')}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _ = self._request("GET", "/moto-api/")
                if status == 200:
                    return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """Stop the server process (by its PID) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def reset(self) -> None:
        """Forget every resource (``POST /moto-api/reset``) and every recorded request."""
        self._post("/moto-api/reset")
        self._post("/moto-api/recorder/reset-recording")
        self._own_ids.clear()

    def reset_recording(self) -> None:
        """Forget the recorded requests only (resources stay, and so do moto's warm region backends)."""
        self._post("/moto-api/recorder/reset-recording")

    # -- plain HTTP ------------------------------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=30)
        try:
            conn.request(method, path, body=body)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def _post(self, path: str) -> bytes:
        status, body = self._request("POST", path)
        if status != 200:
            raise HarnessError(f"POST {path} -> {status}: {body[:300]!r}")
        return body

    # -- AWS clients -----------------------------------------------------------------------------------------------

    def aws_env(self, region: str = DEFAULT_REGION) -> dict[str, str]:
        """Environment variables that point an AWS SDK (boto3 >= 1.28.57, a packer-py subprocess) at this server."""
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def client(self, service: str, region: str = DEFAULT_REGION) -> Any:
        """A boto3 client for the harness's own calls (marked, so ``api_calls()`` leaves them out)."""
        key = (service, region)
        if key not in self._clients:
            import boto3
            from botocore.config import Config

            if self._session is None:  # one session: its loader caches service models (a fresh one costs 0.2 s)
                self._session = boto3.session.Session()
            self._clients[key] = self._session.client(
                service,
                region_name=region,
                endpoint_url=self.endpoint,
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key=SECRET_KEY,
                config=Config(user_agent_extra=HARNESS_USER_AGENT, retries={"max_attempts": 1}),
            )
        return self._clients[key]

    @property
    def account_id(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])

    # -- source AMIs -----------------------------------------------------------------------------------------------

    def default_ami(self, region: str = DEFAULT_REGION, name: str = "amzn2-ami-hvm-*-x86_64-gp2") -> SourceAmi:
        """The newest of the AMIs moto ships whose name matches ``name`` (an EC2 ``name`` filter pattern)."""
        images = self.client("ec2", region).describe_images(Filters=[{"Name": "name", "Values": [name]}])["Images"]
        if not images:
            raise HarnessError(f"moto ships no AMI named like {name!r} in {region}")
        newest = max(images, key=lambda image: (image.get("CreationDate", ""), image["Name"]))
        return _source_ami(newest, region)

    def register_ami(
        self,
        name: str,
        *,
        region: str = DEFAULT_REGION,
        tags: dict[str, str] | None = None,
        description: str = "",
        architecture: str = "x86_64",
    ) -> SourceAmi:
        """Register an AMI owned by the test account (e.g. a ``source_ami_filter`` target with ``owners: self``).

        The AMI and the snapshot moto creates for it are harness-owned: ``leftovers()`` does not report them.
        """
        ec2 = self.client("ec2", region)
        image_id = ec2.register_image(
            Name=name,
            Description=description,
            Architecture=architecture,
            RootDeviceName="/dev/xvda",
            VirtualizationType="hvm",
            EnaSupport=True,
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "VolumeType": "gp2"}}],
        )["ImageId"]
        if tags:
            ec2.create_tags(Resources=[image_id], Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
        image = ec2.describe_images(ImageIds=[image_id])["Images"][0]
        ami = _source_ami(image, region)
        self._own_ids.add(image_id)
        self._own_ids.update(ami.snapshot_ids)
        return ami

    def own(self, *resource_ids: str) -> None:
        """Declare resources a test created itself, so ``leftovers()`` does not report them."""
        self._own_ids.update(resource_ids)

    # -- what happened ---------------------------------------------------------------------------------------------

    def api_log(self, *, include_harness: bool = False) -> list[ApiCall]:
        """Every AWS API call since the last ``reset()``, in order."""
        if not self.recording_path.exists():
            return []
        calls = parse_recording(self.recording_path.read_text(encoding="utf-8"))
        return [call for call in calls if include_harness or not call.from_harness]

    def api_calls(self, *, include_harness: bool = False) -> list[tuple[str, str]]:
        """The ordered ``(service, action)`` pairs the code under test sent, e.g. ``("ec2", "RunInstances")``."""
        return [call.pair() for call in self.api_log(include_harness=include_harness)]

    def touched_regions(self) -> set[str]:
        """Regions that received any EC2 call since the last ``reset()``: the only places anything can exist."""
        return {call.region for call in self.api_log(include_harness=True) if call.service == "ec2"}

    def all_regions(self) -> list[str]:
        return sorted(r["RegionName"] for r in self.client("ec2").describe_regions(AllRegions=True)["Regions"])

    def leftovers(self, regions: list[str] | None = None, *, all_regions: bool = False) -> Leftovers:
        """Instances not terminated, non-default security groups, key pairs, self-owned AMIs and snapshots, volumes,
        IAM roles / instance profiles / customer policies, minus what the harness or ``own()`` created.

        By default only the regions touched since ``reset()`` are listed (a region nobody called holds nothing, and
        listing all of moto's regions costs seconds); ``all_regions=True`` lists every region.
        """
        if all_regions:
            regions = self.all_regions()
        elif regions is None:
            regions = sorted(self.touched_regions())
        account = self.account_id
        found = collect({region: self.client("ec2", region) for region in regions}, self.client("iam"), account)
        return Leftovers(tuple(r for r in found if r.id not in self._own_ids))


def _source_ami(image: dict[str, Any], region: str) -> SourceAmi:
    snapshots = tuple(
        m["Ebs"]["SnapshotId"] for m in image.get("BlockDeviceMappings", ()) if m.get("Ebs", {}).get("SnapshotId")
    )
    return SourceAmi(
        image_id=image["ImageId"],
        name=image.get("Name", ""),
        region=region,
        owner_id=image.get("OwnerId", ""),
        snapshot_ids=snapshots,
    )
