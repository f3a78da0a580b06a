"""``AMIConfig.Prepare`` (builder/amazon/common/ami_config.go, Packer 1.6.6), plus newest plugin checks of options
1.6.6 does not know (``imds_support``, ``deprecate_at``, ``deregistration_protection``) in non-strict mode.

Order matters and is Packer's: name required, KMS regions, sharing of default-KMS-encrypted images, KMS key format,
snapshot sharing, name length, name characters. Go iterates ``region_kms_key_ids`` in random order; packer-py uses
the template's order, which only matters when several regions are wrong.
"""

from __future__ import annotations

import re
from datetime import datetime

from packer_py.schema.rules.outcome import Checks, RuleEnv

E_NAME_REQUIRED = "E210"
E_KMS_REGION_NOT_IN_AMI_REGIONS = "E211"
E_AMI_REGION_NOT_IN_KMS_REGIONS = "E212"
E_SHARE_DEFAULT_KMS = "E213"
E_SHARE_DEFAULT_KMS_REGIONS = "E214"
E_KMS_WITHOUT_ENCRYPT_BOOT = "E215"
E_KMS_KEY_FORMAT = "E216"
E_SHARE_SNAPSHOT_DEFAULT_KMS = "E217"
E_SHARE_SNAPSHOT_DEFAULT_KMS_REGIONS = "E218"
E_NAME_LENGTH = "E219"
E_NAME_CHARACTERS = "E220"
E_IMDS_SUPPORT = "E221"
E_DEPRECATE_AT = "E222"

_ALLOWED_NAME_BYTES = frozenset(b"()[] ./-'@_")
_KMS_ID = r"[a-f0-9-]+\Z"
_KMS_ALIAS = r"alias/[a-zA-Z0-9:/_-]+\Z"
_KMS_ARN = r"arn:aws(-us-gov)?:kms:([a-z]{2}-(gov-)?[a-z]+-[0-9]{1})?:([0-9]{12}):"
_KMS_PATTERNS = tuple(re.compile(p) for p in (_KMS_ID, _KMS_ALIAS, _KMS_ARN + "key/" + _KMS_ID, _KMS_ARN + _KMS_ALIAS))


def clean_resource_name(name: str) -> str:
    """amazon's ``clean_resource_name`` template function: every byte outside ``[A-Za-z0-9()[] ./-'@_]`` -> ``-``."""
    data = name.encode("utf-8")
    return "".join(chr(b) if (chr(b).isascii() and chr(b).isalnum()) or b in _ALLOWED_NAME_BYTES else "-" for b in data)


def valid_kms_key(key: str) -> bool:
    """``ValidateKmsKey``: a key id, an alias, or the ARN of either."""
    return any(p.match(key) for p in _KMS_PATTERNS)


def copy_on(tags: object, pairs: object) -> object:
    """``KeyValues.CopyOn``: the singular ``tag`` blocks are merged into the ``tags`` map (created if needed)."""
    if not pairs:
        return tags
    merged = dict(tags) if isinstance(tags, dict) else {}
    for pair in pairs:  # type: ignore[attr-defined]
        merged[pair["key"]] = pair["value"]
    return merged


def prepare(cfg: dict[str, object], checks: Checks, env: RuleEnv) -> None:
    cfg["snapshot_tags"] = copy_on(cfg["snapshot_tags"], cfg["snapshot_tag"])
    cfg["tags"] = copy_on(cfg["tags"], cfg["tag"])
    name = cfg["ami_name"]
    assert isinstance(name, str)
    region_keys: dict[str, str] = cfg["region_kms_key_ids"] or {}  # type: ignore[assignment]
    regions: list[str] = cfg["ami_regions"] or []  # type: ignore[assignment]
    kms_key = cfg["kms_key_id"]
    assert isinstance(kms_key, str)
    encrypt_boot = cfg["encrypt_boot"] is True

    if name == "":
        checks.error(E_NAME_REQUIRED, "ami_name must be specified", "ami_name")
    for region in region_keys:
        if region not in regions:
            checks.error(
                E_KMS_REGION_NOT_IN_AMI_REGIONS,
                f"Region {region} is in region_kms_key_ids but not in ami_regions",
                "region_kms_key_ids",
                region,
            )
    _prepare_regions(cfg, checks, regions, region_keys)

    sharing = bool(cfg["ami_users"]) or (
        not env.strict_1_6_6 and bool(cfg.get("ami_org_arns") or cfg.get("ami_ou_arns"))
    )
    if sharing:
        if not kms_key and encrypt_boot:
            checks.error(E_SHARE_DEFAULT_KMS, "Cannot share AMI encrypted with default KMS key", "ami_users")
        for region, key in region_keys.items():
            if not key:
                checks.error(
                    E_SHARE_DEFAULT_KMS_REGIONS,
                    "Cannot share AMI encrypted with default KMS key for other regions",
                    "region_kms_key_ids",
                    region,
                )

    kms_keys: list[tuple[str, tuple[str, ...]]] = []
    if kms_key:
        kms_keys.append((kms_key, ("kms_key_id",)))
    kms_keys.extend((key, ("region_kms_key_ids", region)) for region, key in region_keys.items() if key)
    if kms_keys and not encrypt_boot:
        checks.error(
            E_KMS_WITHOUT_ENCRYPT_BOOT,
            "If you have set either region_kms_key_ids or kms_key_id, encrypt_boot must also be true.",
            "encrypt_boot",
        )
    for key, path in kms_keys:
        if not valid_kms_key(key):
            checks.error(E_KMS_KEY_FORMAT, f'"{key}" is not a valid KMS Key Id.', *path)

    if cfg["snapshot_users"]:
        if not kms_key and not region_keys and encrypt_boot:
            checks.error(
                E_SHARE_SNAPSHOT_DEFAULT_KMS,
                "Cannot share snapshot encrypted with default KMS key, see "
                "https://www.packer.io/docs/builders/amazon-ebs#region_kms_key_ids for more information",
                "snapshot_users",
            )
        for region, key in region_keys.items():
            if not key:
                checks.error(
                    E_SHARE_SNAPSHOT_DEFAULT_KMS_REGIONS,
                    "Cannot share snapshot encrypted with default KMS key",
                    "region_kms_key_ids",
                    region,
                )

    if not 3 <= len(name.encode("utf-8")) <= 128:
        checks.error(E_NAME_LENGTH, "ami_name must be between 3 and 128 characters long", "ami_name")
    if name != clean_resource_name(name):
        checks.error(
            E_NAME_CHARACTERS,
            "AMIName should only contain alphanumeric characters, parentheses (()), square brackets ([]), spaces "
            "( ), periods (.), slashes (/), dashes (-), single quotes ('), at-signs (@), or underscores(_). You can "
            "use the `clean_resource_name` template filter to automatically clean your ami name.",
            "ami_name",
        )
    if not env.strict_1_6_6:
        _prepare_newest(cfg, checks)


def _prepare_regions(cfg: dict[str, object], checks: Checks, regions: list[str], region_keys: dict[str, str]) -> None:
    """``prepareRegions``: de-duplicate ``ami_regions`` and drop the build region (copying there is pointless)."""
    if not regions:
        return
    seen: set[str] = set()
    kept: list[str] = []
    for region in regions:
        if region in seen:
            continue
        seen.add(region)
        if region_keys and region not in region_keys:
            checks.error(
                E_AMI_REGION_NOT_IN_KMS_REGIONS,
                f"Region {region} is in ami_regions but not in region_kms_key_ids",
                "ami_regions",
            )
        if region == cfg["region"]:
            continue
        kept.append(region)
    cfg["ami_regions"] = kept


def _prepare_newest(cfg: dict[str, object], checks: Checks) -> None:
    """Checks newest packer-plugin-amazon makes on options Packer 1.6.6 does not have."""
    imds = cfg.get("imds_support", "")
    if imds not in ("", "v2.0"):
        checks.error(
            E_IMDS_SUPPORT, 'The only valid imds_support values are "v2.0" or the empty string', "imds_support"
        )
    deprecate_at = cfg.get("deprecate_at", "")
    if isinstance(deprecate_at, str) and deprecate_at:
        try:
            datetime.strptime(deprecate_at.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            checks.error(
                E_DEPRECATE_AT,
                f'deprecate_at is not a valid time: "{deprecate_at}". Expect time format: YYYY-MM-DDTHH:MM:SSZ',
                "deprecate_at",
            )
    protection = cfg.get("deregistration_protection")
    if isinstance(protection, dict) and protection.get("with_cooldown"):
        protection["enabled"] = True
