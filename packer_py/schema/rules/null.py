"""The null builder's Prepare (builder/null/config.go, Packer 1.6.6).

After the communicator's own checks, a non-``none`` communicator needs a host, a user and exactly one way to
authenticate. Interpolation in ``config.Decode`` has no exclusions here.
"""

from __future__ import annotations

from packer_py.schema.rules import communicator
from packer_py.schema.rules.outcome import Checks, Prepared, RuleEnv

E_HOST = "E300"
E_USERNAME = "E301"
E_AUTH_MISSING = "E302"
E_AUTH_SEVERAL = "E303"


def prepare(cfg: dict[str, object], env: RuleEnv) -> Prepared:
    checks = Checks()
    communicator.prepare(cfg, checks, env)
    if cfg["communicator"] != "none":
        if communicator.host(cfg) == "":
            checks.error(E_HOST, "a Host must be specified, please reference your communicator documentation")
        if communicator.user(cfg) == "":
            checks.error(E_USERNAME, "a Username must be specified, please reference your communicator documentation")
        if not cfg["ssh_agent_auth"] and communicator.password(cfg) == "" and cfg["ssh_private_key_file"] == "":
            checks.error(
                E_AUTH_MISSING,
                "one authentication method must be specified, please reference your communicator documentation",
            )
        agent = bool(cfg["ssh_agent_auth"])
        has_password = cfg["ssh_password"] != ""
        has_key = cfg["ssh_private_key_file"] != ""
        if (agent and (has_password or has_key)) or (has_password and has_key):
            checks.error(
                E_AUTH_SEVERAL, "only one of ssh_agent_auth, ssh_password, and ssh_private_key_file must be specified"
            )
    return Prepared.from_checks(cfg, checks)
