"""``validate``, ``inspect`` and ``console``: the commands that load a template and report on it without building.

Each loads through ``packer_py.api`` (``-config-type=hcl2`` or the path picks the HCL2 loader, as Packer's
``GetConfig`` does) and prints what the library returns; the library is imported inside the command, so none of them
loads boto3, botocore, paramiko or jsonschema.
"""

from __future__ import annotations

import sys

import click

from packer_py.cli.goflags import GoFlagCommand, filter_options, usage_exit, var_options
from packer_py.cli.invocation import fail, make_ui
from packer_py.errors import PackerPyError
from packer_py.ui import Masker


@click.command("validate", cls=GoFlagCommand)
@click.option("-syntax-only", "--syntax-only", "syntax_only", is_flag=True)
@filter_options
@var_options
@click.option("-config-type", "--config-type", "config_type", default=None)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def validate_cmd(
    syntax_only: bool,
    only: list[str],
    except_: list[str],
    vars: dict[str, str],
    var_files: tuple[str, ...],
    config_type: str | None,
    args: tuple[str, ...],
) -> None:
    """Packer's ``validate``: template warnings first, then the diagnostics; exit 1 when one is an error."""
    if len(args) != 1:
        usage_exit("validate")
    from packer_py.api import load_template
    from packer_py.diagnostics import locations_wanted, render_locations

    try:
        tpl = load_template(args[0], vars=vars, var_files=var_files, config_type=config_type)
    except PackerPyError as exc:
        fail(exc)
    ui = make_ui()
    warnings = getattr(tpl, "warnings", "")
    if warnings:
        ui.say(warnings)
    if syntax_only:
        ui.say("Syntax-only check passed. Everything looks okay.")
        return
    result = tpl.validate(only=only, except_=except_)
    text = result.render()
    if text:
        if result.ok:
            ui.say(text)
        else:
            ui.error(text)
            if locations_wanted():
                located = render_locations(result.diagnostics)
                if located:
                    ui.error(located)
            raise SystemExit(1)


@click.command("inspect", cls=GoFlagCommand)
@filter_options
@var_options
@click.option("-config-type", "--config-type", "config_type", default=None)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def inspect_cmd(
    only: list[str],
    except_: list[str],
    vars: dict[str, str],
    var_files: tuple[str, ...],
    config_type: str | None,
    args: tuple[str, ...],
) -> None:
    """Packer's ``inspect``; with no TEMPLATE, Packer's placeholder template (HCL2 mode: an empty configuration)."""
    if len(args) > 1:
        usage_exit("inspect")
    from packer_py.api import HclLoadedTemplate, load_template, placeholder_template

    try:
        if args or config_type == "hcl2":
            tpl = load_template(args[0] if args else "", vars=vars, var_files=var_files, config_type=config_type)
        else:
            tpl = placeholder_template(vars)
    except PackerPyError as exc:
        fail(exc)
    warnings = getattr(tpl, "warnings", "")
    if warnings:
        make_ui().say(warnings)
    secrets = tpl.secrets() if isinstance(tpl, HclLoadedTemplate) else []
    tpl.inspect().render(make_ui(Masker(secrets)))


@click.command("console", cls=GoFlagCommand)
@var_options
@click.option("-config-type", "--config-type", "config_type", default=None)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def console_cmd(
    vars: dict[str, str], var_files: tuple[str, ...], config_type: str | None, args: tuple[str, ...]
) -> None:
    """Packer's ``console`` on piped input. HCL2 mode here (``packer_py.console.hcl_console``); legacy JSON mode is
    the JSON console's, whose output is already the text to print."""
    from packer_py.api import config_type as path_config_type

    path = args[0] if args else ""
    hcl = config_type == "hcl2" or (bool(path) and path_config_type(path) == "hcl2")
    if not hcl:
        from packer_py.api import LoadedTemplate, load_template, placeholder_template

        try:
            json_tpl = load_template(path, vars=vars, var_files=var_files) if path else placeholder_template(vars)
        except PackerPyError as exc:
            fail(exc)
        assert isinstance(json_tpl, LoadedTemplate)  # a JSON path loads as JSON
        result = json_tpl.console(sys.stdin)
        sys.stdout.write(result.stdout)
        sys.stdout.flush()
        raise SystemExit(result.exit_code)
    from packer_py.api import load_hcl_template, variables_only_hcl_template
    from packer_py.console.hcl_console import run_piped

    try:
        if path:
            tpl = load_hcl_template(path, vars=vars, var_files=var_files)
        else:
            tpl = variables_only_hcl_template(vars=vars, var_files=var_files)
    except PackerPyError as exc:
        fail(exc)
    tpl.initialize()
    ui = make_ui(Masker(tpl.secrets()))
    if tpl.warnings:
        ui.say(tpl.warnings)
    writes, rc = run_piped(tpl.config, sys.stdin)
    for stream, text in writes:
        (ui.error if stream == "error" else ui.say)(text)
    raise SystemExit(rc)
