"""Packer's ``multistep``: a build is a list of small steps, each with ``run`` and ``cleanup``.

Rules kept from Packer's BasicRunner:

* every step whose ``run`` was entered is cleaned up, the one that halted included, in reverse order — so a cleanup
  must cope with a run that stopped halfway (steps record a created ID the moment AWS returns it);
* a step halts by raising ``PackerPyError`` (or returning ``Action.HALT`` after setting ``state.error``); the runner
  records the error and sets ``state.halted``;
* a cancel (Ctrl-C, SIGTERM) sets ``state.cancelled``, checked before each step and by every wait loop;
* ``-on-error=abort`` / ``ask`` / ``run-cleanup-provisioner`` and ``-debug`` are wrappers around the step list, so
  steps never test for them.

Unlike Packer's untyped state bag, ``BuildState`` is a dataclass; builders subclass it for their own fields.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Protocol

from packer_py.errors import BuildError, PackerPyError

log = logging.getLogger("packer_py.build")


class Action(enum.Enum):
    CONTINUE = "continue"
    HALT = "halt"


class Cancelled(PackerPyError):
    """Raised by waits and remote commands when the build is cancelled."""

    def __init__(self, message: str = "Build was cancelled.") -> None:
        super().__init__(message)


@dataclass
class BuildState:
    """What the steps of one build share. Builders subclass it with their own typed fields."""

    ui: Any
    build_name: str
    builder_type: str
    cancel_event: threading.Event = field(default_factory=threading.Event)
    error: PackerPyError | None = None
    halted: bool = False
    aborted: bool = False
    abort_logged: bool = False
    generated_data: dict[str, Any] = field(default_factory=dict)
    """Packer's build-info (``{{ build `Host` }}``, ``.SourceAMI``, ...), filled as steps learn it."""
    communicator: Any = None
    """Set by ``StepConnect`` (Packer's ``communicator`` state key); ``None`` for ``communicator: none``."""
    comm_info: Any = None
    """``packer_py.build.provision.CommInfo`` of the connection (Packer's ``communicator_config``)."""
    instance_id: str | None = None
    """Packer's ``instance_id`` state key: the hook data's ``ID``."""

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()

    def sleep(self, seconds: float) -> None:
        """A cancellable sleep: every wait in a step goes through here."""
        if self.cancel_event.wait(seconds):
            raise Cancelled()


class Step(Protocol):
    def run(self, state: Any) -> Action: ...

    def cleanup(self, state: Any) -> None: ...


def step_name(step: object) -> str:
    inner = getattr(step, "inner", None)
    return step_name(inner) if inner is not None else type(step).__name__


def _run_one(step: Step, state: BuildState) -> Action:
    try:
        action = step.run(state)
    except Cancelled:
        state.cancel_event.set()
        return Action.HALT
    except PackerPyError as exc:
        state.error = exc
        return Action.HALT
    if action is Action.HALT and state.error is None and not state.cancelled:
        state.error = BuildError(f"step {step_name(step)} halted")
    return action


def _cleanup_one(step: Step, state: BuildState) -> None:
    try:
        step.cleanup(state)
    except Exception as exc:  # a cleanup never stops the other cleanups
        log.exception("cleanup of %s failed", step_name(step))
        state.ui.error(f"Error during cleanup of {step_name(step)}: {exc}")


def run_steps(steps: Sequence[Step], state: BuildState) -> None:
    """Run ``steps`` in order; clean up every entered step in reverse, always."""
    with ExitStack() as deferred:
        for step in steps:
            if state.cancelled:
                break
            deferred.callback(_cleanup_one, step, state)
            action = _run_one(step, state)
            if state.cancelled:
                break
            if action is Action.HALT:
                state.halted = True
                break


# -- -on-error and -debug wrappers ---------------------------------------------------------------------------------
@dataclass
class AbortStep:
    """``-on-error=abort`` (and ``run-cleanup-provisioner``): after a failure, leave resources in place."""

    inner: Step
    cleanup_provisioner: bool = False

    def run(self, state: BuildState) -> Action:
        return self.inner.run(state)

    def cleanup(self, state: BuildState) -> None:
        if self.cleanup_provisioner and step_name(self.inner) == "StepProvision":
            self.inner.cleanup(state)
            return
        if _handle_abort(state, step_name(self.inner)):
            self.inner.cleanup(state)


@dataclass
class AskStep:
    """``-on-error=ask``: on failure, ask whether to clean up, abort or retry the step."""

    inner: Step
    ask: Callable[[str], str]

    def run(self, state: BuildState) -> Action:
        while True:
            action = _run_one(self.inner, state)
            if action is not Action.HALT:
                return action
            if state.error is not None:
                state.ui.error(str(state.error))
            state.ui.say(f'Step "{step_name(self.inner)}" failed')
            answer = self._prompt(state)
            if answer == "c":
                return Action.HALT
            if answer == "a":
                state.aborted = True
                return Action.HALT
            state.error = None

    def _prompt(self, state: BuildState) -> str:
        while True:
            if state.cancelled:
                return "c"
            try:
                line = self.ask(
                    "[c] Clean up and exit, [a] abort without cleanup, or [r] retry step (build may fail even if retry "
                    "succeeds)?"
                )
            except PackerPyError as exc:  # no terminal: Packer logs the error and takes the empty answer (clean up)
                log.info("Error asking for input: %s", exc)
                line = ""
            choice = (line.lower() + "c")[0]
            if choice in "car":
                return choice
            state.ui.say(f'Incorrect input: "{line}"')

    def cleanup(self, state: BuildState) -> None:
        if state.aborted and not _handle_abort(state, step_name(self.inner)):
            return
        self.inner.cleanup(state)


def _handle_abort(state: BuildState, name: str) -> bool:
    """Packer's handleAbortsAndInterupts: True when the step should still be cleaned up."""
    already = state.abort_logged
    if state.error is not None and not already:
        state.ui.error(str(state.error))
        state.abort_logged = True
    if state.cancelled:
        if not already:
            state.ui.error("Interrupted, aborting...")
            state.abort_logged = True
        else:
            state.ui.error(f'aborted: skipping cleanup of step "{name}"')
        return False
    if state.halted or state.error is not None:
        if not already:
            state.ui.error(f'Step "{name}" failed, aborting...')
            state.abort_logged = True
        else:
            state.ui.error(f'aborted: skipping cleanup of step "{name}"')
        return False
    return True


@dataclass
class DebugPauseStep:
    """``-debug``: pause after each step's run and before its cleanup."""

    inner: Step
    pause: Callable[[str], None]

    def run(self, state: BuildState) -> Action:
        action = self.inner.run(state)
        self.pause(f"Pausing after run of step '{step_name(self.inner)}'. Press enter to continue.")
        return action

    def cleanup(self, state: BuildState) -> None:
        self.pause(f"Pausing before cleanup of step '{step_name(self.inner)}'. Press enter to continue.")
        self.inner.cleanup(state)


def wrap_steps(
    steps: Sequence[Step],
    *,
    on_error: str = "cleanup",
    debug: bool = False,
    ask: Callable[[str], str] | None = None,
    pause: Callable[[str], None] | None = None,
) -> list[Step]:
    """Apply the ``-on-error`` and ``-debug`` wrappers, as Packer's ``commonsteps.NewRunner`` does."""
    out: list[Step] = list(steps)
    if on_error == "abort":
        out = [AbortStep(s) for s in out]
    elif on_error == "run-cleanup-provisioner":
        out = [AbortStep(s, cleanup_provisioner=True) for s in out]
    elif on_error == "ask":
        out = [AskStep(s, ask or (lambda _prompt: "c")) for s in out]
    if debug and pause is not None:
        out = [DebugPauseStep(s, pause) for s in out]
    return out
