"""What the AMI steps and the artifact share about images: waiting for one, its snapshots, destroying it.

* ``wait_available``: ``AWSPollingConfig.WaitUntilAMIAvailable`` (aws-sdk-go's ImageAvailable waiter, 120 attempts
  when nothing is overridden) and Packer's hint on ``ResourceNotReady``.
* ``destroy_amis``: ``DestroyAMIs`` (helper_funcs.go): deregister each image, then delete its snapshots, each call
  retried 11 times on ``UnauthorizedOperation``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from packer_py.builders.amazon_ebs.access import AwsClient
from packer_py.builders.amazon_ebs.boundary import matches
from packer_py.builders.amazon_ebs.waiting import (
    IMAGE_AVAILABLE,
    NOT_READY,
    PollingOverrides,
    Verdict,
    WaitContext,
    WaiterError,
    retry,
    wait_until,
)
from packer_py.errors import AwsError, PackerPyError

RESOURCE_NOT_READY_HINT = (
    "Failed with ResourceNotReady error, which can have a variety of causes. For help troubleshooting, check our "
    "docs: https://www.packer.io/docs/builders/amazon.html#resourcenotready-error\noriginal error: "
)


def wait_available(waits: WaitContext, ec2: AwsClient, image_id: str, overrides: PollingOverrides) -> None:
    def probe() -> Verdict:
        images = ec2.call("describe_images", ImageIds=[image_id]).get("Images", [])
        states = [i.get("State") for i in images]
        if states and all(s == "available" for s in states):
            return "success"
        if any(s == "failed" for s in states):
            return "failure"
        return "retry"

    try:
        wait_until(waits, IMAGE_AVAILABLE, probe, overrides=overrides, ami_default_attempts=120)
    except WaiterError as exc:
        if "ResourceNotReady" in str(exc):
            raise WaiterError(RESOURCE_NOT_READY_HINT + str(exc)) from None
        raise


def snapshot_ids(image: dict[str, Any]) -> list[str]:
    return [
        str(m["Ebs"]["SnapshotId"])
        for m in image.get("BlockDeviceMappings", []) or []
        if m.get("Ebs") and m["Ebs"].get("SnapshotId")
    ]


def _unauthorized(exc: PackerPyError) -> bool:
    return matches(exc, "UnauthorizedOperation")


def _retried(waits: WaitContext, call: Callable[[], object], cancellable: bool, failure: str) -> None:
    """One deletion of ``DestroyAMIs``: retried on ``UnauthorizedOperation``, its error prefixed with ``failure``."""
    try:
        retry(waits, call, should_retry=_unauthorized, cancellable=cancellable)
    except AwsError as exc:
        raise AwsError(f"{failure}: {exc}") from None


def destroy_amis(
    waits: WaitContext, ec2: AwsClient, image_ids: list[str], *, cancellable: bool = False
) -> list[tuple[str, str]]:
    """Deregister the images and delete their snapshots; raises ``AwsError`` with Packer's words.

    Returns the ``(kind, id)`` of everything deleted (``("ami", ...)``, ``("snapshot", ...)``).
    """
    try:
        images = ec2.call("describe_images", ImageIds=image_ids).get("Images", [])
    except AwsError as exc:
        raise AwsError(f"Error describing AMI: {exc}") from None
    deleted: list[tuple[str, str]] = []
    for image in images:
        image_id = str(image["ImageId"])
        deregister = partial(ec2.call, "deregister_image", ImageId=image_id)
        _retried(waits, deregister, cancellable, "Error deregistering existing AMI")
        deleted.append(("ami", image_id))
        for snapshot in snapshot_ids(image):
            delete = partial(ec2.call, "delete_snapshot", SnapshotId=snapshot)
            _retried(waits, delete, cancellable, "Error deleting existing snapshot")
            deleted.append(("snapshot", snapshot))
    return deleted


__all__ = ["NOT_READY", "destroy_amis", "snapshot_ids", "wait_available"]
