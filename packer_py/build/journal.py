"""A journal of every temporary resource a build creates, kept on disk while it exists.

A step records a resource the moment the create call returns (before any wait) and clears it once the delete call
succeeded. The file is rewritten atomically on each change, so after a crash (power loss, ``kill -9``) it still lists
what may have leaked, with enough to delete it by hand (kind, id, region). A build that cleaned up fully leaves an
empty journal, which is then removed.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Resource:
    kind: str  # "key_pair", "security_group", "iam_role", "instance", ...
    id: str
    region: str = ""
    detail: str = ""


class Journal:
    def __init__(self, path: Path | None) -> None:
        """``path=None`` keeps the journal in memory only (tests, validate)."""
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str, str], dict[str, object]] = {}

    def record(self, resource: Resource) -> None:
        with self._lock:
            entry: dict[str, object] = asdict(resource)
            entry["created_at"] = time.time()
            self._entries[(resource.kind, resource.id, resource.region)] = entry
            self._flush()

    def clear(self, resource: Resource) -> None:
        with self._lock:
            self._entries.pop((resource.kind, resource.id, resource.region), None)
            self._flush()

    def outstanding(self) -> list[Resource]:
        with self._lock:
            return [
                Resource(str(e["kind"]), str(e["id"]), str(e["region"]), str(e["detail"]))
                for e in self._entries.values()
            ]

    def _flush(self) -> None:
        if self.path is None:
            return
        if not self._entries:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".journal.")
        with os.fdopen(fd, "w") as f:
            json.dump(list(self._entries.values()), f, indent=2)
        os.replace(tmp, self.path)

    @staticmethod
    def read(path: Path) -> list[Resource]:
        data = json.loads(path.read_text())
        return [Resource(e["kind"], e["id"], e.get("region", ""), e.get("detail", "")) for e in data]


def journal_dir(environ: dict[str, str] | None = None) -> Path:
    """Where journals live: ``$PACKER_PY_JOURNAL_DIR``, else ``~/.packer-py/journal``."""
    env = environ if environ is not None else dict(os.environ)
    if env.get("PACKER_PY_JOURNAL_DIR"):
        return Path(env["PACKER_PY_JOURNAL_DIR"])
    return Path(env.get("HOME", "~")).expanduser() / ".packer-py" / "journal"
