"""Packer's provision hook: ``StepProvision`` and the wrappers ``Core`` puts around each provisioner.

For each provisioner, in template order (``packer/provisioner.go``, ``packer/provisioner_timeout.go``,
``packer/core.go`` ``generateCoreBuildProvisioner``):

* ``pause_before`` wraps it in a pause (``Pausing 5s before the next provisioner...``, cancellable). Quirk kept from
  Packer 1.6.6: with ``pause_before`` set, ``timeout`` is ignored (the two wrappers are an if/else there).
* ``timeout`` otherwise (``Setting a 1m0s timeout for the next provisioner...``); when it fires the provisioner's
  scope is cancelled and ``Cancelling provisioner after a timeout...`` is printed; the provisioner fails with
  ``context deadline exceeded``.
* ``max_retries`` outermost: ``Provisioner failed with "<err>", retrying with N trie(s) left`` then
  ``retry limit reached.``; the error returned is the FIRST one (Packer shadows the later errors).
* ``-debug``: ``Pausing before the next provisioner . Press enter to continue.`` (sic) before each one.

``StepProvision`` populates the hook data (``PopulateProvisionHookData``), runs the hook, and in its cleanup runs
the error-cleanup provisioner when the build has an error
(``Provisioning step had errors: Running the cleanup provisioner, if present...``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from packer_py import gofmt
from packer_py.build.cancel import CANCELED, DEADLINE_EXCEEDED, CancelEvent, as_cancel_event
from packer_py.build.interfaces import BuildUi, Communicator, Provisioner
from packer_py.build.steps import Action, BuildState, Cancelled
from packer_py.errors import BuildError, PackerPyError

log = logging.getLogger("packer_py.build")

NO_COMMUNICATOR = (
    "No communicator found for provisioners! This is usually because the\n"
    '`communicator` config was set to "none". If you have any provisioners\n'
    "then a communicator is required. Please fix this to continue."
)
HTTP_IP_NOT_IMPLEMENTED = "ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER"
HTTP_PORT_NOT_IMPLEMENTED = "ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER"
HTTP_ADDR_NOT_IMPLEMENTED = "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER"


@dataclass(frozen=True)
class CommInfo:
    """What ``communicator_config`` tells the hook data (``{{ build `Host` }}`` and friends)."""

    type: str = "ssh"
    host: str = ""
    port: int = 22
    user: str = ""
    password: str = ""
    ssh_public_key: str = ""
    ssh_private_key: str = ""
    ssh_private_key_file: str = ""
    ssh_agent_auth: bool = False
    winrm_password: str = ""


def hook_data(
    generated: Mapping[str, object] | None,
    *,
    instance_id: str | None,
    comm: CommInfo | None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """Packer's ``PopulateProvisionHookData``."""
    env = os.environ if environ is None else environ
    data: dict[str, object] = dict(generated or {})
    data["ID"] = instance_id if instance_id is not None else "ERR_ID_NOT_IMPLEMENTED_BY_BUILDER"
    data["PackerRunUUID"] = env.get("PACKER_RUN_UUID", "")
    data["PackerHTTPIP"] = HTTP_IP_NOT_IMPLEMENTED
    data["PackerHTTPPort"] = HTTP_PORT_NOT_IMPLEMENTED
    data["PackerHTTPAddr"] = HTTP_ADDR_NOT_IMPLEMENTED
    if comm is None:
        return data
    data.update(
        Host=comm.host,
        Port=comm.port,
        User=comm.user,
        Password=comm.password,
        ConnType=comm.type,
        SSHPublicKey=comm.ssh_public_key,
        SSHPrivateKey=comm.ssh_private_key,
        SSHPrivateKeyFile=comm.ssh_private_key_file,
        SSHAgentAuth=comm.ssh_agent_auth,
        WinRMPassword=comm.winrm_password,
    )
    return data


# -- the wrappers ----------------------------------------------------------------------------------------------------
@dataclass
class PausedProvisioner:
    pause_before: Any  # a Duration: str() is Go's
    inner: Provisioner

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        ui.say(f"Pausing {self.pause_before} before the next provisioner...")
        cancel.sleep(_seconds(self.pause_before))
        self.inner.provision(ui, comm, data, cancel)


@dataclass
class TimeoutProvisioner:
    timeout: Any
    inner: Provisioner

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        scope = cancel.child()
        ui.say(f"Setting a {self.timeout} timeout for the next provisioner...")

        def expire() -> None:
            if not scope.is_set():
                ui.error("Cancelling provisioner after a timeout...")
                scope.cancel(DEADLINE_EXCEEDED)

        timer = threading.Timer(_seconds(self.timeout), expire)
        timer.daemon = True
        timer.start()
        try:
            self.inner.provision(ui, comm, data, scope)
        except Cancelled:
            if cancel.is_set():
                raise
            # an ordinary error (retried, reported, cleaned up); Packer 1.6.6 reports it as "context canceled"
            raise BuildError(CANCELED) from None
        finally:
            timer.cancel()
            cancel.release(scope)


@dataclass
class RetriedProvisioner:
    max_retries: int
    inner: Provisioner

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        cancel.check()
        try:
            self.inner.provision(ui, comm, data, cancel)
            return
        except Cancelled:
            raise
        except PackerPyError as exc:
            first = exc
        for left in range(self.max_retries, 0, -1):
            cancel.check()
            ui.say(f"Provisioner failed with {gofmt.quote(str(first))}, retrying with {left} trie(s) left")
            try:
                self.inner.provision(ui, comm, data, cancel)
                return
            except Cancelled:
                raise
            except PackerPyError:
                pass
        ui.say("retry limit reached.")
        raise first


@dataclass
class DebuggedProvisioner:
    inner: Provisioner

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        try:
            ui.ask("Pausing before the next provisioner . Press enter to continue.")
        except PackerPyError as exc:
            log.info("Error asking for input: %s", exc)
        cancel.check()
        self.inner.provision(ui, comm, data, cancel)


def wrap_provisioner(
    inner: Provisioner, *, pause_before: Any = None, timeout: Any = None, max_retries: int = 0, debug: bool = False
) -> Provisioner:
    """Compose the wrappers in Packer's order (``Core.generateCoreBuildProvisioner``, then ``CoreBuild.Run``)."""
    out: Provisioner = inner
    if pause_before:
        out = PausedProvisioner(pause_before, out)
    elif timeout:
        out = TimeoutProvisioner(timeout, out)
    if max_retries:
        out = RetriedProvisioner(max_retries, out)
    if debug:
        out = DebuggedProvisioner(out)
    return out


@dataclass
class RepreparedProvisioner:
    """HCL2: Packer's ``HCL2Provisioner.Provision``: the block is decoded and prepared again with the hook data in
    ``build.*`` (``${build.ID}``, ``${build.Host}``), then that configuration provisions. A decoding failure is the
    provisioner's error, in HCL's words."""

    reprepare: Callable[[Mapping[str, object]], dict[str, object]]
    make: Callable[[dict[str, object]], Provisioner]

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        try:
            config = self.reprepare(data)
        except PackerPyError as exc:
            raise BuildError(str(exc)) from None
        self.make(config).provision(ui, comm, data, cancel)


@dataclass
class RepreparedPostProcessor:
    """HCL2: Packer's ``HCL2PostProcessor.PostProcess``: decoded again with the artifact's generated data as the
    whole of ``build.*`` (so ``${build.Host}`` is unknown there: the null builder's artifact carries only ``ID``)."""

    reprepare: Callable[[Mapping[str, object]], dict[str, object]]
    make: Callable[[dict[str, object]], Any]

    def post_process(self, ui: BuildUi, artifact: Any, ctx: Any) -> tuple[Any, bool, bool]:
        data = artifact.state("generated_data")
        config = self.reprepare(dict(data) if isinstance(data, Mapping) else {})
        result: tuple[Any, bool, bool] = self.make(config).post_process(ui, artifact, ctx)
        return result


@dataclass
class ProvisionHook:
    """Runs provisioners in order over one communicator; the first failure stops the hook."""

    provisioners: Sequence[Provisioner] = field(default_factory=list)

    def run(self, ui: BuildUi, comm: Communicator | None, data: Mapping[str, object], cancel: threading.Event) -> None:
        if not self.provisioners:
            return
        if comm is None:
            raise BuildError(NO_COMMUNICATOR)
        scope = as_cancel_event(cancel)
        for prov in self.provisioners:
            prov.provision(ui, comm, dict(data), scope)


# -- the step ----------------------------------------------------------------------------------------------------------
@dataclass
class StepProvision:
    """Packer's ``commonsteps.StepProvision``; builders put it in their step list after connecting.

    ``provision`` and ``cleanup_provision`` come from the runner (``BuildContext``). The step reads
    ``state.communicator``, ``state.instance_id``, ``state.comm_info`` and ``state.generated_data``.
    """

    provision: Callable[[Communicator | None, dict[str, object]], None]
    cleanup_provision: Callable[[Communicator | None, dict[str, object]], None] | None = None

    def _data(self, state: BuildState) -> dict[str, object]:
        data = hook_data(
            state.generated_data,
            instance_id=getattr(state, "instance_id", None),
            comm=getattr(state, "comm_info", None),
        )
        state.generated_data = data
        return data

    def run(self, state: BuildState) -> Action:
        data = self._data(state)
        log.info("Running the provision hook")
        self.provision(getattr(state, "communicator", None), data)
        return Action.CONTINUE

    def cleanup(self, state: BuildState) -> None:
        if state.error is None:
            return
        data = self._data(state)
        state.ui.say("Provisioning step had errors: Running the cleanup provisioner, if present...")
        if self.cleanup_provision is None:
            return
        try:
            self.cleanup_provision(getattr(state, "communicator", None), data)
        except PackerPyError as exc:
            state.error = BuildError(f"Cleanup failed: {exc}. Original Provisioning error: {state.error}")


def _seconds(duration: Any) -> float:
    if hasattr(duration, "total_seconds"):
        return float(duration.total_seconds())
    return float(duration)
