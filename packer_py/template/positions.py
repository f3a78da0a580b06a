"""Document paths and where they sit in the source file.

Checks speak in *document paths* (``("builders", 0, "ami_name")``), as cfn-lint's rules do; only the loader knows
line and column. A loader records the position of every key and value it reads in a ``PositionMap``, and whoever
reports a finding turns its path into a ``Pos`` here. One mechanism serves JSON and HCL2 alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from packer_py.errors import Pos

DocPath = tuple[str | int, ...]


@dataclass
class PositionMap:
    """Positions of the values of one document (a template file or a var-file)."""

    file: str
    _positions: dict[DocPath, Pos] = field(default_factory=dict)

    def record(self, path: DocPath, line: int, col: int) -> None:
        self._positions[path] = Pos(self.file, line, col)

    def merge(self, other: PositionMap, prefix: DocPath = ()) -> None:
        for path, pos in other._positions.items():
            self._positions[prefix + path] = pos

    def locate(self, path: DocPath) -> Pos:
        """The position of ``path``, or of its nearest recorded ancestor (a missing key points at its object)."""
        probe = tuple(path)
        while True:
            pos = self._positions.get(probe)
            if pos is not None:
                return pos
            if not probe:
                return Pos(self.file, 0, 0)
            probe = probe[:-1]

    def __contains__(self, path: DocPath) -> bool:
        return tuple(path) in self._positions

    def __iter__(self) -> Iterator[DocPath]:
        return iter(self._positions)
