"""StepAMIRegionCopy (step_ami_region_copy.go): copy the AMI to ``ami_regions``, encrypting if asked.

Regions are deduplicated; the build region is a target only for an intermediary image that must be re-created
encrypted in place (``encrypt_boot``), never with ``skip_save_build_region``. Copies run in parallel
(``Copying to: R`` for each, then ``Waiting for all copies to complete...``); each CopyImage is followed by a wait
for ``available`` in its region and a DescribeImages for its snapshots. Failures are collected into one Packer
MultiError. With ``encrypt_boot`` the key for a region is ``region_kms_key_ids[region]`` (``kms_key_id`` for the
build region).

Copies are the artifact: like Packer, nothing deletes them when a later step fails (the journal lists them).
Cleanup deletes the intermediary image, always (``Deregistering the AMI and deleting unencrypted temporary AMIs and
snapshots``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from packer_py.build.journal import Resource
from packer_py.build.steps import Action, Cancelled
from packer_py.builders.amazon_ebs.images import destroy_amis, snapshot_ids, wait_available
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import AwsError, PackerPyError
from packer_py.gofmt import packer_multi_error


@dataclass
class StepAMIRegionCopy:
    regions: tuple[str, ...]
    ami_name: str
    kms_key_id: str
    region_kms_key_ids: dict[str, str]
    encrypt_boot: bool | None
    skip_save_build_region: bool
    _to_delete: Resource | None = None
    _targets: list[str] = field(default_factory=list)

    def deduplicate(self, original: str, intermediary: bool) -> list[str]:
        """``DeduplicateRegions`` (sorted here; Go's map order is random)."""
        targets = {original, *self.regions}
        if not intermediary or self.skip_save_build_region:
            targets.discard(original)
        return sorted(targets)

    def run(self, state: EbsState) -> Action:
        ui = state.ui
        original = state.region
        intermediary = state.intermediary_image
        targets = self.deduplicate(original, intermediary)
        ami = state.amis.get(original, "")
        if intermediary:
            self._to_delete = Resource("ami", ami, original)
        keys = dict(self.region_kms_key_ids)
        if self.encrypt_boot is True:
            if self.kms_key_id:
                keys.setdefault(original, self.kms_key_id)
        if not targets:
            return Action.CONTINUE

        ui.say(f"Copying/Encrypting AMI ({ami}) to other regions...")
        errors: list[str] = []
        lock = threading.Lock()
        threads = []
        for region in targets:
            ui.message(f"Copying to: {region}")
            key = keys.get(region, "") if self.encrypt_boot is True else ""
            thread = threading.Thread(
                target=self._copy_into,
                args=(state, ami, original, region, key, errors, lock),
                name=f"copy-ami-{region}",
                daemon=True,
            )
            threads.append(thread)
            thread.start()
        ui.message("Waiting for all copies to complete...")
        for thread in threads:
            while thread.is_alive():
                thread.join(0.05)
                if state.cancelled:
                    raise Cancelled()
        if errors:
            raise state.fail(packer_multi_error(errors))
        return Action.CONTINUE

    def _copy_into(
        self,
        state: EbsState,
        ami: str,
        source: str,
        target: str,
        key: str,
        errors: list[str],
        lock: threading.Lock,
    ) -> None:
        """``amiRegionCopy``: one copy, its wait and its snapshots; an error is collected, not raised."""
        try:
            ec2 = state.ec2(target)
            params: dict[str, object] = {"SourceRegion": source, "SourceImageId": ami, "Name": self.ami_name}
            if self.encrypt_boot is not None:
                params["Encrypted"] = self.encrypt_boot
            if key:
                params["KmsKeyId"] = key
            try:
                copied = str(ec2.call("copy_image", **params)["ImageId"])
            except AwsError as exc:
                raise AwsError(f"Error Copying AMI ({ami}) to region ({target}): {exc}") from None
            state.record("ami", copied, region=target, detail=self.ami_name)
            try:
                wait_available(state.wait, ec2, copied, state.polling)
            except AwsError as exc:
                raise AwsError(f"Error waiting for AMI ({copied}) in region ({target}): {exc}") from None
            try:
                images = ec2.call("describe_images", ImageIds=[copied]).get("Images", [])
            except AwsError as exc:
                raise AwsError(f"Error describing copied AMI ({ami}) in region ({target}): {exc}") from None
            snapshots = snapshot_ids(images[0]) if images else []
            for snapshot in snapshots:
                state.record("snapshot", snapshot, region=target, detail=copied)
            with lock:
                state.amis[target] = copied
                state.snapshots[target] = snapshots
        except Cancelled:
            return
        except PackerPyError as exc:
            with lock:
                state.amis[target] = ""
                errors.append(str(exc))

    def cleanup(self, state: EbsState) -> None:
        if self._to_delete is None or not self._to_delete.id:
            return
        ui = state.ui
        ui.say("Deregistering the AMI and deleting unencrypted temporary AMIs and snapshots")
        region = self._to_delete.region
        try:
            deleted = destroy_amis(state.wait, state.ec2(region), [self._to_delete.id])
        except AwsError as exc:
            ui.error(str(exc))
            return
        for kind, resource_id in deleted:
            state.forget(Resource(kind, resource_id, region))
        self._to_delete = None
