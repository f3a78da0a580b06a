"""Running one remote command the way Packer's ``RemoteCmd.RunWithUi`` does, but cancellable.

Each stdout line becomes a UI message (``    NAME: line``), each stderr line a UI error (``==> NAME: line``), both
cleaned as Packer cleans them. A cancel (Ctrl-C, a provisioner ``timeout``) closes the connection, which ends the
command's relay at once; the caller then gets ``Cancelled`` with the Go context error (``context canceled``).
The communicator reconnects by itself on its next call (the cleanup provisioner, ``rm -f`` of the script).
"""

from __future__ import annotations

from typing import Any

from packer_py.build.cancel import CancelEvent
from packer_py.build.interfaces import BuildUi, Communicator
from packer_py.errors import PackerPyError
from packer_py.provisioners.environment import clean_output_line

CMD_DISCONNECT = 2300218
"""Packer's ``packersdk.CmdDisconnect``: the exit status of a command whose connection dropped."""


def run_with_ui(comm: Communicator, command: str, ui: BuildUi, cancel: CancelEvent) -> int:
    """Run ``command``, stream its output to ``ui``, return its exit status (``CMD_DISCONNECT`` if it dropped)."""

    def out(line: str) -> None:
        ui.message(clean_output_line(line))

    def err(line: str) -> None:
        ui.error(clean_output_line(line))

    return run_quiet(comm, command, cancel, out, err)


def run_quiet(
    comm: Communicator,
    command: str,
    cancel: CancelEvent,
    on_stdout: Any = None,
    on_stderr: Any = None,
) -> int:
    """Run ``command`` (output discarded unless sinks are given) and return its exit status."""
    cancel.check()
    sink = _discard
    try:
        with cancel.interrupting(comm.close):
            result = comm.run(command, on_stdout=on_stdout or sink, on_stderr=on_stderr or sink)
    except PackerPyError:
        cancel.check()
        raise
    cancel.check()
    status = getattr(result, "exit_status", result)
    return CMD_DISCONNECT if status is None else int(status)


def _discard(_line: str) -> None:
    pass
