"""This run of the program: the global flags ``main()`` took out of the arguments, and the output they select.

Packer removes ``-machine-readable`` from anywhere in the argument list before a command parses its own flags, and
every command's ``Ui`` then writes machine-readable lines; so the flag lives here rather than in each command.
An error a command cannot get past is printed through that ``Ui`` and ends the program with the error's
``exit_code`` (1, as Packer exits on any error).
"""

from __future__ import annotations

import sys
from typing import NoReturn

from packer_py.errors import PackerPyError
from packer_py.ui import BasicUi, MachineReadableUi, Masker, Ui


class Invocation:
    machine_readable = False
    """``-machine-readable`` was given (anywhere in the arguments)."""
    program = False
    """``main()`` runs as the program itself (the console script, ``python -m packer_py``), not called by a test."""


def make_ui(masker: Masker | None = None) -> Ui:
    """The ``Ui`` every command writes through: Packer's ``BasicUi`` or, with ``-machine-readable``, its lines."""
    if Invocation.machine_readable:
        return MachineReadableUi(masker=masker)
    return BasicUi(masker=masker)


def fail(exc: PackerPyError) -> NoReturn:
    """End the command as Packer does on this error: its message through the ``Ui``, then its exit status. Where the
    error knows its places in the template, packer-py's located lines follow Packer's text (``PACKER_PY_LOCATIONS``)."""
    ui = make_ui()
    ui.error(str(exc))
    if exc.locations:
        from packer_py.diagnostics import locations_wanted, render_findings

        if locations_wanted():
            ui.error(render_findings(exc.locations))
    raise SystemExit(exc.exit_code)


def write_bytes(data: bytes) -> None:
    """Raw bytes on stdout (a formatted file, a file of an image's layer), after any text already written."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
