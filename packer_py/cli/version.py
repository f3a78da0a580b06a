"""``version``: Packer's ``version`` output, reporting the Packer release packer-py reproduces.

Packer emits ``version``, ``version-prelease`` and ``version-commit`` machine-readable events before its line; the
packer-py line is left out of ``-machine-readable`` output so that tools parsing it see exactly Packer's events.
"""

from __future__ import annotations

import click

from packer_py import PACKER_VERSION, __version__
from packer_py.cli.goflags import GoFlagCommand
from packer_py.cli.invocation import Invocation, make_ui


@click.command("version", cls=GoFlagCommand)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def version_cmd(args: tuple[str, ...]) -> None:
    """Arguments are ignored, as Packer ignores them."""
    ui = make_ui()
    ui.machine("version", PACKER_VERSION)
    ui.machine("version-prelease", "")
    ui.machine("version-commit", "")
    ui.say(f"Packer v{PACKER_VERSION}")
    if not Invocation.machine_readable:
        ui.say(f"(packer-py {__version__}: compatible with Packer v{PACKER_VERSION})")
