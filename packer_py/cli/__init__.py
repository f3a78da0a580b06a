"""The command line: thin click commands that parse Packer's flags and hand over to the library.

Packer parses flags with Go's ``flag`` package, so we follow its rules rather than click's defaults (``goflags``):
single-dash long flags (``-var``, ``-only=a,b``; ``--var`` works too), flags only before the TEMPLATE argument,
usage text and the error on stdout, and exit status 1 (not click's 2) for every usage mistake. ``-machine-readable``
is removed from anywhere in the argument list, as Packer does (``invocation``). Only this package catches
``PackerPyError`` and decides the exit status.

One module per command group: ``templates`` (``validate``, ``inspect``, ``console``), ``build``, ``fmt``,
``hcl2_upgrade``, ``version``, and packer-py's own ``local`` and ``imagebuilder``; ``help`` holds the usage texts.
Each command imports the library inside its function, so ``version``, ``validate``, ``inspect`` and ``fmt`` never
load boto3, botocore, paramiko or jsonschema.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from packer_py import PACKER_VERSION
from packer_py.cli.build import build_cmd
from packer_py.cli.fmt import fmt_cmd
from packer_py.cli.hcl2_upgrade import hcl2_upgrade_cmd
from packer_py.cli.help import COMMANDS_HELP
from packer_py.cli.imagebuilder import imagebuilder_group
from packer_py.cli.invocation import Invocation, fail, make_ui
from packer_py.cli.local import local_cmd
from packer_py.cli.templates import console_cmd, inspect_cmd, validate_cmd
from packer_py.cli.version import version_cmd
from packer_py.errors import PackerPyError

__all__ = ["COMMANDS", "main"]

COMMANDS: dict[str, click.Command] = {
    "local": local_cmd,
    "build": build_cmd,
    "validate": validate_cmd,
    "inspect": inspect_cmd,
    "console": console_cmd,
    "version": version_cmd,
    "fmt": fmt_cmd,
    "imagebuilder": imagebuilder_group,
    "hcl2_upgrade": hcl2_upgrade_cmd,
}


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``packer-py`` console script: Packer's top level (``-v``, the command list and exit 127
    for an unknown command), then the command, whose ``PackerPyError`` is printed and sets the exit status."""
    Invocation.program = argv is None
    args = list(sys.argv[1:] if argv is None else argv)
    if "-machine-readable" in args or "--machine-readable" in args:
        Invocation.machine_readable = True
        args = [a for a in args if a not in ("-machine-readable", "--machine-readable")]
    if args and args[0] in ("-v", "--v", "-version", "--version"):
        print(PACKER_VERSION)
        raise SystemExit(0)
    if not args or args[0] not in COMMANDS:
        sys.stdout.write(COMMANDS_HELP + "\n")
        raise SystemExit(127)
    command = COMMANDS[args[0]]
    try:
        command.main(args=args[1:], prog_name=f"packer {args[0]}", standalone_mode=False)
    except PackerPyError as exc:
        fail(exc)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.ClickException as exc:  # the imagebuilder extension uses click's own parsing
        make_ui().error(f"{exc.format_message()}")
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(1) from None
    raise SystemExit(0)
