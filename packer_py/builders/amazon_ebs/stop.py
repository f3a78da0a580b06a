"""Before the image: stop the instance, then set its networking attributes.

* StepStopEBSBackedInstance (step_stop_ebs_instance.go): StopInstances (retried while EC2 has not propagated the
  instance id: 6 tries, 10 s doubling to 60 s), then wait for ``stopped``. Skipped for spot instances; with
  ``disable_stop_instance`` the user (or a provisioner) stops it and the step only waits.
* StepModifyEBSBackedInstance (step_modify_ebs_instance.go): ``sriov_support`` sets SriovNetSupport ``simple``;
  ``ena_support`` true or false (not unset) sets EnaSupport.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.boundary import matches
from packer_py.builders.amazon_ebs.instance import instance_state_probe
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import INSTANCE_STOPPED, Backoff, retry, wait_until
from packer_py.errors import AwsError


def _instance_id(state: EbsState) -> str:
    return str((state.instance or {}).get("InstanceId", ""))


@dataclass
class StepStopEBSBackedInstance:
    skip: bool
    disable_stop_instance: bool

    def run(self, state: EbsState) -> Action:
        if self.skip:
            return Action.CONTINUE
        ui, ec2 = state.ui, state.ec2()
        instance_id = _instance_id(state)
        if not self.disable_stop_instance:
            ui.say("Stopping the source instance...")

            def stop() -> None:
                ui.message("Stopping instance")
                ec2.call("stop_instances", InstanceIds=[instance_id])

            try:
                retry(
                    state.wait,
                    stop,
                    tries=6,
                    should_retry=lambda exc: matches(exc, "InvalidInstanceID.NotFound"),
                    backoff=Backoff(10.0, 60.0),
                )
            except AwsError as exc:
                raise state.fail(f"Error stopping instance: {exc}") from None
        else:
            ui.say("Automatic instance stop disabled. Please stop instance manually.")
        ui.say("Waiting for the instance to stop...")
        try:
            wait_until(
                state.wait,
                INSTANCE_STOPPED,
                lambda: instance_state_probe(
                    state, instance_id, "stopped", ("pending", "terminated"), retry_not_found=False
                ),
                overrides=state.polling,
            )
        except AwsError as exc:
            raise state.fail(f"Error waiting for instance to stop: {exc}") from None
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""


@dataclass
class StepModifyEBSBackedInstance:
    sriov_support: bool
    ena_support: bool | None

    def run(self, state: EbsState) -> Action:
        ui, ec2 = state.ui, state.ec2()
        instance_id = _instance_id(state)
        if self.sriov_support:
            ui.say("Enabling Enhanced Networking (SR-IOV)...")
            try:
                ec2.call("modify_instance_attribute", InstanceId=instance_id, SriovNetSupport={"Value": "simple"})
            except AwsError as exc:
                raise state.fail(f"Error enabling Enhanced Networking (SR-IOV) on {instance_id}: {exc}") from None
        if self.ena_support is not None:
            prefix = "En" if self.ena_support else "Dis"
            ui.say(f"{prefix}abling Enhanced Networking (ENA)...")
            try:
                ec2.call("modify_instance_attribute", InstanceId=instance_id, EnaSupport={"Value": self.ena_support})
            except AwsError as exc:
                raise state.fail(
                    f"Error {prefix.lower()}abling Enhanced Networking (ENA) on {instance_id}: {exc}"
                ) from None
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""
