"""All user-visible text goes through a ``Ui``: Packer's ``say`` / ``message`` / ``error`` / ``machine``.

Keeping every line on one path is what lets us mask secrets everywhere (every rendering of a sensitive value becomes
``<sensitive>``), switch to ``-machine-readable`` lines, and add ``-timestamp-ui`` prefixes, without any command
knowing. Packer writes errors to stdout as well; so do we.

Machine-readable lines are ``UNIX_TS,TARGET,TYPE,DATA...``; in each data field ``,`` becomes ``%!(PACKER_COMMA)``,
a newline becomes the two characters ``\\n`` and a carriage return ``\\r``. Packer 1.6.6 did not mask secrets in that
mode (fixed upstream in 2026); packer-py masks them in every mode.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol, TextIO

from packer_py.errors import PackerPyError

SENSITIVE = "<sensitive>"
_log = logging.getLogger("packer_py.ui")


class Ui(Protocol):
    def say(self, text: str) -> None: ...
    def message(self, text: str) -> None: ...
    def error(self, text: str) -> None: ...
    def machine(self, type_: str, *data: str, target: str = "") -> None: ...
    def ask(self, prompt: str) -> str: ...


class UiAskError(PackerPyError):
    """``ask`` could not get an answer (machine-readable UI, closed stdin, interrupt)."""


class Masker:
    """Replaces every occurrence of a secret (longest first, so overlapping secrets mask whole)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        for s in secrets:
            if s and s not in self._secrets:
                self._secrets.append(s)
        self._secrets.sort(key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for s in self._secrets:
            if s in text:
                text = text.replace(s, SENSITIVE)
        return text


class BasicUi:
    """Plain lines on a stream (stdout by default), masked; every line is also logged (``ui: ...``), as Packer's
    BasicUi does, and the log is masked too (see ``packer_py.build.log``)."""

    def __init__(
        self,
        out: TextIO | None = None,
        masker: Masker | None = None,
        timestamp: Callable[[], str] | None = None,
        inp: TextIO | None = None,
    ) -> None:
        self.out = out if out is not None else sys.stdout
        self.inp = inp
        self.mask = masker or Masker()
        self._timestamp = timestamp
        self._lock = threading.Lock()
        self._ask_lock = threading.Lock()

    def _write(self, text: str, kind: str = "ui") -> None:
        text = self.mask(text)
        if self._timestamp is not None:
            stamp = self._timestamp()
            text = "\n".join(f"{stamp}: {line}" for line in text.split("\n"))
        with self._lock:
            _log.debug("%s: %s", kind, text)
            self.out.write(text + "\n")
            self.out.flush()

    def ask(self, prompt: str) -> str:
        """Packer's ``BasicUi.Ask``: answers come from the terminal (``/dev/tty``, not stdin), and without one the
        question fails at once (``no available tty``) without being printed. Otherwise print the prompt and a space,
        read one line, return it trimmed. One question at a time (parallel builds asking at once queue up)."""
        with self._ask_lock:
            inp = self.inp
            if inp is None:
                try:
                    inp = self._tty = getattr(self, "_tty", None) or open("/dev/tty")  # noqa: SIM115
                except OSError:
                    raise UiAskError("no available tty") from None
            with self._lock:
                _log.debug("ui: ask: %s", prompt)
                if prompt:
                    self.out.write(self.mask(prompt) + " ")
                    self.out.flush()
            line = inp.readline()
            return line.strip()

    def say(self, text: str) -> None:
        self._write(text)

    def message(self, text: str) -> None:
        self._write(text)

    def error(self, text: str) -> None:
        self._write(text, "ui error")

    def machine(self, type_: str, *data: str, target: str = "") -> None:
        """Plain UIs ignore machine events (as Packer's BasicUi logs them only)."""
        _log.debug("machine readable: %s %r", f"{target},{type_}" if target else type_, [self.mask(d) for d in data])


def machine_escape(field: str) -> str:
    return field.replace(",", "%!(PACKER_COMMA)").replace("\r", "\\r").replace("\n", "\\n")


class MachineReadableUi:
    """``-machine-readable``: every event is one ``TS,TARGET,TYPE,DATA...`` line."""

    def __init__(
        self, out: TextIO | None = None, masker: Masker | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.out = out if out is not None else sys.stdout
        self.mask = masker or Masker()
        self.clock = clock
        self._lock = threading.Lock()

    def machine(self, type_: str, *data: str, target: str = "") -> None:
        fields = [str(int(self.clock())), target, type_, *(machine_escape(self.mask(d)) for d in data)]
        line = ",".join(fields)
        with self._lock:
            _log.debug("%s", line)
            self.out.write(line + "\n")
            self.out.flush()

    def ask(self, prompt: str) -> str:
        raise UiAskError("machine-readable UI can't ask")

    def say(self, text: str) -> None:
        self.machine("ui", "say", text)

    def message(self, text: str) -> None:
        self.machine("ui", "message", text)

    def error(self, text: str) -> None:
        self.machine("ui", "error", text)
