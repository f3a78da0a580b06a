"""The contracts between the build runner and the components it drives (Packer's SDK interfaces, typed).

* A **builder** runs its steps and returns an ``Artifact`` (or None when it built nothing). Somewhere in its steps
  it calls ``ctx.provision(communicator)``: that runs the build's provisioners (Packer's provision hook).
* A **provisioner** is prepared once (its config already decoded and checked by ``packer_py.schema``) and then
  ``provision``-ed with the build's UI, communicator and generated data (build-info such as ``Host``, ``ID``,
  ``SourceAMI``), which it uses to render its Go-template strings a second time, as Packer does.
* A **post-processor** turns an artifact into another and says whether the input must be kept.

All user-visible text goes through ``ctx.ui`` (a ``BuildUi``), never ``print``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from packer_py.build.journal import Journal


class Artifact(Protocol):
    builder_id: str

    def id(self) -> str: ...

    def __str__(self) -> str: ...

    def files(self) -> list[str]: ...

    def state(self, name: str) -> Any: ...

    def destroy(self) -> None: ...


class Communicator(Protocol):
    """What provisioners need from a connection to the machine (SSH; see ``packer_py.communicator``)."""

    def run(
        self,
        command: str,
        *,
        on_stdout: Callable[[str], None],
        on_stderr: Callable[[str], None],
        pty: bool = False,
        timeout: float | None = None,
    ) -> Any: ...

    def put(self, src: Any, dest: str, *, mode: int | None = None) -> None: ...

    def put_dir(self, src: Path, dest: str, *, contents_only: bool) -> None: ...

    def get(self, src: str, dest: Any) -> None: ...

    def get_dir(self, src: str, dest: Path) -> None: ...

    def close(self) -> None: ...


class BuildUi(Protocol):
    """``packer_py.ui.Ui``: a build's UI is a ``TargetedUi`` over the (coloured, timestamped) base UI."""

    def say(self, text: str) -> None: ...
    def message(self, text: str) -> None: ...
    def error(self, text: str) -> None: ...
    def machine(self, type_: str, *data: str, target: str = "") -> None: ...
    def ask(self, prompt: str) -> str: ...


@dataclass
class RunOptions:
    """Command-line options that reach every build (Packer's ``packer_*`` config keys)."""

    debug: bool = False
    force: bool = False
    on_error: str = "cleanup"
    run_uuid: str = ""
    local: bool = False


@dataclass
class BuildContext:
    """Everything one build needs from the runner."""

    name: str
    builder_type: str
    ui: BuildUi
    options: RunOptions
    cancel_event: threading.Event
    journal: Journal
    template_path: str
    user_variables: Mapping[str, str]
    provision: Callable[[Communicator | None, dict[str, object]], None]
    """Runs the build's provisioners over ``communicator`` with the hook data (Packer's provision hook). Builders
    call it through ``packer_py.build.provision.StepProvision``."""
    cleanup_provision: Callable[[Communicator | None, dict[str, object]], None] | None = None
    """Runs the error-cleanup provisioner (``StepProvision``'s cleanup, when the build has an error)."""
    pause: Callable[[str], None] | None = None
    """``-debug``: asks the user to press Enter (``Pausing after run of step 'X'. Press enter to continue.``)."""
    environ: Mapping[str, str] = field(default_factory=dict)
    """The environment for child processes (shell-local), ``PACKER_RUN_UUID`` included."""
    sandbox: Path | None = None
    """Local mode: the build's sandbox directory (embedded AWS endpoint and SSH instance live there)."""


class Builder(Protocol):
    def run(self, ctx: BuildContext) -> Artifact | None: ...


class Provisioner(Protocol):
    """``generated_data`` is the hook data (a fresh dict per provisioner, which it may extend with ``Vars``,
    ``Path``...); ``cancel_event`` is a ``packer_py.build.cancel.CancelEvent`` (Ctrl-C, ``timeout``)."""

    def provision(
        self, ui: BuildUi, comm: Communicator | None, generated_data: dict[str, object], cancel_event: Any
    ) -> None: ...


class PostProcessor(Protocol):
    def post_process(self, ui: BuildUi, artifact: Artifact, ctx: BuildContext) -> tuple[Artifact, bool, bool]:
        """Returns (new artifact, keep the input, whether ``keep`` overrides the user's keep_input_artifact)."""
        ...
