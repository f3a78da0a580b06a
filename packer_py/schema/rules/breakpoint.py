"""The breakpoint provisioner's ``Prepare``: decoding is all it does (provisioner/breakpoint, Packer 1.6.6)."""

from __future__ import annotations

from packer_py.schema.rules.outcome import Prepared, RuleEnv


def prepare(cfg: dict[str, object], env: RuleEnv) -> Prepared:
    return Prepared(cfg)
