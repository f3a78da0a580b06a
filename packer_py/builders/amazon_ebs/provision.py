"""The steps between connecting and stopping: generated data, provisioning, temporary-key cleanup.

* StepSetGeneratedData (step_set_generated_data.go): the build info becomes generated data
  (``{{ build `SourceAMIName` }}``).
* StepProvision (commonsteps/step_provision.go): the provision hook runs the build's provisioners with Packer's hook
  data (generated data plus ``ID``, ``Host``, ``Port``, ``User``, ``SSHPrivateKey``, ...). It runs in a worker
  thread, and a cancel ends the step at once (Packer checks every second); closing the connection in cleanup then
  stops the remote command. A provisioning failure becomes the build's error.
* StepCleanupTempKeys (commonsteps/step_cleanup_temp_keys.go): with ``ssh_clear_authorized_keys``, remove the
  temporary key from ``~/.ssh/authorized_keys`` and root's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from packer_py.build.steps import Action, Cancelled
from packer_py.builders.amazon_ebs.build_info import extract_build_info
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import BuildError, PackerPyError

HTTP_IP_NOT_IMPLEMENTED = "ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER"
HTTP_PORT_NOT_IMPLEMENTED = "ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER"
HTTP_ADDR_NOT_IMPLEMENTED = "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER"


@dataclass
class StepSetGeneratedData:
    def run(self, state: EbsState) -> Action:
        extract_build_info(state)
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""


def hook_data(state: EbsState, config: EbsConfig) -> dict[str, object]:
    """``PopulateProvisionHookData``: what ``{{ build `X` }}`` sees in provisioners (``Port`` an int and
    ``SSHAgentAuth`` a bool, as in Packer's map)."""
    data: dict[str, object] = dict(state.generated_data)
    data["ID"] = str((state.instance or {}).get("InstanceId", "")) or "ERR_ID_NOT_IMPLEMENTED_BY_BUILDER"
    data["PackerRunUUID"] = state.environ.get("PACKER_RUN_UUID", state.run_uuid)
    data["PackerHTTPIP"] = HTTP_IP_NOT_IMPLEMENTED
    data["PackerHTTPPort"] = HTTP_PORT_NOT_IMPLEMENTED
    data["PackerHTTPAddr"] = HTTP_ADDR_NOT_IMPLEMENTED
    if config.communicator == "none":
        return data
    data["Host"] = state.ssh_host
    data["Port"] = state.ssh_port or config.ssh_port
    data["User"] = config.ssh_username
    data["Password"] = config.ssh_password
    data["ConnType"] = config.communicator
    data["SSHPublicKey"] = ""
    data["SSHPrivateKey"] = state.ssh_private_key
    data["SSHPrivateKeyFile"] = config.ssh_private_key_file
    data["SSHAgentAuth"] = config.ssh_agent_auth
    data["WinRMPassword"] = ""
    return data


def _run_hook(
    state: EbsState, hook: Callable[[Any, dict[str, object]], None], data: dict[str, object], *, cancellable: bool
) -> None:
    """Run a provision hook in a worker thread; a cancel ends the wait at once (the hook is interrupted by the
    runner's cancel event and by the connection being closed in StepConnect's cleanup)."""
    outcome: list[BaseException | None] = []
    done = threading.Event()

    def target() -> None:
        try:
            hook(state.communicator, dict(data))
            outcome.append(None)
        except BaseException as exc:  # handed to the step's thread below
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=target, name="provision", daemon=True).start()
    while not done.wait(0.05):
        if cancellable and state.cancelled:
            raise Cancelled()
    error = outcome[0] if outcome else None
    if error is None:
        return
    if isinstance(error, PackerPyError):
        raise error
    raise BuildError(str(error)) from error


@dataclass
class StepProvision:
    config: EbsConfig

    def run(self, state: EbsState) -> Action:
        data = hook_data(state, self.config)
        state.generated_data = data
        if state.provision is None:
            return Action.CONTINUE
        _run_hook(state, state.provision, data, cancellable=True)
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """After any error (here or in a later step) Packer runs the error-cleanup provisioner and says so."""
        if state.error is None:
            return
        data = hook_data(state, self.config)
        state.generated_data = data
        state.ui.say("Provisioning step had errors: Running the cleanup provisioner, if present...")
        if state.cleanup_provision is None:
            return
        try:
            _run_hook(state, state.cleanup_provision, data, cancellable=False)
        except PackerPyError as exc:
            state.error = BuildError(f"Cleanup failed: {exc}. Original Provisioning error: {state.error}")


@dataclass
class StepCleanupTempKeys:
    clear_authorized_keys: bool
    communicator: str
    temporary_key_pair_name: str

    def run(self, state: EbsState) -> Action:
        if not self.clear_authorized_keys or self.communicator != "ssh" or not self.temporary_key_pair_name:
            return Action.CONTINUE
        comm = state.communicator
        if comm is None:
            return Action.CONTINUE
        ui = state.ui
        ui.say("Trying to remove ephemeral keys from authorized_keys files")
        name = self.temporary_key_pair_name
        for command in (
            f"sed -i.bak '/ {name}$/d' ~/.ssh/authorized_keys; rm ~/.ssh/authorized_keys.bak",
            f"sudo sed -i.bak '/ {name}$/d' /root/.ssh/authorized_keys; sudo rm /root/.ssh/authorized_keys.bak",
        ):
            try:
                comm.run(command, on_stdout=ui.message, on_stderr=ui.error)
            except PackerPyError:
                pass  # Packer only logs: clean up the keys manually
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""
