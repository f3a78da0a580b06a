"""The amazon-ebs builder (builder/amazon/ebs/builder.go, Packer 1.6.6): assemble the steps, run them, make the
artifact.

``Builder.run`` opens the AWS session once, picks the on-demand or spot launch step, lists the steps in Packer's
order, each given only the config fields it needs, wraps them for ``-on-error`` and ``-debug`` as Packer's
``commonsteps.NewRunner`` does, runs them (cleanups in reverse, always), and turns the state into an ``Artifact``
or raises the build's error. Nothing here talks to AWS directly.

Clock, sleep, UUIDs, randomness and the communicator are injectable, so tests run against moto at full speed.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from typing import Any, cast

from packer_py.build.interfaces import BuildContext
from packer_py.build.journal import Resource
from packer_py.build.steps import Step, run_steps, wrap_steps
from packer_py.builders.amazon_ebs.access import AwsAccess
from packer_py.builders.amazon_ebs.ami_attributes import StepModifyAMIAttributes
from packer_py.builders.amazon_ebs.artifact import Artifact
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.builders.amazon_ebs.connect import StepConnect, StepCreateSSMTunnel, StepGetPassword
from packer_py.builders.amazon_ebs.create_ami import StepCreateAMI
from packer_py.builders.amazon_ebs.deregister import StepDeregisterAMI
from packer_py.builders.amazon_ebs.iam_profile import StepIamInstanceProfile
from packer_py.builders.amazon_ebs.instance import StepRunSourceInstance
from packer_py.builders.amazon_ebs.key_pair import StepKeyPair
from packer_py.builders.amazon_ebs.network import StepNetworkInfo
from packer_py.builders.amazon_ebs.pre_validate import StepPreValidate
from packer_py.builders.amazon_ebs.provision import StepCleanupTempKeys, StepProvision, StepSetGeneratedData
from packer_py.builders.amazon_ebs.region_copy import StepAMIRegionCopy
from packer_py.builders.amazon_ebs.security_group import StepSecurityGroup
from packer_py.builders.amazon_ebs.source_ami import StepSourceAMIInfo
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.stop import StepModifyEBSBackedInstance, StepStopEBSBackedInstance
from packer_py.builders.amazon_ebs.tags import StepCreateTags
from packer_py.builders.amazon_ebs.volumes import StepCleanupVolumes
from packer_py.builders.amazon_ebs.waiting import Clock, PollingOverrides, WaitContext
from packer_py.schema.rules.outcome import time_ordered_uuid


def steps(config: EbsConfig) -> list[Step]:
    """Packer 1.6.6's step list for amazon-ebs, in its order."""
    if config.is_spot:
        from packer_py.builders.amazon_ebs.spot import StepRunSpotInstance  # only spot builds pay for its import

        instance_step: Step = StepRunSpotInstance(
            instance_type=config.instance_type,
            spot_instance_types=config.spot_instance_types,
            spot_price=config.spot_price,
            spot_tags=config.spot_tags,
            block_duration_minutes=config.block_duration_minutes,
            launch_mappings=config.launch_block_device_mappings,
            associate_public_ip_address=config.associate_public_ip_address,
            ebs_optimized=config.ebs_optimized,
            shutdown_behavior=config.shutdown_behavior,
            user_data=config.user_data,
            user_data_file=config.user_data_file,
            run_tags=config.run_tags,
            run_volume_tags=config.run_volume_tags,
            no_ephemeral=config.no_ephemeral,
            debug=config.packer_debug,
        )
    else:
        instance_step = StepRunSourceInstance(
            instance_type=config.instance_type,
            launch_mappings=config.launch_block_device_mappings,
            associate_public_ip_address=config.associate_public_ip_address,
            ebs_optimized=config.ebs_optimized,
            enable_t2_unlimited=config.enable_t2_unlimited,
            shutdown_behavior=config.shutdown_behavior,
            tenancy=config.tenancy,
            user_data=config.user_data,
            user_data_file=config.user_data_file,
            run_tags=config.run_tags,
            run_volume_tags=config.run_volume_tags,
            no_ephemeral=config.no_ephemeral,
            metadata=config.metadata_options,
            debug=config.packer_debug,
        )
    return [
        StepPreValidate(
            ami_name=config.ami_name,
            force_deregister=config.force_deregister,
            skip_save_build_region=config.skip_save_build_region,
            skip_region_validation=config.skip_region_validation,
            ami_regions=config.ami_regions,
            vpc_id=config.vpc_id,
            subnet_id=config.subnet_id,
            has_subnet_filter=not config.subnet_filter.empty,
        ),
        StepSourceAMIInfo(
            source_ami=config.source_ami,
            ami_filter=config.source_ami_filter,
            enable_sriov=config.sriov_support,
            enable_ena=config.ena_support,
            ami_virtualization_type=config.ami_virtualization_type,
        ),
        StepNetworkInfo(
            vpc_id=config.vpc_id,
            vpc_filter=config.vpc_filter,
            subnet_id=config.subnet_id,
            subnet_filter=config.subnet_filter,
            availability_zone=config.availability_zone,
        ),
        StepKeyPair(
            ssh_private_key_file=config.ssh_private_key_file,
            ssh_keypair_name=config.ssh_keypair_name,
            ssh_agent_auth=config.ssh_agent_auth,
            temporary_key_pair_name=config.temporary_key_pair_name,
            temporary_key_pair_type=config.temporary_key_pair_type,
            debug=config.packer_debug,
            debug_key_path=f"ec2_{config.packer_build_name}.pem",
            prefetch=config.communicator == "ssh",
        ),
        StepSecurityGroup(
            security_group_ids=config.security_group_ids,
            security_group_filter=config.security_group_filter,
            temporary_security_group_source_cidrs=config.temporary_security_group_source_cidrs,
            ssh_port=config.ssh_port,
        ),
        StepIamInstanceProfile(
            iam_instance_profile=config.iam_instance_profile,
            skip_profile_validation=config.skip_profile_validation,
            policy_document=config.temporary_iam_instance_profile_policy_document,
        ),
        StepCleanupVolumes(launch_mappings=config.launch_block_device_mappings),
        instance_step,
        StepGetPassword(),
        StepCreateSSMTunnel(),
        StepConnect(config=config),
        StepSetGeneratedData(),
        StepProvision(config=config),
        StepCleanupTempKeys(
            clear_authorized_keys=config.ssh_clear_authorized_keys,
            communicator=config.communicator,
            temporary_key_pair_name=config.temporary_key_pair_name,
        ),
        StepStopEBSBackedInstance(skip=config.is_spot, disable_stop_instance=config.disable_stop_instance),
        StepModifyEBSBackedInstance(sriov_support=config.sriov_support, ena_support=config.ena_support),
        StepDeregisterAMI(
            force_deregister=config.force_deregister,
            force_delete_snapshot=config.force_delete_snapshot,
            ami_name=config.ami_name,
            regions=config.ami_regions,
        ),
        StepCreateAMI(
            ami_name=config.ami_name,
            encrypt_boot=config.encrypt_boot,
            skip_save_build_region=config.skip_save_build_region,
            ami_mappings=config.ami_block_device_mappings,
        ),
        StepAMIRegionCopy(
            regions=config.ami_regions,
            ami_name=config.ami_name,
            kms_key_id=config.kms_key_id,
            region_kms_key_ids=config.region_kms_key_ids,
            encrypt_boot=config.encrypt_boot,
            skip_save_build_region=config.skip_save_build_region,
        ),
        StepModifyAMIAttributes(
            description=config.ami_description,
            users=config.ami_users,
            groups=config.ami_groups,
            org_arns=config.ami_org_arns,
            ou_arns=config.ami_ou_arns,
            product_codes=config.ami_product_codes,
            snapshot_users=config.snapshot_users,
            snapshot_groups=config.snapshot_groups,
        ),
        StepCreateTags(tags=config.tags, snapshot_tags=config.snapshot_tags),
    ]


class Builder:
    """``packer_py.build.interfaces.Builder`` for amazon-ebs.

    ``config`` is the decoded, prepared config (``PreparedBuild.builder_config``). The keyword arguments replace the
    real world in tests: ``clock`` (time and cancellable waits), ``new_uuid`` (Packer's time-ordered UUIDs),
    ``rng`` (random names), ``communicator_factory`` (``SSHConfig`` -> communicator).
    """

    def __init__(
        self,
        config: Mapping[str, object] | EbsConfig,
        *,
        clock: Clock | None = None,
        new_uuid: Callable[[], str] | None = None,
        rng: random.Random | None = None,
        communicator_factory: Callable[[Any], Any] | None = None,
    ) -> None:
        self.config = config if isinstance(config, EbsConfig) else EbsConfig.from_decoded(config)
        self.clock = clock or Clock()
        self.new_uuid = new_uuid or time_ordered_uuid
        self.rng = rng or random.Random()
        self.communicator_factory = communicator_factory
        self.state: EbsState | None = None
        """The last run's state (for tests and post-mortems)."""

    def run(self, ctx: BuildContext) -> Artifact | None:
        config = self.config
        environ = dict(ctx.environ) if ctx.environ else dict(os.environ)
        access = AwsAccess.open(config, environ)
        if config.communicator == "ssh" and self.communicator_factory is None:
            # paramiko's import runs while the build waits on AWS, not after the instance is up
            from packer_py.communicator.paramiko_import import warm_up_in_background

            warm_up_in_background()
        state = EbsState(
            ui=ctx.ui,
            build_name=ctx.name,
            builder_type=ctx.builder_type,
            cancel_event=ctx.cancel_event,
            config=config,
            aws=access,
            journal=ctx.journal,
            waits=WaitContext(self.clock, ctx.cancel_event),
            polling=PollingOverrides.resolve(config.aws_polling, environ),
            new_uuid=self.new_uuid,
            rng=self.rng,
            run_uuid=ctx.options.run_uuid,
            environ=environ,
            provision=cast("Callable[[Any, dict[str, object]], None]", ctx.provision),
            cleanup_provision=getattr(ctx, "cleanup_provision", None),
            communicator_factory=self.communicator_factory,
        )
        self.state = state
        wrapped = wrap_steps(
            steps(config),
            on_error=ctx.options.on_error,
            debug=ctx.options.debug,
            ask=ctx.ui.ask,
            pause=getattr(ctx, "pause", None) or (lambda prompt: _pause(ctx, prompt)),
        )
        run_steps(wrapped, state)
        if state.error is not None:
            raise state.error
        if state.cancelled or not state.amis:
            return None  # Packer's builder returns no artifact and no error; the runner reports the cancel
        for region, ami in state.amis.items():  # the artifact is no longer a leftover
            state.forget(Resource("ami", ami, region))
            for snapshot in state.snapshots.get(region, []):
                state.forget(Resource("snapshot", snapshot, region))
        return Artifact(
            amis=dict(state.amis),
            state_data={"generated_data": dict(state.generated_data)},
            ec2=access.ec2,
            waits=WaitContext(self.clock, ctx.cancel_event),
        )


def _pause(ctx: BuildContext, prompt: str) -> None:
    """multistep's ``DebugPauseDefault``: ask, and wait for enter."""
    ctx.ui.ask(prompt)
