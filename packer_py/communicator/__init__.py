"""The SSH communicator: how a build reaches its instance (connect, run commands, move files).

Importing this package does not import paramiko; the first connection does.
"""

from __future__ import annotations

from packer_py.communicator.config import SSHConfig
from packer_py.communicator.errors import (
    CommandTimeoutError,
    CommunicatorError,
    SSHAuthError,
    SSHConnectError,
    SSHDialError,
    SSHDisconnectedError,
    SSHKeyError,
    SSHTimeoutError,
    TransferError,
)
from packer_py.communicator.ssh import RemoteResult, SSHCommunicator

__all__ = [
    "CommandTimeoutError",
    "CommunicatorError",
    "RemoteResult",
    "SSHAuthError",
    "SSHCommunicator",
    "SSHConfig",
    "SSHConnectError",
    "SSHDialError",
    "SSHDisconnectedError",
    "SSHKeyError",
    "SSHTimeoutError",
    "TransferError",
]
