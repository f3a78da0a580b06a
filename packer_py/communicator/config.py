"""``SSHConfig``: the SSH communicator settings, under Packer's own key names.

Values arrive already prepared by the template layer: durations in seconds (Packer's ``"5m"`` is ``300.0``) and
Packer's defaults filled in (``ssh_port`` 22, ``ssh_timeout`` 5m, ``ssh_keep_alive_interval`` 5s,
``ssh_handshake_attempts`` 10, ``ssh_file_transfer_method`` scp). A keep-alive interval of zero or less disables
keep-alives, as Packer's negative durations do; ``ssh_read_write_timeout`` of zero means no read/write deadline.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.communicator.errors import CommunicatorError

FILE_TRANSFER_METHODS = ("scp", "sftp")


@dataclass(frozen=True)
class SSHConfig:
    ssh_host: str
    ssh_username: str
    ssh_port: int = 22
    ssh_password: str = ""
    ssh_private_key: str = ""
    """PEM/OpenSSH text of a private key held in memory: the temporary key pair a build creates."""
    ssh_private_key_file: str = ""
    ssh_agent_auth: bool = False
    ssh_timeout: float = 300.0
    ssh_handshake_attempts: int = 10
    ssh_pty: bool = False
    ssh_keep_alive_interval: float = 5.0
    ssh_read_write_timeout: float = 0.0
    ssh_file_transfer_method: str = "scp"
    ssh_ciphers: tuple[str, ...] = ()
    ssh_key_exchange_algorithms: tuple[str, ...] = ()
    ssh_bastion_host: str = ""
    ssh_bastion_port: int = 22
    ssh_bastion_username: str = ""
    ssh_bastion_password: str = ""
    ssh_bastion_private_key_file: str = ""
    """Packer defaults this to ``ssh_private_key_file`` when a bastion is set; so does ``bastion_key_file``."""
    ssh_bastion_agent_auth: bool = False
    ssh_disable_agent_forwarding: bool = False

    def __post_init__(self) -> None:
        if self.ssh_file_transfer_method not in FILE_TRANSFER_METHODS:
            raise CommunicatorError(
                f"ssh_file_transfer_method ('{self.ssh_file_transfer_method}') is invalid, valid methods: sftp, scp"
            )

    @property
    def address(self) -> str:
        return f"{self.ssh_host}:{self.ssh_port}"

    @property
    def bastion_key_file(self) -> str:
        return self.ssh_bastion_private_key_file or self.ssh_private_key_file
