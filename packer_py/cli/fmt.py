"""``fmt``: the formatting is ``packer_py.translate.formatter``'s; here the flags, where its bytes go, the exit status.

The formatted text (``-write=false``, ``-``) and the diffs (``-diff``) are bytes written to stdout as they come, as
Packer writes them; diagnostics follow them, after all files.
"""

from __future__ import annotations

import click

from packer_py.cli.goflags import GoFlagCommand, usage_exit
from packer_py.cli.invocation import make_ui, write_bytes


@click.command("fmt", cls=GoFlagCommand)
@click.option("-check/--no-check", "--check", "check", default=False)
@click.option("-diff/--no-diff", "--diff", "diff", default=False)
@click.option("-write/--no-write", "--write", "write", default=True)
@click.option("-recursive/--no-recursive", "--recursive", "recursive", default=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def fmt_cmd(check: bool, diff: bool, write: bool, recursive: bool, args: tuple[str, ...]) -> None:
    """Packer 1.6.6's ``fmt`` plus the newer ``-recursive`` and ``-`` (stdin); exit status 3 when ``-check`` finds
    a file to reformat, 1 on any error (errors are printed after all files, as Packer does)."""
    if len(args) != 1:
        usage_exit("fmt")
    from packer_py.diagnostics import has_errors, render_all
    from packer_py.translate.formatter import HCL2Formatter

    formatter = HCL2Formatter(write_bytes, show_diff=diff, write=write and not check, recursive=recursive)
    outcome = formatter.format(args[0])
    if outcome.diagnostics:
        if has_errors(outcome.diagnostics):
            make_ui().error(render_all(outcome.diagnostics))
            raise SystemExit(1)
        make_ui().say(render_all(outcome.diagnostics))
    if check and outcome.bytes_modified > 0:
        raise SystemExit(3)
