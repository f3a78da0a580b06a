"""The SSH communicator's exceptions.

::

    BuildError
    └── CommunicatorError           any SSH failure a user should see as a message
        ├── SSHConnectError         one connection attempt failed (banner, key exchange); retried after a pause
        │   ├── SSHDialError        the TCP connection (or the bastion hop) failed; retried
        │   └── SSHAuthError        the server refused every credential; counts against ssh_handshake_attempts
        ├── SSHTimeoutError         "Timeout waiting for SSH." (ssh_timeout ran out)
        ├── SSHKeyError             a private key cannot be read or parsed; never retried
        ├── SSHDisconnectedError    the connection dropped in the middle of a transfer
        ├── CommandTimeoutError     a command outlived the timeout given to run()
        └── TransferError           scp / sftp / tar on the remote side reported a failure

A remote command's exit status is *not* an error: ``run`` returns it (``RemoteResult``) and the provisioner judges it
(``valid_exit_codes``), as in Packer. A connection that drops while a command runs is not an error either: the
result's ``exit_status`` is ``None`` (Packer's ``2300218``), which ``expect_disconnect`` tolerates.

paramiko's own exceptions are translated into these in one place, ``packer_py.communicator.boundary``.
"""

from __future__ import annotations

from packer_py.errors import BuildError


class CommunicatorError(BuildError):
    """An SSH failure."""


class SSHConnectError(CommunicatorError):
    """One attempt to connect failed; ``StepConnectSSH`` logs it and tries again until ``ssh_timeout``."""


class SSHDialError(SSHConnectError):
    """The TCP connection could not be made (refused, unreachable, timed out), directly or through the bastion."""


class SSHAuthError(SSHConnectError):
    """The server refused every offered credential.

    Packer counts these (and only these) against ``ssh_handshake_attempts``; the message keeps the word
    "authenticate", which is how Packer recognises them.
    """


class SSHTimeoutError(CommunicatorError):
    """``ssh_timeout`` ran out before a connection was made."""

    def __init__(self, message: str = "Timeout waiting for SSH.") -> None:
        super().__init__(message)


class SSHKeyError(CommunicatorError):
    """A private key could not be read or parsed."""


class SSHDisconnectedError(CommunicatorError):
    """The connection dropped while a transfer or a session request was in progress."""


class CommandTimeoutError(CommunicatorError):
    """A remote command ran longer than the ``timeout`` given to ``run``; its channel was closed."""


class TransferError(CommunicatorError):
    """The remote side of a file transfer failed; the message is the remote's own (``scp: /x: No such file...``)."""
