"""A stand-in communicator for run-component tests: commands run with bash on this machine.

It implements ``packer_py.build.interfaces.Communicator`` as the SSH communicator does (streamed lines, exit
status as data, ``put`` of a file object with a mode); documents in these tests only touch a temporary folder.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO


@dataclass(frozen=True)
class Result:
    command: str
    exit_status: int | None


@dataclass
class LocalCommunicator:
    commands: list[str] = field(default_factory=list)
    reboots: int = 0

    def run(
        self,
        command: str,
        *,
        on_stdout: Callable[[str], None],
        on_stderr: Callable[[str], None],
        pty: bool = False,
        timeout: float | None = None,
    ) -> Result:
        self.commands.append(command)
        if "shutdown -r now" in command:
            self.reboots += 1
            return Result(command, None)
        try:
            done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            from packer_py.errors import BuildError

            raise BuildError(f"command timed out after {timeout}s") from None
        for line in done.stdout.splitlines():
            on_stdout(line)
        for line in done.stderr.splitlines():
            on_stderr(line)
        return Result(command, done.returncode)

    def put(self, src: Any, dest: str, *, mode: int | None = None) -> None:
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "wb") as out:
            if isinstance(src, (str, Path)):
                out.write(Path(src).read_bytes())
            else:
                shutil.copyfileobj(src, out)
        if mode is not None:
            Path(dest).chmod(mode)

    def put_dir(self, src: Path, dest: str, *, contents_only: bool) -> None:
        raise NotImplementedError

    def get(self, src: str, dest: BinaryIO | Any) -> None:
        data = Path(src).read_bytes()
        if isinstance(dest, io.IOBase) or hasattr(dest, "write"):
            dest.write(data)
        else:
            Path(dest).write_bytes(data)

    def get_dir(self, src: str, dest: Path) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def reconnect(self) -> None:
        pass
