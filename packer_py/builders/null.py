"""The ``null`` builder: connect to an existing machine, provision it, export nothing (Packer's ``builder/null``).

Steps: ``StepConnect`` (ssh, or nothing with ``communicator: none``) and ``StepProvision``; ``instance_id`` is
``Null``. A cancelled build returns the artifact like any other (Packer only looks at the ``error`` state key); the
build runner then skips the post-processors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from packer_py.build.connect import StepConnect
from packer_py.build.interfaces import Artifact, BuildContext
from packer_py.build.provision import StepProvision
from packer_py.build.steps import BuildState, Step, run_steps, wrap_steps

BUILDER_ID = "fnoeding.null"


@dataclass
class NullArtifact:
    builder_id: str = BUILDER_ID

    def id(self) -> str:
        return "Null"

    def __str__(self) -> str:
        return "Did not export anything. This is the null builder"

    def files(self) -> list[str]:
        return []

    def state(self, name: str) -> Any:
        return {"ID": "Null"} if name == "generated_data" else None

    def destroy(self) -> None:
        return None


@dataclass
class NullBuilder:
    config: Mapping[str, Any] = field(default_factory=dict)

    def run(self, ctx: BuildContext) -> Artifact | None:
        state = BuildState(ui=ctx.ui, build_name=ctx.name, builder_type=ctx.builder_type, cancel_event=ctx.cancel_event)
        state.instance_id = "Null"
        steps: list[Step] = [
            StepConnect(self.config, host=lambda _s: str(self.config.get("ssh_host") or "")),
            StepProvision(ctx.provision, ctx.cleanup_provision),
        ]
        run_steps(
            wrap_steps(steps, on_error=ctx.options.on_error, debug=ctx.options.debug, ask=ctx.ui.ask, pause=ctx.pause),
            state,
        )
        if state.error is not None:
            raise state.error
        return NullArtifact()
