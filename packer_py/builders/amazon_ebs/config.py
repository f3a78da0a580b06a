"""The amazon-ebs configuration as the builder uses it: typed, under Packer's own key names.

The input is the dict ``packer_py.schema`` produced (Packer's ``Prepare`` already ran: defaults filled in, ``tag``
blocks merged into ``tags``, filter lists merged into ``filters``, ``-force`` folded into ``force_deregister``,
``temporary_key_pair_name`` chosen). This module only reads it into dataclasses, so that no step indexes a raw dict.
Like Packer's mapstructure decoding, it goes by the fields: each is read under its own name by its declared type's
reader (``_READERS``); ``EbsConfig.from_decoded`` names only the fields read otherwise.

Strings that Packer renders at build time (``ami_description``, ``tags``, ``run_tags``, ``run_volume_tags``,
``snapshot_tags``, ``spot_tags``: the schema's ``x-interpolate-exclude``) arrive unrendered; ``build_info.py``
renders them once the source image is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

NANOSECONDS = 1_000_000_000


def _str(raw: Mapping[str, object], key: str, default: str = "") -> str:
    value = raw.get(key)
    return default if value is None else str(value)


def _int(raw: Mapping[str, object], key: str, default: int = 0) -> int:
    value = raw.get(key)
    return default if value is None else int(value)  # type: ignore[call-overload]


def _bool(raw: Mapping[str, object], key: str) -> bool:
    return bool(raw.get(key) or False)


def _trilean(raw: Mapping[str, object], key: str) -> bool | None:
    """Packer's ``config.Trilean``: unset (None), true or false."""
    value = raw.get(key)
    return None if value is None else bool(value)


def _strings(raw: Mapping[str, object], key: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)  # type: ignore[attr-defined]


def _map(raw: Mapping[str, object], key: str) -> dict[str, str]:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def _sub(raw: Mapping[str, object], key: str) -> Mapping[str, object]:
    value = raw.get(key)
    return value if isinstance(value, Mapping) else {}


def _seconds(raw: Mapping[str, object], key: str) -> float:
    """A Go ``time.Duration`` (nanoseconds) in seconds."""
    return _int(raw, key) / NANOSECONDS


def _read(cls: type[DataclassInstance], raw: Mapping[str, object], **special: object) -> dict[str, Any]:
    """The dataclass ``cls``'s keyword arguments: each field read from ``raw`` under its own name (Packer's key) by
    its declared type's reader, as Packer's mapstructure decoding goes by field type; ``special`` gives the fields
    that Packer reads otherwise (another key too, a sub-object, a default for an empty value)."""
    values: dict[str, Any] = {f.name: _READERS[str(f.type)](raw, f.name) for f in fields(cls) if f.name not in special}
    values.update(special)
    return values


@dataclass(frozen=True)
class AssumeRole:
    role_arn: str = ""
    duration_seconds: int = 0
    external_id: str = ""
    policy: str = ""
    policy_arns: tuple[str, ...] = ()
    session_name: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    transitive_tag_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Polling:
    """``aws_polling``: zero means "not set" (then ``AWS_POLL_DELAY_SECONDS`` / ``AWS_MAX_ATTEMPTS`` apply)."""

    delay_seconds: int = 0
    max_attempts: int = 0


@dataclass(frozen=True)
class Filter:
    """What the ``source_ami_filter`` and ``subnet_filter`` blocks share: ``filters``, and empty without any."""

    filters: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.filters


@dataclass(frozen=True)
class AmiFilter(Filter):
    owners: tuple[str, ...] = ()
    most_recent: bool = False


@dataclass(frozen=True)
class SubnetFilter(Filter):
    most_free: bool = False
    random: bool = False


@dataclass(frozen=True)
class BlockDevice:
    """One ``*_block_device_mappings`` entry (``common.BlockDevice``)."""

    device_name: str = ""
    delete_on_termination: bool = False
    encrypted: bool | None = None
    iops: int = 0
    no_device: bool = False
    snapshot_id: str = ""
    throughput: int = 0
    virtual_name: str = ""
    volume_type: str = ""
    volume_size: int = 0
    kms_key_id: str = ""


@dataclass(frozen=True)
class MetadataOptions:
    """``metadata_options`` (newest Packer; an unknown key in strict 1.6.6 mode)."""

    http_endpoint: str = "enabled"
    http_tokens: str = "optional"
    http_put_response_hop_limit: int = 1
    instance_metadata_tags: str = "disabled"


def _devices(raw: Mapping[str, object], key: str) -> tuple[BlockDevice, ...]:
    value = raw.get(key)
    if not value:
        return ()
    items = [item for item in value if isinstance(item, Mapping)]  # type: ignore[attr-defined]
    return tuple(BlockDevice(**_read(BlockDevice, item)) for item in items)


def _object(cls: type[DataclassInstance]) -> Callable[[Mapping[str, object], str], object]:
    """The reader of a sub-object (``assume_role { ... }``): its own fields read the same way."""
    return lambda raw, key: cls(**_read(cls, _sub(raw, key)))


_READERS: dict[str, Callable[[Mapping[str, object], str], object]] = {
    "str": _str,
    "int": _int,
    "bool": _bool,
    "bool | None": _trilean,
    "float": _seconds,
    "tuple[str, ...]": _strings,
    "dict[str, str]": _map,
    "tuple[BlockDevice, ...]": _devices,
    "AssumeRole": _object(AssumeRole),
    "Polling": _object(Polling),
    "AmiFilter": _object(AmiFilter),
    "SubnetFilter": _object(SubnetFilter),
}


@dataclass(frozen=True)
class EbsConfig:
    # -- packer core ------------------------------------------------------------------------------------------------
    packer_build_name: str = "amazon-ebs"
    packer_debug: bool = False
    packer_force: bool = False
    packer_user_variables: dict[str, str] = field(default_factory=dict)
    packer_template_path: str = ""
    # -- access ---------------------------------------------------------------------------------------------------
    access_key: str = ""
    secret_key: str = ""
    token: str = ""
    profile: str = ""
    shared_credentials_file: str = ""
    region: str = ""
    custom_endpoint_ec2: str = ""
    max_retries: int = 10
    mfa_code: str = ""
    insecure_skip_tls_verify: bool = False
    skip_metadata_api_check: bool = False
    skip_credential_validation: bool = False
    decode_authorization_messages: bool = False
    assume_role: AssumeRole = field(default_factory=AssumeRole)
    vault_aws_engine_name: str = ""
    aws_polling: Polling = field(default_factory=Polling)
    # -- AMI ------------------------------------------------------------------------------------------------------
    ami_name: str = ""
    ami_description: str = ""
    ami_virtualization_type: str = ""
    ami_users: tuple[str, ...] = ()
    ami_groups: tuple[str, ...] = ()
    ami_org_arns: tuple[str, ...] = ()
    ami_ou_arns: tuple[str, ...] = ()
    ami_product_codes: tuple[str, ...] = ()
    ami_regions: tuple[str, ...] = ()
    skip_region_validation: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    ena_support: bool | None = None
    sriov_support: bool = False
    force_deregister: bool = False
    force_delete_snapshot: bool = False
    encrypt_boot: bool | None = None
    kms_key_id: str = ""
    region_kms_key_ids: dict[str, str] = field(default_factory=dict)
    skip_save_build_region: bool = False
    snapshot_tags: dict[str, str] = field(default_factory=dict)
    snapshot_users: tuple[str, ...] = ()
    snapshot_groups: tuple[str, ...] = ()
    ami_block_device_mappings: tuple[BlockDevice, ...] = ()
    # -- run ------------------------------------------------------------------------------------------------------
    associate_public_ip_address: bool = False
    availability_zone: str = ""
    block_duration_minutes: int = 0
    disable_stop_instance: bool = False
    ebs_optimized: bool = False
    enable_t2_unlimited: bool = False
    iam_instance_profile: str = ""
    skip_profile_validation: bool = False
    temporary_iam_instance_profile_policy_document: dict[str, object] | None = None
    shutdown_behavior: str = "stop"
    instance_type: str = ""
    security_group_filter: dict[str, str] = field(default_factory=dict)
    run_tags: dict[str, str] = field(default_factory=dict)
    security_group_ids: tuple[str, ...] = ()
    source_ami: str = ""
    source_ami_filter: AmiFilter = field(default_factory=AmiFilter)
    spot_instance_types: tuple[str, ...] = ()
    spot_price: str = ""
    spot_tags: dict[str, str] = field(default_factory=dict)
    subnet_filter: SubnetFilter = field(default_factory=SubnetFilter)
    subnet_id: str = ""
    tenancy: str = ""
    temporary_security_group_source_cidrs: tuple[str, ...] = ("0.0.0.0/0",)
    user_data: str = ""
    user_data_file: str = ""
    vpc_filter: dict[str, str] = field(default_factory=dict)
    vpc_id: str = ""
    ssh_interface: str = ""
    launch_block_device_mappings: tuple[BlockDevice, ...] = ()
    run_volume_tags: dict[str, str] = field(default_factory=dict)
    no_ephemeral: bool = False
    metadata_options: MetadataOptions | None = None
    # -- communicator ---------------------------------------------------------------------------------------------
    communicator: str = "ssh"
    ssh_host: str = ""
    ssh_port: int = 22
    ssh_username: str = ""
    ssh_password: str = ""
    ssh_keypair_name: str = ""
    temporary_key_pair_name: str = ""
    temporary_key_pair_type: str = ""
    ssh_private_key_file: str = ""
    ssh_agent_auth: bool = False
    ssh_timeout: float = 300.0
    ssh_handshake_attempts: int = 10
    ssh_pty: bool = False
    ssh_keep_alive_interval: float = 5.0
    ssh_read_write_timeout: float = 0.0
    ssh_file_transfer_method: str = "scp"
    ssh_clear_authorized_keys: bool = False
    ssh_ciphers: tuple[str, ...] = ()
    ssh_key_exchange_algorithms: tuple[str, ...] = ()
    ssh_disable_agent_forwarding: bool = False
    ssh_bastion_host: str = ""
    ssh_bastion_port: int = 22
    ssh_bastion_username: str = ""
    ssh_bastion_password: str = ""
    ssh_bastion_private_key_file: str = ""
    ssh_bastion_agent_auth: bool = False
    pause_before_connecting: float = 0.0

    @property
    def is_spot(self) -> bool:
        """``RunConfig.IsSpotInstance``."""
        return self.spot_price not in ("", "0")

    @classmethod
    def from_decoded(cls, raw: Mapping[str, object]) -> EbsConfig:
        """Read the decoded config (``PreparedBuild.builder_config``)."""
        metadata = raw.get("metadata_options")
        policy = raw.get("temporary_iam_instance_profile_policy_document")
        return cls(
            **_read(
                cls,
                raw,
                packer_build_name=_str(raw, "packer_build_name", "amazon-ebs"),
                max_retries=_int(raw, "max_retries", 10) or 10,
                vault_aws_engine_name=_str(_sub(raw, "vault_aws_engine"), "name"),
                force_deregister=_bool(raw, "force_deregister") or _bool(raw, "packer_force"),
                enable_t2_unlimited=_bool(raw, "enable_t2_unlimited") or _bool(raw, "enable_unlimited_credits"),
                temporary_iam_instance_profile_policy_document=dict(policy) if isinstance(policy, Mapping) else None,
                shutdown_behavior=_str(raw, "shutdown_behavior", "stop") or "stop",
                security_group_filter=_map(_sub(raw, "security_group_filter"), "filters"),
                security_group_ids=_strings(raw, "security_group_ids") or _strings(raw, "security_group_id"),
                temporary_security_group_source_cidrs=_strings(raw, "temporary_security_group_source_cidrs")
                or ("0.0.0.0/0",),
                vpc_filter=_map(_sub(raw, "vpc_filter"), "filters"),
                metadata_options=_metadata(metadata) if isinstance(metadata, Mapping) else None,
                communicator=_str(raw, "communicator", "ssh") or "ssh",
                ssh_port=_int(raw, "ssh_port", 22),  # 0 with communicator none: Packer then opens port 0
                ssh_timeout=_seconds(raw, "ssh_timeout") or 300.0,
                ssh_handshake_attempts=_int(raw, "ssh_handshake_attempts", 10) or 10,
                ssh_file_transfer_method=_str(raw, "ssh_file_transfer_method", "scp") or "scp",
                ssh_bastion_port=_int(raw, "ssh_bastion_port", 22) or 22,
            )
        )


def _metadata(raw: Mapping[str, object]) -> MetadataOptions:
    return MetadataOptions(
        http_endpoint=_str(raw, "http_endpoint", "enabled") or "enabled",
        http_tokens=_str(raw, "http_tokens", "optional") or "optional",
        http_put_response_hop_limit=_int(raw, "http_put_response_hop_limit", 1) or 1,
        instance_metadata_tags=_str(raw, "instance_metadata_tags", "disabled") or "disabled",
    )
