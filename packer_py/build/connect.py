"""``StepConnect``: Packer's ``communicator.StepConnect`` for ``ssh`` and ``none``, shared by every builder.

UI lines as Packer 1.6.6 prints them: ``Using ssh communicator to connect: HOST``, ``Waiting for SSH to become
available...``, then ``Connected to SSH!``, or ``Error waiting for SSH: ERR`` / ``Timeout waiting for SSH.``.
``pause_before_connecting`` pauses (``Pausing 1m0s before connecting...``) and connects again, as Packer does (to
survive a reboot right after first boot). ``communicator: none`` connects to nothing and gives Packer's ``none``
communicator. The communicator is closed in cleanup. A cancel interrupts the wait.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from packer_py.build.cancel import as_cancel_event
from packer_py.build.provision import CommInfo
from packer_py.build.steps import Action, BuildState
from packer_py.errors import BuildError, PackerPyError

log = logging.getLogger("packer_py.build")


def _seconds(value: object, default: float) -> float:
    if value is None or value == "":
        return default
    from packer_py.goparse import duration_seconds

    return duration_seconds(value)


def ssh_config(config: Mapping[str, Any], *, host: str | None = None, private_key: str = "") -> Any:
    """The communicator's ``SSHConfig`` from a builder's prepared config (Packer's key names, defaults applied)."""
    from packer_py.communicator import SSHConfig

    timeout = _seconds(config.get("ssh_timeout"), 300.0)
    wait_timeout = _seconds(config.get("ssh_wait_timeout"), 0.0)
    if wait_timeout and not config.get("ssh_timeout"):
        timeout = wait_timeout
    return SSHConfig(
        ssh_host=host if host is not None else str(config.get("ssh_host") or ""),
        ssh_username=str(config.get("ssh_username") or ""),
        ssh_port=int(config.get("ssh_port") or 22),
        ssh_password=str(config.get("ssh_password") or ""),
        ssh_private_key=private_key,
        ssh_private_key_file=str(config.get("ssh_private_key_file") or ""),
        ssh_agent_auth=bool(config.get("ssh_agent_auth")),
        ssh_timeout=timeout,
        ssh_handshake_attempts=int(config.get("ssh_handshake_attempts") or 10),
        ssh_pty=bool(config.get("ssh_pty")),
        ssh_keep_alive_interval=_seconds(config.get("ssh_keep_alive_interval"), 5.0),
        ssh_read_write_timeout=_seconds(config.get("ssh_read_write_timeout"), 0.0),
        ssh_file_transfer_method=str(config.get("ssh_file_transfer_method") or "scp"),
        ssh_ciphers=tuple(config.get("ssh_ciphers") or ()),
        ssh_key_exchange_algorithms=tuple(config.get("ssh_key_exchange_algorithms") or ()),
        ssh_bastion_host=str(config.get("ssh_bastion_host") or ""),
        ssh_bastion_port=int(config.get("ssh_bastion_port") or 22),
        ssh_bastion_username=str(config.get("ssh_bastion_username") or ""),
        ssh_bastion_password=str(config.get("ssh_bastion_password") or ""),
        ssh_bastion_private_key_file=str(config.get("ssh_bastion_private_key_file") or ""),
        ssh_bastion_agent_auth=bool(config.get("ssh_bastion_agent_auth")),
        ssh_disable_agent_forwarding=bool(config.get("ssh_disable_agent_forwarding")),
    )


class NoneCommunicator:
    """Packer's ``none`` communicator: commands "succeed" without running (exit 0), transfers fail. So a
    ``shell-local`` provisioner works with ``communicator: none`` and a ``shell`` one fails to upload its script."""

    def run(self, command: str, *, on_stdout: Any, on_stderr: Any, pty: bool = False, timeout: Any = None) -> int:
        return 0

    def put(self, src: Any, dest: str, *, mode: int | None = None) -> None:
        raise BuildError("Upload is not implemented when communicator = 'none'")

    def put_dir(self, src: Any, dest: str, *, contents_only: bool) -> None:
        raise BuildError("UploadDir is not implemented when communicator = 'none'")

    def get(self, src: str, dest: Any) -> None:
        raise BuildError("Download is not implemented when communicator = 'none'")

    def get_dir(self, src: str, dest: Any) -> None:
        raise BuildError("DownloadDir is not implemented when communicator = 'none'")

    def close(self) -> None:
        return None


@dataclass
class StepConnect:
    """Connect to ``host(state)`` with the builder's communicator settings; ``private_key`` supplies an in-memory
    key (a temporary key pair) when the builder made one."""

    config: Mapping[str, Any]
    host: Callable[[BuildState], str]
    private_key: Callable[[BuildState], str] | None = None
    port: Callable[[BuildState], int] | None = None
    make_communicator: Callable[[Any, Callable[[float], None]], Any] | None = None

    _comm: Any = None

    def run(self, state: BuildState) -> Action:
        ctype = str(self.config.get("communicator") or "ssh")
        if ctype == "none":
            log.info("[INFO] communicator disabled, will not connect")
            state.communicator = NoneCommunicator()
            return Action.CONTINUE
        if ctype != "ssh":
            raise BuildError(f"unknown communicator type: {ctype}")
        host = self.host(state)
        state.ui.say(f"Using ssh communicator to connect: {host}")
        if not self._connect(state, host):
            return Action.HALT
        pause = _seconds(self.config.get("pause_before_connecting"), 0.0)
        if pause > 0:
            state.ui.say(f"Pausing {self.config.get('pause_before_connecting')} before connecting...")
            state.sleep(pause)
            self._close()
            if not self._connect(state, host):
                return Action.HALT
        return Action.CONTINUE

    def _connect(self, state: BuildState, host: str) -> bool:
        from packer_py.communicator import SSHCommunicator, SSHTimeoutError

        key = self.private_key(state) if self.private_key else ""
        cfg = ssh_config(self.config, host=host, private_key=key)
        if self.port is not None:
            from dataclasses import replace

            cfg = replace(cfg, ssh_port=self.port(state))
        cancel = as_cancel_event(state.cancel_event)
        state.comm_info = CommInfo(
            type="ssh",
            host=host,
            port=cfg.ssh_port,
            user=cfg.ssh_username,
            password=cfg.ssh_password,
            ssh_private_key=key,
            ssh_private_key_file=cfg.ssh_private_key_file,
            ssh_agent_auth=cfg.ssh_agent_auth,
        )
        state.ui.say("Waiting for SSH to become available...")
        make = self.make_communicator or (lambda c, sleep: SSHCommunicator(c, sleep=sleep))
        comm = make(cfg, cancel.sleep)
        self._comm = comm
        try:
            with cancel.interrupting(comm.close):
                comm.connect()
        except SSHTimeoutError as exc:
            if cancel.is_set():
                return False
            state.ui.error(str(exc))
            state.error = exc
            return False
        except PackerPyError as exc:
            if cancel.is_set():
                log.warning("[WARN] Interrupt detected, quitting waiting for SSH.")
                return False
            state.ui.error(f"Error waiting for SSH: {exc}")
            state.error = exc
            return False
        if cancel.is_set():
            return False
        state.ui.say("Connected to SSH!")
        state.communicator = comm
        return True

    def _close(self) -> None:
        if self._comm is not None:
            try:
                self._comm.close()
            except Exception:  # closing a dead connection must not fail a cleanup
                log.debug("closing the communicator failed", exc_info=True)

    def cleanup(self, state: BuildState) -> None:
        self._close()
