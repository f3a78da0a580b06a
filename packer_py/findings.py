"""Located validation findings, in the manner of cfn-lint's matches.

A check reports ``(path, code, message)``; ``locate`` turns the document path into a file position. Findings sort by
file, line, column, code and message, so output is stable and duplicates compare equal. ``message`` uses Packer's own
wording wherever Packer has one; the CLI alone decides whether to print it in Packer's layout or as
``file:line:col: code message``.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.template.positions import DocPath, PositionMap


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    col: int
    code: str
    """A stable identifier; the first letter is the severity (E error, W warning). A code is never reused."""
    message: str

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.code} {self.message}"


def locate(path: DocPath, code: str, message: str, positions: PositionMap) -> Finding:
    """Checks speak in document paths; only here do paths become file:line:col."""
    pos = positions.locate(path)
    return Finding(pos.file, pos.line, pos.col, code, message)
