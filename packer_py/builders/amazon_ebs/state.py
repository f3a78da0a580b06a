"""What the amazon-ebs steps share: Packer's state bag for this builder, as typed fields.

Each field names the state-bag key it replaces (``securityGroupIds``, ``iamInstanceProfile``, ``instance``, ``amis``,
...). Steps write their outputs here and read earlier steps' outputs; resources a step created stay on the step
itself, so that only the creator deletes them.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from packer_py.build.journal import Journal, Resource
from packer_py.build.steps import BuildState
from packer_py.builders.amazon_ebs.access import AwsAccess, AwsClient
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.builders.amazon_ebs.waiting import Clock, PollingOverrides, WaitContext
from packer_py.errors import BuildError

RUN_ID_TAG = "packer-py:run-id"
"""Tag put on every temporary resource (key pair, security group, IAM role and profile, instance, launch template),
so that ``describe-* --filters Name=tag:packer-py:run-id,...`` finds what a crashed run left behind."""


ALPHANUM = string.ascii_letters + string.digits


@dataclass
class EbsState(BuildState):
    config: EbsConfig = field(default_factory=EbsConfig)
    aws: AwsAccess | None = None
    journal: Journal = field(default_factory=lambda: Journal(None))
    waits: WaitContext | None = None
    polling: PollingOverrides = field(default_factory=PollingOverrides)
    new_uuid: Callable[[], str] = field(default=lambda: "")
    """Packer's ``uuid.TimeOrderedUUID`` (injectable)."""
    rng: random.Random = field(default_factory=random.Random)
    run_uuid: str = ""
    environ: dict[str, str] = field(default_factory=dict)
    provision: Callable[[Any, dict[str, object]], None] | None = None
    cleanup_provision: Callable[[Any, dict[str, object]], None] | None = None
    communicator_factory: Callable[[Any], Any] | None = None
    # -- Packer's state bag -------------------------------------------------------------------------------------------
    generated_data: dict[str, Any] = field(default_factory=dict)
    """``generated_data``: the build info, then the provision hook data."""
    source_image: dict[str, Any] | None = None
    """``source_image``: the source AMI as DescribeImages returned it."""
    vpc_id: str = ""
    subnet_id: str = ""
    availability_zone: str = ""
    security_group_ids: list[str] = field(default_factory=list)
    """``securityGroupIds``."""
    iam_instance_profile: str = ""
    """``iamInstanceProfile``."""
    ssh_key_pair_name: str = ""
    """``Comm.SSHKeyPairName`` after StepKeyPair: the key pair the instance is launched with."""
    ssh_private_key: str = ""
    """``Comm.SSHPrivateKey``: the temporary key's material, or the contents of ``ssh_private_key_file``."""
    instance: dict[str, Any] | None = None
    """``instance``: the source instance as DescribeInstances returned it."""
    instance_id: str | None = None
    """``instance_id``: the hook data's ``ID``."""
    communicator: Any = None
    ssh_host: str = ""
    ssh_port: int = 0
    amis: dict[str, str] = field(default_factory=dict)
    """``amis``: region -> AMI id."""
    snapshots: dict[str, list[str]] = field(default_factory=dict)
    intermediary_image: bool = False

    # -- conveniences --------------------------------------------------------------------------------------------------
    @property
    def region(self) -> str:
        return self.access.region

    @property
    def access(self) -> AwsAccess:
        if self.aws is None:
            raise BuildError("AWS session not opened")
        return self.aws

    def ec2(self, region: str | None = None) -> AwsClient:
        return self.access.ec2(region)

    def iam(self) -> AwsClient:
        return self.access.iam()

    @property
    def wait(self) -> WaitContext:
        if self.waits is None:
            self.waits = WaitContext(clock=Clock(), cancel_event=self.cancel_event)
        return self.waits

    def alphanum(self, length: int) -> str:
        """packer-plugin-sdk ``random.AlphaNum`` (temporary names: the fleet's launch template, a copy's token)."""
        return "".join(self.rng.choice(ALPHANUM) for _ in range(length))

    def sleep(self, seconds: float) -> None:
        self.wait.sleep(seconds)

    def record(self, kind: str, resource_id: str, region: str | None = None, detail: str = "") -> Resource:
        """Write a just-created resource to the journal (before any wait on it)."""
        resource = Resource(kind, resource_id, self.region if region is None else region, detail)
        self.journal.record(resource)
        return resource

    def forget(self, resource: Resource) -> None:
        self.journal.clear(resource)

    def run_tags(self) -> list[dict[str, str]]:
        """The run-id tag for temporary resources (none when the runner gave no run id)."""
        return [{"Key": RUN_ID_TAG, "Value": self.run_uuid}] if self.run_uuid else []

    def tag_specifications(self, resource_type: str) -> list[dict[str, object]]:
        tags = self.run_tags()
        return [{"ResourceType": resource_type, "Tags": tags}] if tags else []

    def fail(self, message: str, *, show: bool = True) -> BuildError:
        """Packer's ``state.Put("error", err)`` (plus ``ui.Error`` where the step prints it): the error to raise."""
        if show:
            self.ui.error(message)
        return BuildError(message)
