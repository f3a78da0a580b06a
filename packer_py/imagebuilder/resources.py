"""The amazon-ebs builder's options as Image Builder's recipe, infrastructure, distribution and pipeline requests.

Where each option goes (the README of an export repeats this table for the options the template uses):

===============================================  ====================================================================
Packer (amazon-ebs)                              Image Builder
===============================================  ====================================================================
``source_ami`` (``source_ami_filter`` resolved)  recipe ``parentImage``
``launch_block_device_mappings``                 recipe ``blockDeviceMappings``
``user_data`` / ``user_data_file``               recipe ``additionalInstanceConfiguration.userDataOverride`` (base64)
``instance_type``                                infrastructure ``instanceTypes``
``subnet_id``, ``security_group_id(s)``          infrastructure ``subnetId``, ``securityGroupIds``
``ssh_keypair_name``                             infrastructure ``keyPair``
``iam_instance_profile``                         infrastructure ``instanceProfileName``
``temporary_iam_instance_profile_policy_doc..``  an IAM role + instance profile created by deploy.sh / apply
``run_tags``                                     infrastructure ``resourceTags``
``metadata_options``, ``availability_zone``...   infrastructure ``instanceMetadataOptions``, ``placement``
``region`` + ``ami_regions``                     one ``distributions`` entry per region
``ami_name``                                     ``amiDistributionConfiguration.name`` + build date
``ami_description``, ``tags``                    ``amiDistributionConfiguration.description``, ``amiTags``
``ami_users``/``ami_groups``/``ami_org_arns``    ``amiDistributionConfiguration.launchPermission``
``kms_key_id``/``encrypt_boot``                  ``amiDistributionConfiguration.kmsKeyId`` (``region_kms_key_ids``)
===============================================  ====================================================================

Options about reaching the instance (credentials, SSH, WinRM, polling) mean nothing to Image Builder, which drives
the instance through Systems Manager; any other option that has no equivalent is reported as a warning.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from packer_py.errors import Pos
from packer_py.imagebuilder.errors import ExportError
from packer_py.imagebuilder.plan import STAND_IN_ACCOUNT, ExportWarning, RoleSpec
from packer_py.imagebuilder.values import BuildValues, ami_name

MAPPED = frozenset(
    """source_ami source_ami_filter instance_type subnet_id security_group_id security_group_ids ssh_keypair_name
    iam_instance_profile temporary_iam_instance_profile_policy_document launch_block_device_mappings user_data
    user_data_file region ami_regions ami_name ami_description tags tag ami_users ami_groups ami_org_arns ami_ou_arns
    kms_key_id encrypt_boot region_kms_key_ids run_tags run_tag metadata_options availability_zone tenancy
    spot_instance_types""".split()
)
IGNORED = frozenset(
    """type name access_key secret_key token profile shared_credentials_file assume_role mfa_code custom_endpoint_ec2
    decode_authorization_messages insecure_skip_tls_verify max_retries skip_metadata_api_check
    skip_credential_validation vault_aws_engine aws_polling skip_region_validation communicator
    pause_before_connecting ssh_interface force_deregister force_delete_snapshot associate_public_ip_address
    skip_profile_validation temporary_security_group_source_cidrs temporary_security_group_source_public_ip
    shutdown_behavior disable_stop_instance windows_password_timeout temporary_key_pair_name
    temporary_key_pair_type temporary_key_pair_bits""".split()
)
"""Options about how Packer reaches AWS or the instance, which Image Builder does itself."""

SourceResolver = Callable[[str, dict[str, Any]], str]
"""(region, source_ami_filter) -> AMI ID; ``export --resolve-source`` passes one backed by boto3."""


@dataclass
class BuilderMapping:
    recipe: dict[str, Any]
    infrastructure: dict[str, Any]
    distribution: dict[str, Any]
    pipeline: dict[str, Any]
    role: RoleSpec | None
    region: str
    warnings: list[ExportWarning] = field(default_factory=list)
    mappings: list[tuple[str, str]] = field(default_factory=list)


def stand_in_arn(kind: str, region: str, name: str, version: str = "") -> str:
    segment = name.lower().replace(" ", "-")
    suffix = f"/{version}" if version else ""
    return f"arn:aws:imagebuilder:{region}:{STAND_IN_ACCOUNT}:{kind}/{segment}{suffix}"


def map_builder(
    config: dict[str, Any],
    raw: dict[str, Any],
    pos: Callable[[str], Pos],
    values: BuildValues,
    *,
    base_name: str,
    description: str,
    component_names: list[str],
    has_tests: bool,
    resolver: SourceResolver | None,
    extra_role_policy: list[dict[str, Any]],
) -> BuilderMapping:
    """Map one prepared amazon-ebs config (``config``; ``raw`` is what the template wrote, for positions and
    unrendered values). Raises ``ExportError`` when a required value cannot be known."""
    warnings: list[ExportWarning] = []
    rows: list[tuple[str, str]] = []

    def warn(kind: str, key: str, message: str) -> None:
        warnings.append(ExportWarning(kind, message, pos(key)))

    region = str(config.get("region") or "")
    if not region:
        raise ExportError("region", "amazon-ebs region is empty: Image Builder resources live in one region")
    if config.get("communicator") == "winrm":
        raise ExportError("windows", "communicator winrm (a Windows build): export makes Linux components only")

    parent = str(config.get("source_ami") or "")
    source_filter = config.get("source_ami_filter") or {}
    if not parent:
        if not (source_filter.get("filters") or source_filter.get("owners")):
            raise ExportError("source-ami", "amazon-ebs has neither source_ami nor source_ami_filter")
        if resolver is None:
            raise ExportError(
                "source-ami-filter",
                "source_ami_filter must be resolved to an AMI ID for the recipe's parentImage: run export with "
                "--resolve-source (uses your AWS credentials), or set source_ami",
            )
        parent = resolver(region, source_filter)
        rows.append(("source_ami_filter", f"recipe parentImage {parent} (resolved at export time)"))
    else:
        rows.append(("source_ami", "recipe parentImage"))

    recipe: dict[str, Any] = {
        "name": base_name,
        "description": description,
        "semanticVersion": "1.0.0",
        "components": [{"componentArn": stand_in_arn("component", region, n, "1.0.0/1")} for n in component_names],
        "parentImage": parent,
    }
    mappings = _block_devices(config.get("launch_block_device_mappings") or [])
    if mappings:
        recipe["blockDeviceMappings"] = mappings
        rows.append(("launch_block_device_mappings", "recipe blockDeviceMappings"))
    user_data = str(config.get("user_data") or "")
    if config.get("user_data_file"):
        from pathlib import Path

        try:
            user_data = Path(str(config["user_data_file"])).read_text(encoding="utf-8")
        except OSError as exc:
            raise ExportError("missing-file", f"user_data_file: {exc.strerror or exc}") from None
    if user_data:
        recipe["additionalInstanceConfiguration"] = {
            "userDataOverride": base64.b64encode(user_data.encode()).decode("ascii")
        }
        rows.append(("user_data", "recipe additionalInstanceConfiguration.userDataOverride (base64)"))
        warn(
            "user-data",
            "user_data",
            "user_data replaces Image Builder's own user data, which installs the SSM "
            "agent when the image lacks it: the image must have the agent",
        )

    # infrastructure ------------------------------------------------------------------------------------------------
    infrastructure: dict[str, Any] = {"name": base_name, "description": description}
    types = [str(config["instance_type"])] if config.get("instance_type") else []
    types += [str(t) for t in config.get("spot_instance_types") or [] if str(t) not in types]
    if types:
        infrastructure["instanceTypes"] = types
        rows.append(("instance_type", "infrastructure instanceTypes"))
    role: RoleSpec | None = None
    profile = str(config.get("iam_instance_profile") or "")
    policy = config.get("temporary_iam_instance_profile_policy_document")
    if profile:
        infrastructure["instanceProfileName"] = profile
        rows.append(("iam_instance_profile", "infrastructure instanceProfileName"))
        if extra_role_policy:
            warn(
                "instance-profile",
                "iam_instance_profile",
                f"instance profile {profile} must allow s3:GetObject on "
                "the staging bucket, AmazonSSMManagedInstanceCore and EC2InstanceProfileForImageBuilder",
            )
    else:
        statements = list(_statements(policy)) + extra_role_policy
        inline = {"Version": "2012-10-17", "Statement": statements} if statements else None
        role = RoleSpec(_role_name(base_name), inline)
        infrastructure["instanceProfileName"] = role.name
        rows.append(
            (
                "temporary_iam_instance_profile_policy_document" if policy else "(no instance profile)",
                f"IAM role and instance profile {role.name} (AmazonSSMManagedInstanceCore, "
                "EC2InstanceProfileForImageBuilder" + (", inline policy)" if inline else ")"),
            )
        )
    if config.get("subnet_id"):
        infrastructure["subnetId"] = str(config["subnet_id"])
        rows.append(("subnet_id", "infrastructure subnetId"))
    groups = [str(g) for g in config.get("security_group_ids") or []]
    if config.get("security_group_id") and str(config["security_group_id"]) not in groups:
        groups.insert(0, str(config["security_group_id"]))
    if groups:
        infrastructure["securityGroupIds"] = groups
        rows.append(("security_group_ids", "infrastructure securityGroupIds"))
    if config.get("ssh_keypair_name"):
        infrastructure["keyPair"] = str(config["ssh_keypair_name"])
        rows.append(("ssh_keypair_name", "infrastructure keyPair"))
    run_tags = _tags(config.get("run_tags") or {}, values, warn, "run_tags")
    if run_tags:
        infrastructure["resourceTags"] = run_tags
        rows.append(("run_tags", "infrastructure resourceTags"))
    metadata = (config.get("metadata_options") or {}) if "metadata_options" in raw else {}  # not the defaults
    options = _set_options(
        metadata, {"http_tokens": ("httpTokens", str), "http_put_response_hop_limit": ("httpPutResponseHopLimit", int)}
    )
    if options:
        infrastructure["instanceMetadataOptions"] = options
        rows.append(("metadata_options", "infrastructure instanceMetadataOptions"))
    placement = _set_options(config, {"availability_zone": ("availabilityZone", str), "tenancy": ("tenancy", str)})
    if placement:
        infrastructure["placement"] = placement
        rows.append(("availability_zone / tenancy", "infrastructure placement"))
    infrastructure["terminateInstanceOnFailure"] = True

    # distribution --------------------------------------------------------------------------------------------------
    raw_name = str(raw.get("ami_name") or config.get("ami_name") or "")
    translated = values.translate(raw_name)
    for key in translated.unknown:
        warn("build-variable", "ami_name", f"ami_name: build variable {key} has no Image Builder equivalent; left out")
    name, notes = ami_name(translated)
    rows.append(
        ("ami_name", f"amiDistributionConfiguration.name {name!r}" + (f" ({'; '.join(notes)})" if notes else ""))
    )
    ami: dict[str, Any] = {"name": name}
    raw_description = str(raw.get("ami_description") or config.get("ami_description") or "")
    if raw_description:
        described = values.translate(raw_description)
        for key in described.unknown:
            warn(
                "build-variable",
                "ami_description",
                f"ami_description: build variable {key} has no Image Builder equivalent; left out",
            )
        if described.value.strip():
            ami["description"] = described.value[:1024]
            rows.append(("ami_description", "amiDistributionConfiguration.description"))
    tags = _tags(config.get("tags") or {}, values, warn, "tags")
    if tags:
        ami["amiTags"] = tags
        rows.append(("tags", "amiDistributionConfiguration.amiTags"))
    permission: dict[str, Any] = {}
    for option, member in (
        ("ami_users", "userIds"),
        ("ami_groups", "userGroups"),
        ("ami_org_arns", "organizationArns"),
        ("ami_ou_arns", "organizationalUnitArns"),
    ):
        if config.get(option):
            permission[member] = [str(v) for v in config[option]]
            rows.append((option, f"amiDistributionConfiguration.launchPermission.{member}"))
    if permission:
        ami["launchPermission"] = permission
    kms = str(config.get("kms_key_id") or "")
    if config.get("encrypt_boot") and not kms:
        kms = "alias/aws/ebs"
    region_keys = {str(k): str(v) for k, v in (config.get("region_kms_key_ids") or {}).items()}
    if kms:
        rows.append(("kms_key_id / encrypt_boot", "amiDistributionConfiguration.kmsKeyId"))
    regions = [region] + [str(r) for r in config.get("ami_regions") or [] if str(r) != region]
    if len(regions) > 1:
        rows.append(("ami_regions", "one distributions entry per region"))
    distributions = []
    for target in regions:
        entry = dict(ami)
        key = region_keys.get(target) or (kms if target == region or not region_keys else "")
        if key:
            entry["kmsKeyId"] = key
        distributions.append({"region": target, "amiDistributionConfiguration": entry})
    distribution = {"name": base_name, "description": description, "distributions": distributions}

    pipeline = {
        "name": base_name,
        "description": description,
        "imageRecipeArn": stand_in_arn("image-recipe", region, base_name, "1.0.0"),
        "infrastructureConfigurationArn": stand_in_arn("infrastructure-configuration", region, base_name),
        "distributionConfigurationArn": stand_in_arn("distribution-configuration", region, base_name),
        "imageTestsConfiguration": {"imageTestsEnabled": has_tests, "timeoutMinutes": 60},
        "status": "ENABLED",
    }

    for key in raw:
        if key in MAPPED or key in IGNORED or key.startswith(("ssh_", "winrm_")):
            continue
        warn("builder-option", key, f"amazon-ebs {key} has no Image Builder equivalent: not exported")
    return BuilderMapping(recipe, infrastructure, distribution, pipeline, role, region, warnings, rows)


def _set_options(source: Mapping[str, Any], fields: Mapping[str, tuple[str, Callable[[Any], Any]]]) -> dict[str, Any]:
    """An Image Builder sub-object from the Packer options set (non-empty) in ``source``: ``fields`` maps each
    option to its Image Builder name and the conversion of its value. Options left unset are left out, so an empty
    result means the whole sub-object is left out."""
    return {name: convert(source[key]) for key, (name, convert) in fields.items() if source.get(key)}


def _statements(policy: object) -> list[dict[str, Any]]:
    if not isinstance(policy, dict):
        return []
    out = []
    for statement in policy.get("Statement") or []:
        if isinstance(statement, dict):
            out.append({k: v for k, v in statement.items() if v not in (None, "", [])})
    return out


def _role_name(base: str) -> str:
    import re

    return ("packer-py-" + re.sub(r"[^\w+=,.@-]", "-", base))[:64]


def _tags(
    tags: dict[str, Any], values: BuildValues, warn: Callable[[str, str, str], None], option: str
) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tags.items():
        key_t = values.translate(str(key))
        value_t = values.translate(str(value))
        unknown = key_t.unknown + value_t.unknown
        if unknown:
            warn(
                "build-variable",
                option,
                f"{option} {key!r}: build variable {', '.join(unknown)} has no Image Builder equivalent; tag left out",
            )
            continue
        out[key_t.value] = value_t.value[:256]
    return out


def _block_devices(devices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for device in devices:
        item: dict[str, Any] = {}
        if device.get("device_name"):
            item["deviceName"] = str(device["device_name"])
        if device.get("virtual_name"):
            item["virtualName"] = str(device["virtual_name"])
        if device.get("no_device"):
            item["noDevice"] = ""
            out.append(item)
            continue
        ebs: dict[str, Any] = {}
        for src, dst in (("volume_size", "volumeSize"), ("iops", "iops"), ("throughput", "throughput")):
            if device.get(src):
                ebs[dst] = int(device[src])
        if device.get("volume_type"):
            ebs["volumeType"] = str(device["volume_type"])
        if device.get("snapshot_id"):
            ebs["snapshotId"] = str(device["snapshot_id"])
        if device.get("kms_key_id"):
            ebs["kmsKeyId"] = str(device["kms_key_id"])
        if device.get("encrypted") is not None and "encrypted" in device:
            ebs["encrypted"] = bool(device["encrypted"])
        ebs["deleteOnTermination"] = bool(device.get("delete_on_termination"))
        item["ebs"] = ebs
        out.append(item)
    return out
