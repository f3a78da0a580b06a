"""The build UI: Packer's ``TargetedUI``, ``ColoredUi`` and ``TimestampedUi`` wrappers over the base UI.

``packer build`` composes them per build, outermost first: ``TargetedUI(name)`` → ``TimestampedUi`` (when
``-timestamp-ui``) → ``ColoredUi(colour)`` (unless ``-color=false`` or ``-machine-readable``) → the base UI
(``packer_py.ui.BasicUi`` or ``MachineReadableUi``), so a line comes out as
``ESC[1;32m2026-11-24T02:15:13Z: ==> null: text ESC[0m``.

* TargetedUI prefixes every line with ``==> NAME: `` (say, error, ask) or ``    NAME: `` (message) and trims
  trailing whitespace of the whole text (so an empty line prints as ``    NAME:``). Machine events get the target.
* ColoredUi wraps the whole text: say bold in the build's colour, message in the normal weight, error bold red.
  ``PACKER_NO_COLOR`` disables it.
* TimestampedUi puts one RFC 3339 local time stamp (``time.Now().Format(time.RFC3339)``) before the whole text.

Secrets are masked by the base UI at the very end, so every wrapper's output is masked, machine-readable included.
All wrappers are thread-safe because the base UI writes each text under a lock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from packer_py.ui import Ui

COLORS: tuple[int, ...] = (32, 36, 35, 33, 34)
"""Packer's build colours, cycled in build order: green, cyan, magenta, yellow, blue."""
RED = 31


@dataclass
class TargetedUi:
    target: str
    ui: Ui

    def _prefix(self, arrow: bool, text: str) -> str:
        head = "==>" if arrow else "   "
        return "".join(f"{head} {self.target}: {line}\n" for line in text.split("\n")).rstrip()

    def say(self, text: str) -> None:
        self.ui.say(self._prefix(True, text))

    def message(self, text: str) -> None:
        self.ui.message(self._prefix(False, text))

    def error(self, text: str) -> None:
        self.ui.error(self._prefix(True, text))

    def machine(self, type_: str, *data: str, target: str = "") -> None:
        self.ui.machine(type_, *data, target=self.target)

    def ask(self, prompt: str) -> str:
        return self.ui.ask(self._prefix(True, prompt))


def colors_supported(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return not env.get("PACKER_NO_COLOR")


@dataclass
class ColoredUi:
    color: int
    ui: Ui
    enabled: bool = field(default_factory=colors_supported)

    def _colorize(self, text: str, color: int, bold: bool) -> str:
        if not self.enabled:
            return text
        return f"\033[{1 if bold else 0};{color}m{text}\033[0m"

    def say(self, text: str) -> None:
        self.ui.say(self._colorize(text, self.color, True))

    def message(self, text: str) -> None:
        self.ui.message(self._colorize(text, self.color, False))

    def error(self, text: str) -> None:
        self.ui.error(self._colorize(text, RED, True))

    def machine(self, type_: str, *data: str, target: str = "") -> None:
        self.ui.machine(type_, *data, target=target)

    def ask(self, prompt: str) -> str:
        return self.ui.ask(self._colorize(prompt, self.color, True))


def rfc3339_now() -> str:
    """Go's ``time.Now().Format(time.RFC3339)``: local time, ``Z`` for UTC, else ``+hh:mm``."""
    now = datetime.now().astimezone()
    offset = now.utcoffset()
    if offset is None or offset.total_seconds() == 0:
        return now.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = now.strftime("%Y-%m-%dT%H:%M:%S%z")
    return text[:-2] + ":" + text[-2:]


@dataclass
class TimestampedUi:
    ui: Ui
    clock: Callable[[], str] = rfc3339_now

    def say(self, text: str) -> None:
        self.ui.say(f"{self.clock()}: {text}")

    def message(self, text: str) -> None:
        self.ui.message(f"{self.clock()}: {text}")

    def error(self, text: str) -> None:
        self.ui.error(f"{self.clock()}: {text}")

    def machine(self, type_: str, *data: str, target: str = "") -> None:
        self.ui.machine(type_, *data, target=target)

    def ask(self, prompt: str) -> str:
        return self.ui.ask(prompt)
