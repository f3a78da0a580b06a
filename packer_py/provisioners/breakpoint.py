"""The ``breakpoint`` provisioner: pause the build until Enter is pressed (``disable`` skips it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from packer_py.build.cancel import CancelEvent
from packer_py.build.interfaces import BuildUi, Communicator
from packer_py.errors import BuildError, PackerPyError


class BreakpointProvisioner:
    def __init__(self, config: dict[str, Any], render_ctx: Any, environ: Mapping[str, str]) -> None:
        self.note = str(config.get("note") or "")
        self.disable = bool(config.get("disable"))

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        if self.disable:
            if self.note:
                ui.say(f'Breakpoint provisioner with note "{self.note}" disabled; continuing...')
            else:
                ui.say("Breakpoint provisioner disabled; continuing...")
            return
        if self.note:
            ui.say(f'Pausing at breakpoint provisioner with note "{self.note}".')
        else:
            ui.say("Pausing at breakpoint provisioner.")
        try:
            ui.ask("Press enter to continue.")
        except PackerPyError as exc:
            raise BuildError(f"Error asking for input: {exc}") from None
