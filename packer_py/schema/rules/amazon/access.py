"""``AccessConfig.Prepare`` (builder/amazon/common/access_config.go, Packer 1.6.6).

Packer reads Vault credentials while *preparing* when ``vault_aws_engine`` is set; packer-py does not contact Vault
at validate time and reports what Packer reports when no Vault server answers (the default address,
``https://127.0.0.1:8200``, with nothing listening).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from packer_py.schema.rules.outcome import Checks, RuleEnv

E_VAULT_WITH_KEYS = "E200"
E_VAULT_READ = "E201"
E_KEY_PAIRING = "E202"


def prepare(cfg: dict[str, object], checks: Checks, env: RuleEnv) -> None:
    vault = cfg["vault_aws_engine"]
    assert isinstance(vault, dict)
    if any(vault[k] for k in ("name", "role_arn", "engine_name", "ttl")):
        if cfg["access_key"]:
            checks.error(
                E_VAULT_WITH_KEYS,
                "If you have set vault_aws_engine, you must not set the access_key or secret_key.",
                "vault_aws_engine",
            )
        engine = vault["engine_name"] or "aws"
        vault["engine_name"] = engine
        address = env.environ.get("VAULT_ADDR") or "https://127.0.0.1:8200"
        parts = urlsplit(address)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        checks.error(
            E_VAULT_READ,
            f'Error reading vault secret: Get "{address.rstrip("/")}/v1/{engine}/creds/{vault["name"]}": '
            f"dial tcp {parts.hostname}:{port}: connect: connection refused",
            "vault_aws_engine",
        )
    if bool(cfg["access_key"]) != bool(cfg["secret_key"]):
        checks.error(
            E_KEY_PAIRING,
            "`access_key` and `secret_key` must both be either set or not set.",
            "access_key" if cfg["access_key"] else "secret_key",
        )
    if cfg["aws_polling"] is None:
        cfg["aws_polling"] = {"max_attempts": 0, "delay_seconds": 0}
    if cfg["max_retries"] == 0:
        cfg["max_retries"] = 10
