"""The file provisioner's ``Prepare`` (provisioner/file/provisioner.go, Packer 1.6.6).

``direction`` defaults to ``upload``; ``source`` is appended to ``sources``; for uploads every source must exist
(relative to the directory Packer runs in) unless ``generated``. Non-strict mode adds the newest ``content``
option: it replaces a source, and may not be combined with one.
"""

from __future__ import annotations

from packer_py.schema.rules.files import stat
from packer_py.schema.rules.outcome import Checks, Prepared, RuleEnv

E_DIRECTION = "E450"
E_BAD_SOURCE = "E451"
E_SOURCE_REQUIRED = "E452"
E_DESTINATION_REQUIRED = "E453"
E_SOURCE_AND_CONTENT = "E454"


def prepare(cfg: dict[str, object], env: RuleEnv) -> Prepared:
    if cfg["direction"] == "":
        cfg["direction"] = "upload"
    checks = Checks()
    if cfg["direction"] not in ("download", "upload"):
        checks.error(E_DIRECTION, "Direction must be one of: download, upload.", "direction")
    sources: list[str] = list(cfg["sources"] or [])  # type: ignore[call-overload]
    from_sources = len(sources)
    if cfg["source"] != "":
        sources.append(str(cfg["source"]))
    cfg["sources"] = sources if (sources or cfg["sources"] is not None) else None
    if cfg["direction"] == "upload":
        for index, src in enumerate(sources):
            problem = stat(src, env).error
            if not cfg["generated"] and problem is not None:
                where = ("sources", index) if index < from_sources else ("source",)
                checks.error(E_BAD_SOURCE, f"Bad source '{src}': {problem}", *where)
    content = "" if env.strict_1_6_6 else cfg.get("content", "")
    if not env.strict_1_6_6 and sources and content:
        checks.error(E_SOURCE_AND_CONTENT, "source(s) conflicts with content.", "content")
    if not sources and not content:
        checks.error(E_SOURCE_REQUIRED, "Source must be specified.", "source")
    if cfg["destination"] == "":
        checks.error(E_DESTINATION_REQUIRED, "Destination must be specified.", "destination")
    return Prepared.from_checks(cfg, checks)
