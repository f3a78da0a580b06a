"""``hcl2_upgrade -recursive DIR``: every JSON template under a folder, upgraded in one process.

Packer upgrades one file per run, and a run costs a process start plus plugin discovery; teams with hundreds of
templates pay that hundreds of times. Here one process walks the folder, upgrades each JSON template next to itself
(``<template>.pkr.hcl``, Packer's default name) and reports a table: which files were upgraded, how many warnings
each produced, and which failed and why.

A ``.json`` file is taken for a template when it holds a JSON object with a ``builders`` key; var-files, manifests
and other JSON are skipped (and counted as such).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from packer_py.errors import PackerPyError
from packer_py.translate.hcl2_upgrade import FileUpgrade, UpgradeOptions, default_output_path, upgrade_file

__all__ = ["BatchEntry", "BatchReport", "find_templates", "upgrade_tree"]


@dataclass
class BatchEntry:
    path: str
    upgrade: FileUpgrade | None = None
    error: str | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        assert self.upgrade is not None
        return "upgraded" if not self.upgrade.result.untranslated else "partial"


@dataclass
class BatchReport:
    root: str
    entries: list[BatchEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def failures(self) -> int:
        return sum(1 for e in self.entries if e.error is not None)

    @property
    def upgraded(self) -> int:
        return sum(1 for e in self.entries if e.error is None)

    @property
    def warnings(self) -> int:
        return sum(len(e.upgrade.result.warnings) for e in self.entries if e.upgrade is not None)

    def table(self) -> str:
        """The summary: one row per template, then the totals."""
        rows = [("TEMPLATE", "RESULT", "WARNINGS", "UNTRANSLATED", "OUTPUT")]
        for e in self.entries:
            name = os.path.relpath(e.path, self.root)
            if e.upgrade is not None:
                res = e.upgrade.result
                out = os.path.relpath(e.upgrade.output_path, self.root)
                rows.append((name, e.status, str(len(res.warnings)), str(res.untranslated), out))
            else:
                rows.append((name, e.status, "-", "-", (e.error or "").splitlines()[0] if e.error else ""))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows]
        lines = [line.rstrip() for line in lines]
        lines.append("")
        lines.append(
            f"{len(self.entries)} templates: {self.upgraded} upgraded "
            f"({sum(1 for e in self.entries if e.status == 'partial')} with untranslated parts), "
            f"{self.warnings} warnings, {self.failures} failed; {len(self.skipped)} other JSON files skipped"
        )
        return "\n".join(lines)


def _is_template(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "builders" in data


def find_templates(root: str) -> Iterator[tuple[str, bool]]:
    """Every ``.json`` file under ``root`` (sorted, hidden folders skipped) and whether it is a template."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".json") and not name.endswith(".pkr.json"):
                path = Path(dirpath) / name
                yield str(path), _is_template(path)


def upgrade_tree(root: str, options: UpgradeOptions | None = None) -> BatchReport:
    """Upgrade every JSON template under ``root`` next to itself; one failure does not stop the others."""
    report = BatchReport(root)
    for path, is_template in find_templates(root):
        if not is_template:
            report.skipped.append(path)
            continue
        entry = BatchEntry(path)
        try:
            entry.upgrade = upgrade_file(path, default_output_path(path), options=options)
        except PackerPyError as exc:
            entry.error = str(exc)
        report.entries.append(entry)
    return report
