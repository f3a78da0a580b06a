"""``build``: Packer's flags, the signals and the log set up, then the build is the library's (``packer_py.build``).

Packer declares ``-color``, ``-debug``, ``-force`` and ``-timestamp-ui`` as Go boolean flags (``-color=false``,
``-debug=1``); they, and packer-py's ``-local``, are taken out of the flags part before click parses the rest
(``split_go_bools``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

from packer_py.cli.goflags import GoFlagCommand, filter_options, split_go_bools, usage_exit, var_options, wants_help
from packer_py.cli.help import HELP, LOCAL_BUILD_HELP
from packer_py.cli.invocation import Invocation, fail, make_ui
from packer_py.errors import PackerPyError
from packer_py.ui import BasicUi, Masker

if TYPE_CHECKING:
    from packer_py.build.runner import BuildRun
    from packer_py.local.build import LocalBuildRun

BUILD_BOOL_FLAGS = ("color", "debug", "force", "timestamp-ui", "local")


def _parse_parallel(ctx: click.Context, param: click.Parameter, value: str | None) -> int:
    if value is None:
        return 0
    try:
        return int(value, 0)
    except ValueError:
        raise click.BadParameter(f'invalid value "{value}" for flag -parallel-builds: parse error') from None


def _parse_on_error(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    from packer_py.build.runner import ON_ERROR_CHOICES

    if value is None:
        return "cleanup"
    if value not in ON_ERROR_CHOICES:
        choices = " ".join(f'"{c}"' for c in ON_ERROR_CHOICES)
        raise click.BadParameter(f'invalid value "{value}" for flag -on-error: expected one of [{choices}]')
    return value


class BuildCommand(GoFlagCommand):
    """``build``'s help adds ``-local``; its Go boolean flags are parsed before click sees the rest (in
    ``ctx.meta["go_bools"]``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if wants_help(args):
            BasicUi().say(HELP["build"] + "\n" + LOCAL_BUILD_HELP)
            raise SystemExit(0)
        bools, rest = split_go_bools("build", args, BUILD_BOOL_FLAGS)
        ctx.meta["go_bools"] = bools
        return super().parse_args(ctx, rest)


@click.command("build", cls=BuildCommand)
@filter_options
@var_options
@click.option("-parallel-builds", "--parallel-builds", "parallel_builds", default=None, callback=_parse_parallel)
@click.option("-on-error", "--on-error", "on_error", default=None, callback=_parse_on_error)
@click.option("-config-type", "--config-type", "config_type", default=None)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def build_cmd(
    ctx: click.Context,
    only: list[str],
    except_: list[str],
    vars: dict[str, str],
    var_files: tuple[str, ...],
    parallel_builds: int,
    on_error: str,
    config_type: str | None,
    args: tuple[str, ...],
) -> None:
    """Packer's ``build``: the work is ``packer_py.build.runner``; here only flags, signals and the log."""
    import os
    import signal

    from packer_py.api import load_template
    from packer_py.build.log import configure_logging
    from packer_py.build.runner import BuildOptions

    if len(args) != 1:
        usage_exit("build")
    bools = ctx.meta.get("go_bools", {})
    options = BuildOptions(
        only=only,
        except_=except_,
        parallel_builds=parallel_builds,
        debug=bools.get("debug", False),
        force=bools.get("force", False),
        on_error=on_error,
        timestamp_ui=bools.get("timestamp-ui", False),
        color=bools.get("color", True),
        machine_readable=Invocation.machine_readable,
    )
    masker = Masker()
    configure_logging(os.environ, masker)
    try:
        tpl = load_template(args[0], vars=vars, var_files=var_files, config_type=config_type)
    except PackerPyError as exc:
        fail(exc)
    warnings = getattr(tpl, "warnings", "")
    if warnings:
        make_ui(masker).say(warnings)
    run: BuildRun | LocalBuildRun
    if bools.get("local"):
        from packer_py.local.build import local_build_run

        run = local_build_run(tpl, options, make_ui(masker))
    else:
        run = tpl.build_run(options, make_ui(masker))
    names: dict[int, str] = {signal.SIGINT: "interrupt", signal.SIGTERM: "terminated"}

    def on_signal(signum: int, _frame: object) -> None:
        run.cancel(names.get(signum, str(signum)))

    previous = {sig: signal.signal(sig, on_signal) for sig in names}
    try:
        outcome = run.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if Invocation.program:
        _leave(outcome.exit_code)
    raise SystemExit(outcome.exit_code)


def _leave(code: int) -> NoReturn:
    """End the program after ``build``: what was printed and logged is flushed, then the process exits without the
    interpreter's teardown (freeing botocore's models, paramiko's state and a few hundred modules costs 40-60 ms and
    does nothing the user can see). Every file the build wrote was closed by then; only daemon threads remain."""
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
