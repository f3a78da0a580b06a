"""``RunConfig.Prepare`` (builder/amazon/common/run_config.go, Packer 1.6.6), plus the newest plugin's
``metadata_options`` and ``placement`` checks in non-strict mode.

Defaults first (a temporary key pair ``packer_<uuid>`` when no key, key pair or password is given; 20m windows
password timeout; ``stop``; ``0.0.0.0/0``), then the communicator's checks, then the run checks in Packer's order.
"""

from __future__ import annotations

import ipaddress
import re

from packer_py.goparse import MINUTE, Duration
from packer_py.schema.rules import communicator
from packer_py.schema.rules.amazon.ami import copy_on
from packer_py.schema.rules.files import stat
from packer_py.schema.rules.outcome import Checks, RuleEnv, str_list

E_SSH_INTERFACE = "E240"
E_SSM_WINRM = "E241"
E_SSM_PROFILE = "E242"
E_KEYPAIR_WINRM = "E243"
E_KEYPAIR_KEY = "E244"
E_SOURCE_AMI = "E245"
E_FILTER_OWNER = "E246"
E_INSTANCE_TYPE = "E247"
E_INSTANCE_TYPE_BOTH = "E248"
E_BLOCK_DURATION = "E249"
E_SPOT_TAGS = "E250"
E_USER_DATA_BOTH = "E251"
E_USER_DATA_FILE = "E252"
E_SECURITY_GROUP_BOTH = "E253"
E_CIDR = "E254"
E_SHUTDOWN_BEHAVIOR = "E255"
E_T2_SPOT = "E256"
E_T2_TYPE_FORMAT = "E257"
E_T2_NOT_T2 = "E258"
E_TENANCY = "E259"
E_KEY_PAIR_TYPE = "E260"
E_METADATA_HTTP_ENDPOINT = "E261"
E_METADATA_HTTP_TOKENS = "E262"
E_METADATA_HOP_LIMIT = "E263"
E_METADATA_TAGS = "E264"
E_PLACEMENT_HOST = "E265"
E_PLACEMENT_TENANCY = "E266"

SSH_INTERFACES = ("public_ip", "private_ip", "public_dns", "private_dns", "session_manager", "")


def cidr_error(text: str) -> str | None:
    """``net.ParseCIDR``: ``address/prefix`` only (no netmask form), prefix in range."""
    address, sep, prefix = text.partition("/")
    try:
        ip = ipaddress.ip_address(address) if sep else None
    except ValueError:
        ip = None
    if ip is None or not re.fullmatch(r"[0-9]+", prefix) or int(prefix) > ip.max_prefixlen:
        return f"invalid CIDR address: {text}"
    return None


def _copy_filter(filter_cfg: object, name_key: str) -> None:
    """``KeyValueFilter.Prepare`` / ``NameValueFilter.Prepare``: singular ``filter`` blocks join ``filters``."""
    assert isinstance(filter_cfg, dict)
    pairs = filter_cfg["filter"]
    if pairs:
        merged = dict(filter_cfg["filters"] or {})
        for pair in pairs:
            merged[pair[name_key]] = pair["value"]
        filter_cfg["filters"] = merged


def prepare(cfg: dict[str, object], checks: Checks, env: RuleEnv) -> None:
    if not (
        cfg["ssh_keypair_name"] or cfg["temporary_key_pair_name"] or cfg["ssh_private_key_file"] or cfg["ssh_password"]
    ):
        cfg["temporary_key_pair_name"] = f"packer_{env.new_uuid()}"
    if cfg["windows_password_timeout"] == 0:
        cfg["windows_password_timeout"] = Duration(20 * MINUTE)
    if cfg["run_tags"] is None:
        cfg["run_tags"] = {}

    communicator.prepare(cfg, checks, env)
    if not env.strict_1_6_6:
        _prepare_newest_metadata(cfg, checks)

    cfg["run_tags"] = copy_on(cfg["run_tags"], cfg["run_tag"])
    cfg["spot_tags"] = copy_on(cfg["spot_tags"], cfg["spot_tag"])
    _copy_filter(cfg["source_ami_filter"], "key")
    for option in ("security_group_filter", "subnet_filter", "vpc_filter"):
        _copy_filter(cfg[option], "name")

    interface = cfg["ssh_interface"]
    if interface not in SSH_INTERFACES:
        checks.error(E_SSH_INTERFACE, f"Unknown interface type: {interface}", "ssh_interface")
    if interface == "session_manager":
        if cfg["communicator"] == "winrm":
            checks.error(
                E_SSM_WINRM,
                'session_manager connectivity is not supported with the "winrm" communicator; please use "ssh"',
                "ssh_interface",
            )
        if cfg["iam_instance_profile"] == "" and cfg["temporary_iam_instance_profile_policy_document"] is None:
            checks.error(
                E_SSM_PROFILE,
                "no iam_instance_profile defined; session_manager connectivity requires a valid instance profile "
                "with AmazonSSMManagedInstanceCore permissions. Alternatively a "
                "temporary_iam_instance_profile_policy_document can be used.",
                "ssh_interface",
            )
    if cfg["ssh_keypair_name"]:
        if cfg["communicator"] == "winrm" and cfg["winrm_password"] == "" and cfg["ssh_private_key_file"] == "":
            checks.error(
                E_KEYPAIR_WINRM,
                "ssh_private_key_file must be provided to retrieve the winrm password when using ssh_keypair_name.",
                "ssh_keypair_name",
            )
        elif cfg["ssh_private_key_file"] == "" and not cfg["ssh_agent_auth"]:
            checks.error(
                E_KEYPAIR_KEY,
                "ssh_private_key_file must be provided or ssh_agent_auth enabled when ssh_keypair_name is specified.",
                "ssh_keypair_name",
            )

    ami_filter = cfg["source_ami_filter"]
    assert isinstance(ami_filter, dict)
    no_owner = not ami_filter["owners"]
    if cfg["source_ami"] == "" and no_owner and not ami_filter["filters"]:
        checks.error(E_SOURCE_AMI, "A source_ami or source_ami_filter must be specified", "source_ami")
    if cfg["source_ami"] == "" and no_owner:
        checks.error(
            E_FILTER_OWNER, "For security reasons, your source AMI filter must declare an owner.", "source_ami_filter"
        )
    if cfg["instance_type"] == "" and not cfg["spot_instance_types"]:
        checks.error(E_INSTANCE_TYPE, "either instance_type or spot_instance_types must be specified", "instance_type")
    if cfg["instance_type"] != "" and cfg["spot_instance_types"]:
        checks.error(
            E_INSTANCE_TYPE_BOTH,
            "either instance_type or spot_instance_types must be specified, not both",
            "spot_instance_types",
        )
    block_duration = cfg["block_duration_minutes"]
    assert isinstance(block_duration, int)
    if block_duration % 60 != 0:  # zero remainders agree between Go and Python
        checks.error(E_BLOCK_DURATION, "block_duration_minutes must be multiple of 60", "block_duration_minutes")
    if cfg["spot_tags"] is not None and cfg["spot_price"] in ("", "0"):
        checks.error(E_SPOT_TAGS, "spot_tags should not be set when not requesting a spot instance", "spot_tags")
    user_data_file = cfg["user_data_file"]
    assert isinstance(user_data_file, str)
    if cfg["user_data"] != "" and user_data_file != "":
        checks.error(E_USER_DATA_BOTH, "Only one of user_data or user_data_file can be specified.", "user_data_file")
    elif user_data_file != "" and stat(user_data_file, env).error is not None:
        checks.error(E_USER_DATA_FILE, f"user_data_file not found: {user_data_file}", "user_data_file")
    if cfg["security_group_id"] != "":
        if cfg["security_group_ids"]:
            checks.error(
                E_SECURITY_GROUP_BOTH,
                "Only one of security_group_id or security_group_ids can be specified.",
                "security_group_ids",
            )
        else:
            cfg["security_group_ids"] = [cfg["security_group_id"]]
            cfg["security_group_id"] = ""
    cidrs = cfg["temporary_security_group_source_cidrs"]
    public_ip = not env.strict_1_6_6 and bool(cfg.get("temporary_security_group_source_public_ip"))
    if not cidrs and not public_ip:
        cfg["temporary_security_group_source_cidrs"] = ["0.0.0.0/0"]
    else:
        for index, cidr in enumerate(str_list(cfg, "temporary_security_group_source_cidrs")):
            problem = cidr_error(cidr)
            if problem is not None:
                checks.error(
                    E_CIDR,
                    f"Error parsing CIDR in temporary_security_group_source_cidrs: {problem}",
                    "temporary_security_group_source_cidrs",
                    index,
                )
    if cfg["shutdown_behavior"] == "":
        cfg["shutdown_behavior"] = "stop"
    elif cfg["shutdown_behavior"] not in ("stop", "terminate"):
        checks.error(
            E_SHUTDOWN_BEHAVIOR, "shutdown_behavior only accepts 'stop' or 'terminate' values.", "shutdown_behavior"
        )
    if cfg["enable_t2_unlimited"]:
        instance_type = cfg["instance_type"]
        assert isinstance(instance_type, str)
        if cfg["spot_price"] != "":
            checks.error(
                E_T2_SPOT,
                "Error: T2 Unlimited cannot be used in conjunction with Spot Instances",
                "enable_t2_unlimited",
            )
        dot = instance_type.find(".")
        if dot == -1:
            checks.error(
                E_T2_TYPE_FORMAT, f"Error determining main Instance Type from: {instance_type}", "instance_type"
            )
        elif instance_type[:dot] != "t2":
            checks.error(
                E_T2_NOT_T2,
                f"Error: T2 Unlimited enabled with a non-T2 Instance Type: {instance_type}",
                "instance_type",
            )
    if cfg["tenancy"] not in ("", "default", "dedicated", "host"):
        checks.error(E_TENANCY, f"Error: Unknown tenancy type {cfg['tenancy']}", "tenancy")
    if not env.strict_1_6_6:
        _prepare_newest_placement(cfg, checks)


def _prepare_newest_metadata(cfg: dict[str, object], checks: Checks) -> None:
    """Newest packer-plugin-amazon: IMDS defaults and checks, and the temporary key pair type."""
    if cfg["temporary_key_pair_type"] == "":
        cfg["temporary_key_pair_type"] = "rsa"
    metadata = cfg.get("metadata_options")
    assert isinstance(metadata, dict)
    for key, default in (
        ("http_endpoint", "enabled"),
        ("http_tokens", "optional"),
        ("instance_metadata_tags", "disabled"),
    ):
        if metadata[key] == "":
            metadata[key] = default
    if metadata["http_put_response_hop_limit"] == 0:
        metadata["http_put_response_hop_limit"] = 1
    if cfg["temporary_key_pair_type"] not in ("rsa", "ed25519"):
        checks.error(
            E_KEY_PAIR_TYPE,
            "temporary_key_pair_type requires either rsa or ed25519 as its value",
            "temporary_key_pair_type",
        )
    if metadata["http_endpoint"] not in ("enabled", "disabled"):
        checks.error(
            E_METADATA_HTTP_ENDPOINT,
            "http_endpoint requires either disabled or enabled as its value",
            "metadata_options",
            "http_endpoint",
        )
    if metadata["http_tokens"] not in ("optional", "required"):
        checks.error(
            E_METADATA_HTTP_TOKENS,
            "http_tokens requires either optional or required as its value",
            "metadata_options",
            "http_tokens",
        )
    hops = metadata["http_put_response_hop_limit"]
    assert isinstance(hops, int)
    if not 1 <= hops <= 64:
        checks.error(
            E_METADATA_HOP_LIMIT,
            "http_put_response_hop_limit requires a number between 1 and 64",
            "metadata_options",
            "http_put_response_hop_limit",
        )
    if metadata["instance_metadata_tags"] not in ("enabled", "disabled"):
        checks.error(
            E_METADATA_TAGS,
            "instance_metadata_tags requires either disabled or enabled as its value",
            "metadata_options",
            "instance_metadata_tags",
        )


def _prepare_newest_placement(cfg: dict[str, object], checks: Checks) -> None:
    placement = cfg.get("placement")
    assert isinstance(placement, dict)
    if placement["host_id"] and placement["host_resource_group_arn"]:
        checks.error(
            E_PLACEMENT_HOST,
            "The `host_id` and `host_resource_group_arn` settings cannot be specified at the same time.",
            "placement",
        )
    if (placement["host_id"] or placement["host_resource_group_arn"]) and placement["tenancy"] not in ("", "host"):
        checks.error(
            E_PLACEMENT_TENANCY,
            "The tenancy should be `host` if either the `host_id` or `host_resource_group_arn` attributes are "
            "specified.",
            "placement",
            "tenancy",
        )
