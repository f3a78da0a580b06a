"""Local file checks worded as Go's ``os.Stat`` errors (``stat x.sh: no such file or directory``).

Packer checks scripts, sources, playbooks and key files while preparing, relative to the directory Packer runs in
(not the template's directory), and prints the path as written in the template.
"""

from __future__ import annotations

import errno
import os
import pwd
from dataclasses import dataclass
from pathlib import Path

from packer_py.schema.rules.outcome import RuleEnv


@dataclass(frozen=True)
class StatResult:
    error: str | None
    """``err.Error()`` of Go's ``os.Stat(path)``, or None when the path exists."""
    is_dir: bool = False


def _go_errno_text(code: int) -> str:
    """Go's syscall error strings are glibc's with a lower-case first letter."""
    text = os.strerror(code)
    return text[:1].lower() + text[1:]


def stat(path: str, env: RuleEnv) -> StatResult:
    if path == "":
        return StatResult(f"stat : {_go_errno_text(errno.ENOENT)}")
    try:
        info = (env.cwd / path).stat()
    except OSError as exc:
        return StatResult(f"stat {path}: {_go_errno_text(exc.errno or errno.ENOENT)}")
    import stat as stat_module

    return StatResult(None, stat_module.S_ISDIR(info.st_mode))


def expand_user(path: str) -> str:
    """``pathing.ExpandUser``: ``~`` and ``~name`` from the passwd database; raises LookupError with Go's text."""
    if not path.startswith("~"):
        return path
    cut = min((i for i in (path.find("/"), path.find("\\")) if i != -1), default=len(path))
    name, rest = path[:cut], path[cut:]
    try:
        entry = pwd.getpwuid(os.getuid()) if name == "~" else pwd.getpwnam(name[1:])
    except KeyError:
        raise LookupError(f"user: unknown user {name[1:]}") from None
    return str(Path(entry.pw_dir) / rest.lstrip("/\\")) if rest.strip("/\\") else entry.pw_dir


def read_bytes(path: str, env: RuleEnv) -> bytes:
    return (env.cwd / path).read_bytes()
