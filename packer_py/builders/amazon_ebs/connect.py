"""StepConnect for amazon-ebs (packer-plugin-sdk ``communicator.StepConnect`` with amazon's ``SSHHost``/``Port``).

The address: ``ssh_host`` when set; otherwise the instance's address per ``ssh_interface`` (``public_ip``,
``private_ip``, ``public_dns``, ``private_dns``), or, with no interface, the public IP and else the private IP of a
VPC instance (the public DNS name of an EC2-Classic one); an instance without one yet is described again (3 tries,
1 s apart). The port is ``ssh_port``.

``Using ssh communicator to connect: HOST``, ``Waiting for SSH to become available...``, then the communicator waits
for SSH (first try at once, then every 5 s, up to ``ssh_timeout``: ``Timeout waiting for SSH.``) and
``Connected to SSH!``. The wait runs in a worker thread so that a cancel ends the step at once, as Packer's
``select`` on the context does. ``pause_before_connecting`` pauses, then connects again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from packer_py.build.steps import Action, Cancelled
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import AwsError, BuildError, PackerPyError, UnsupportedError

HOST_TRIES = 3
HOST_PAUSE = 1.0
RETRY_INTERVAL = 5.0

_INTERFACE_KEYS = {
    "public_ip": "PublicIpAddress",
    "private_ip": "PrivateIpAddress",
    "public_dns": "PublicDnsName",
    "private_dns": "PrivateDnsName",
}


def instance_address(instance: dict[str, Any], ssh_interface: str) -> str:
    if ssh_interface:
        return str(instance.get(_INTERFACE_KEYS[ssh_interface]) or "")
    if instance.get("VpcId"):
        return str(instance.get("PublicIpAddress") or instance.get("PrivateIpAddress") or "")
    return str(instance.get("PublicDnsName") or "")


def ssh_host(state: EbsState, ssh_interface: str, host: str) -> str:
    """amazon's ``SSHHost``: raises ``BuildError`` when no address can be found."""
    if host:
        return host
    if ssh_interface == "session_manager":
        return "localhost"
    for attempt in range(HOST_TRIES):
        instance = state.instance or {}
        address = instance_address(instance, ssh_interface)
        if address:
            return address
        instance_id = instance.get("InstanceId", "")
        try:
            found = state.ec2().call("describe_instances", InstanceIds=[instance_id])
        except AwsError as exc:
            raise BuildError(str(exc)) from None
        reservations = found.get("Reservations", [])
        if not reservations or not reservations[0].get("Instances"):
            raise BuildError(f"instance not found: {instance_id}")
        state.instance = reservations[0]["Instances"][0]
        if attempt < HOST_TRIES - 1:
            state.sleep(HOST_PAUSE)
    raise BuildError("couldn't determine address for instance")


def ssh_config(config: EbsConfig, state: EbsState, host: str) -> Any:
    from packer_py.communicator import SSHConfig

    return SSHConfig(
        ssh_host=host,
        ssh_port=config.ssh_port,
        ssh_username=config.ssh_username,
        ssh_password=config.ssh_password,
        ssh_private_key=state.ssh_private_key,
        ssh_agent_auth=config.ssh_agent_auth,
        ssh_timeout=config.ssh_timeout,
        ssh_handshake_attempts=config.ssh_handshake_attempts,
        ssh_pty=config.ssh_pty,
        ssh_keep_alive_interval=config.ssh_keep_alive_interval,
        ssh_read_write_timeout=config.ssh_read_write_timeout,
        ssh_file_transfer_method=config.ssh_file_transfer_method,
        ssh_ciphers=config.ssh_ciphers,
        ssh_key_exchange_algorithms=config.ssh_key_exchange_algorithms,
        ssh_bastion_host=config.ssh_bastion_host,
        ssh_bastion_port=config.ssh_bastion_port,
        ssh_bastion_username=config.ssh_bastion_username,
        ssh_bastion_password=config.ssh_bastion_password,
        ssh_bastion_private_key_file=config.ssh_bastion_private_key_file,
        ssh_bastion_agent_auth=config.ssh_bastion_agent_auth,
        ssh_disable_agent_forwarding=config.ssh_disable_agent_forwarding,
    )


@dataclass
class StepGetPassword:
    """Packer's WinRM password step: nothing to do for an SSH build (packer-py has no WinRM communicator). Kept in
    the step list so that ``-debug`` pauses after it, as Packer does."""

    def run(self, state: EbsState) -> Action:
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""


@dataclass
class StepCreateSSMTunnel:
    """Packer's Session Manager tunnel step: nothing to do without ``ssh_interface: session_manager`` (which
    packer-py refuses in StepConnect). Kept for ``-debug``'s pauses, as StepGetPassword."""

    def run(self, state: EbsState) -> Action:
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        """Nothing was created."""


def _go_duration(seconds: float) -> str:
    from packer_py.goparse import format_duration

    return format_duration(round(seconds * 1e9))


@dataclass
class StepConnect:
    config: EbsConfig
    _comm: Any = None

    def run(self, state: EbsState) -> Action:
        config, ui = self.config, state.ui
        if config.communicator == "none":
            state.communicator = None
            return Action.CONTINUE
        if config.communicator != "ssh":
            raise UnsupportedError(f"the {config.communicator} communicator is not supported by packer-py")
        if config.ssh_interface == "session_manager":
            raise UnsupportedError("ssh_interface session_manager is not supported by packer-py")
        try:
            host = ssh_host(state, config.ssh_interface, config.ssh_host)
        except BuildError:
            host = ""
        if host:
            ui.say(f"Using ssh communicator to connect: {host}")
        comm = self._connect(state, host)
        if config.pause_before_connecting > 0:
            ui.say(f"Pausing {_go_duration(config.pause_before_connecting)} before connecting...")
            state.sleep(config.pause_before_connecting)
            comm = self._connect(state, host)
        state.communicator = comm
        return Action.CONTINUE

    def _make(self, state: EbsState, host: str) -> Any:
        cfg = ssh_config(self.config, state, host)
        if state.communicator_factory is not None:
            return state.communicator_factory(cfg)
        from packer_py.communicator import SSHCommunicator

        return SSHCommunicator(cfg, clock=state.wait.now, sleep=lambda seconds: state.wait.sleep(seconds))

    def _connect(self, state: EbsState, host: str) -> Any:
        ui = state.ui
        ui.say("Waiting for SSH to become available...")
        if not host:
            host = self._wait_for_host(state)
        if self._comm is not None:
            self._comm.close()
        comm = self._make(state, host)
        self._comm = comm
        state.ssh_host, state.ssh_port = host, self.config.ssh_port
        outcome: list[BaseException | None] = []
        done = threading.Event()

        def wait_for_ssh() -> None:
            try:
                comm.connect()
                outcome.append(None)
            except BaseException as exc:  # handed to the step's thread below
                outcome.append(exc)
            finally:
                if state.cancelled:
                    comm.close()
                done.set()

        threading.Thread(target=wait_for_ssh, name=f"wait-for-ssh-{host}", daemon=True).start()
        while not done.wait(0.05):
            if state.cancelled:
                raise Cancelled()
        error = outcome[0] if outcome else None
        if error is None:
            ui.say("Connected to SSH!")
            return comm
        if isinstance(error, Cancelled):
            raise error
        message = str(error)
        if message == "Timeout waiting for SSH.":
            raise state.fail(message)
        if isinstance(error, PackerPyError):
            ui.error(f"Error waiting for SSH: {message}")
            raise BuildError(message) from None
        raise error

    def _wait_for_host(self, state: EbsState) -> str:
        """No address yet: keep asking, every 5 s, until ``ssh_timeout`` (Packer's wait loop does the same)."""
        deadline = state.wait.now() + self.config.ssh_timeout
        while True:
            state.sleep(min(RETRY_INTERVAL, max(0.0, deadline - state.wait.now())))
            try:
                return ssh_host(state, self.config.ssh_interface, self.config.ssh_host)
            except BuildError:
                if state.wait.now() >= deadline:
                    raise state.fail("Timeout waiting for SSH.") from None

    def cleanup(self, state: EbsState) -> None:
        """Close the connection (the communicator of a finished build is not used again)."""
        if self._comm is not None:
            self._comm.close()
            self._comm = None
        state.communicator = None
