"""The amazon-ebs builder's ``Prepare`` (builder/amazon/ebs/builder.go, Packer 1.6.6).

``-force`` turns on ``force_deregister``; then access, AMI, AMI block devices, launch block devices and run checks
run in that order into one ``MultiError``; a spot build may not modify ENA/SR-IOV; ``spot_price_auto_product``
only warns.
"""

from __future__ import annotations

from packer_py.schema.rules.amazon import access, ami, block_devices, run
from packer_py.schema.rules.outcome import Checks, Prepared, RuleEnv

E_SPOT_MODIFICATION = "E270"


def prepare(cfg: dict[str, object], env: RuleEnv) -> Prepared:
    if env.force:
        cfg["force_deregister"] = True
    checks = Checks()
    if cfg["run_volume_tag"]:
        merged = dict(cfg["run_volume_tags"] or {})  # type: ignore[call-overload]
        for pair in cfg["run_volume_tag"]:  # type: ignore[attr-defined]
            merged[pair["name"]] = pair["value"]
        cfg["run_volume_tags"] = merged
    access.prepare(cfg, checks, env)
    ami.prepare(cfg, checks, env)
    block_devices.prepare(cfg, "ami_block_device_mappings", checks)
    block_devices.prepare(cfg, "launch_block_device_mappings", checks)
    run.prepare(cfg, checks, env)
    spot = cfg["spot_price"] not in ("", "0")
    if spot and (cfg["ena_support"] is True or cfg["sriov_support"]):
        checks.error(
            E_SPOT_MODIFICATION,
            "Spot instances do not support modification, which is required when either `ena_support` or "
            "`sriov_support` are set. Please ensure you use an AMI that already has either SR-IOV or ENA enabled.",
            "spot_price",
        )
    if cfg["spot_price_auto_product"] != "":
        checks.warn(
            "spot_price_auto_product is deprecated and no longer necessary for Packer builds. In future versions "
            "of Packer, inclusion of spot_price_auto_product will error your builds. Please take a look at our "
            "current documentation to understand how Packer requests Spot instances."
        )
    return Prepared.from_checks(cfg, checks)
