"""The command line: thin click commands that parse Packer's flags and hand over to the library.

Packer parses flags with Go's ``flag`` package, so we follow its rules rather than click's defaults: single-dash
long flags (``-var``, ``-only=a,b``; ``--var`` works too), flags only before the TEMPLATE argument, usage text and
the error on stdout, and exit status 1 (not click's 2) for every usage mistake. ``-machine-readable`` is removed
from anywhere in the argument list, as Packer does. Only this module catches ``PackerPyError`` and decides the exit
status.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

from packer_py import PACKER_VERSION, __version__
from packer_py.errors import PackerPyError
from packer_py.ui import BasicUi, MachineReadableUi, Masker, Ui

COMMANDS_HELP = """Usage: packer [--version] [--help] <command> [<args>]

Available commands are:
    build           build image(s) from template
    console         creates a console for testing variable interpolation
    fix             fixes templates from old versions of packer
    fmt             Rewrites HCL2 config files to canonical format
    hcl2_upgrade    transform a JSON template into an HCL2 configuration
    inspect         see components of a template
    validate        check that a template is valid
    version         Prints the Packer version
"""

_VAR_HELP = (
    "  -var 'key=value'       Variable for templates, can be used multiple times.\n"
    "  -var-file=path         JSON or HCL2 file containing user variables. [ Note that even in HCL mode this "
    "expects file to contain JSON, a fix is comming soon ]"
)

HELP = {
    "validate": "Usage: packer validate [options] TEMPLATE\n\n"
    "  Checks the template is valid by parsing the template and also\n"
    "  checking the configuration with the various builders, provisioners, etc.\n\n"
    "  If it is not valid, the errors will be shown and the command will exit\n"
    "  with a non-zero exit status. If it is valid, it will exit with a zero\n"
    "  exit status.\n\n"
    "Options:\n\n"
    "  -syntax-only           Only check syntax. Do not verify config of the template.\n"
    "  -except=foo,bar,baz    Validate all builds other than these.\n"
    "  -only=foo,bar,baz      Validate only these builds.\n" + _VAR_HELP,
    "inspect": "Usage: packer inspect TEMPLATE\n\n"
    "  Inspects a template, parsing and outputting the components a template\n"
    "  defines. This does not validate the contents of a template (other than\n"
    "  basic syntax by necessity).\n\n"
    "Options:\n\n"
    "  -machine-readable  Machine-readable output",
    "console": "Usage: packer console [options] [TEMPLATE]\n\n"
    "  Creates a console for testing variable interpolation.\n"
    "  If a template is provided, this command will load the template and any\n"
    "  variables defined therein into its context to be referenced during\n"
    "  interpolation.\n\n"
    "Options:\n" + _VAR_HELP,
    "version": "Prints the Packer version, and checks for new release.",
    "hcl2_upgrade": "Usage: packer hcl2_upgrade [options] TEMPLATE\n\n"
    "  Will transform your JSON template into an HCL2 configuration.\n\n"
    "Options:\n\n"
    "  -output-file=path    Set output file name. By default this will be the\n"
    '                       TEMPLATE name with ".pkr.hcl" appended to it. To be a\n'
    "                       valid Packer HCL template, it must have the suffix\n"
    '                       ".pkr.hcl"\n'
    "  -with-annotations    Add helper annotation comments to the file to help new\n"
    "                       HCL2 users understand the template format.\n"
    "  -recursive           TEMPLATE is a folder: upgrade every JSON template in it\n"
    "                       and below, each to its own TEMPLATE.pkr.hcl, and print\n"
    "                       a summary table (packer-py).\n"
    "  -required-plugins=false  Do not write the required_plugins block that Packer\n"
    "                       1.7+ needs and Packer 1.6.6 rejects (packer-py).\n" + _VAR_HELP,
    "fmt": "Usage: packer fmt [options] [TEMPLATE]\n\n"
    "  Rewrites all Packer configuration files to a canonical format. Both\n"
    "  configuration files (.pkr.hcl) and variable files (.pkrvars.hcl) are updated.\n"
    "  JSON files (.json) are not modified.\n\n"
    '  If TEMPATE is "." the current directory will be used. The given content must\n'
    "  be in Packer's HCL2 configuration language; JSON is not supported.\n\n"
    "Options:\n"
    "  -check        Check if the input is formatted. Exit status will be 0 if all\n"
    "                 input is properly formatted and non-zero otherwise.\n\n"
    "  -diff         Display diffs of formatting change\n\n"
    "  -write=false  Don't write to source files\n"
    "                (always disabled if using -check)",
    "build": "Usage: packer build [options] TEMPLATE\n\n"
    "  Will execute multiple builds in parallel as defined in the template.\n"
    "  The various artifacts created by the template will be outputted.\n\n"
    "Options:\n\n"
    "  -color=false                  Disable color output. (Default: color)\n"
    "  -debug                        Debug mode enabled for builds.\n"
    "  -except=foo,bar,baz           Run all builds and post-processors other than these.\n"
    "  -only=foo,bar,baz             Build only the specified builds.\n"
    "  -force                        Force a build to continue if artifacts exist, deletes existing artifacts.\n"
    "  -machine-readable             Produce machine-readable output.\n"
    "  -on-error=[cleanup|abort|ask|run-cleanup-provisioner] If the build fails do: clean up (default), abort, ask, "
    "or run-cleanup-provisioner.\n"
    "  -parallel-builds=1            Number of builds to run in parallel. 1 disables parallelization. 0 means no "
    "limit (Default: 0)\n"
    "  -timestamp-ui                 Enable prefixing of each ui output with an RFC3339 timestamp.\n"
    "  -var 'key=value'              Variable for templates, can be used multiple times.\n"
    "  -var-file=path                JSON or HCL2 file containing user variables.",
    "local": "Usage: packer-py local <subcommand> [args]\n\n"
    "  Local mode's sandbox: ./.packer-py/local, or $PACKER_PY_LOCAL_DIR. A local build\n"
    "  (packer-py build -local TEMPLATE) keeps each AMI's content there as a layer tarball.\n\n"
    "Subcommands:\n"
    "    images               list the AMIs local builds registered\n"
    "    diff AMI_ID          list what the build changed: A added, C changed, D deleted\n"
    "    show AMI_ID [PATH]   the image's record and changes, or the content of PATH in its layer",
}

LOCAL_BUILD_HELP = (
    "  -local                        packer-py: build on this machine (embedded AWS endpoint, instances as\n"
    "                                namespaces over the host's /); see packer-py local -h."
)


class _State:
    machine_readable = False
    program = False
    """``main()`` runs as the program itself (the console script, ``python -m packer_py``), not called by a test."""


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


def _ui(masker: Masker | None = None) -> Ui:
    if _State.machine_readable:
        return MachineReadableUi(masker=masker)
    return BasicUi(masker=masker)


def _usage_exit(command: str, error: str | None = None) -> NoReturn:
    ui = BasicUi()
    ui.say(HELP[command])
    if error:
        ui.error(error)
    raise SystemExit(1)


class GoFlagCommand(click.Command):
    """A click command that behaves like a Go ``flag.FlagSet`` for errors and help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("context_settings", {})
        kwargs["context_settings"].update(
            allow_interspersed_args=False, help_option_names=[], ignore_unknown_options=False
        )
        kwargs["add_help_option"] = False
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if any(a in ("-h", "--h", "-help", "--help") for a in _flags_part(args)):
            BasicUi().say(HELP[self.name or ""])
            raise SystemExit(0)
        args = self._go_bools(args)
        original = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption:
            known = {o for p in self.params for o in getattr(p, "opts", [])}
            flag = next((a.split("=", 1)[0] for a in _flags_part(original) if a.split("=", 1)[0] not in known), "")
            _usage_exit(self.name or "", f"flag provided but not defined: {flag}")
        except click.BadParameter as exc:
            _usage_exit(self.name or "", exc.message)
        except click.UsageError as exc:
            msg = exc.message
            if "requires an argument" in msg:
                flag = msg.split("'")[1] if "'" in msg else msg
                msg = f"flag needs an argument: {flag}"
            _usage_exit(self.name or "", msg)

    def _go_bools(self, args: list[str]) -> list[str]:
        """Go's ``-flag=value`` for boolean flags (``-write=false``, ``-check=1``): click spells false ``--no-flag``.

        A boolean flag is a click option declared ``-flag/--no-flag``; the value is parsed by Go's
        ``strconv.ParseBool`` rules.
        """
        bools = {
            opt.lstrip("-"): param.secondary_opts[0]
            for param in self.params
            if isinstance(param, click.Option) and param.is_flag and param.secondary_opts
            for opt in param.opts
        }
        out: list[str] = []
        for i, arg in enumerate(args):
            if not arg.startswith("-") or arg in ("-", "--"):
                return out + args[i:]
            name, eq, value = arg.lstrip("-").partition("=")
            if eq and name in bools:
                if value in _GO_TRUE:
                    arg = "-" + name
                elif value in _GO_FALSE:
                    arg = bools[name]
                else:
                    _usage_exit(self.name or "", f'invalid boolean value "{value}" for -{name}: parse error')
            out.append(arg)
        return out


_GO_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_GO_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def _flags_part(args: Sequence[str]) -> list[str]:
    out = []
    for a in args:
        if not a.startswith("-") or a == "--":
            break
        out.append(a)
    return out


def _parse_var(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"invalid value \"{v}\" for flag -var: No '=' value in arg: {v}")
        key, _, value = v.partition("=")
        out[key] = value
    return out


def _comma_list(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> list[str]:
    return [item for v in values for item in v.split(",") if item]


def var_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("-var", "--var", "vars", multiple=True, callback=_parse_var)(f)
    f = click.option("-var-file", "--var-file", "var_files", multiple=True)(f)
    return f


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("-only", "--only", "only", multiple=True, callback=_comma_list)(f)
    f = click.option("-except", "--except", "except_", multiple=True, callback=_comma_list)(f)
    return f


def _fail(exc: PackerPyError) -> NoReturn:
    _ui().error(str(exc))
    raise SystemExit(exc.exit_code)


# -- commands ------------------------------------------------------------------------------------------------------
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
    if len(args) != 1:
        _usage_exit("validate")
    from packer_py.api import load_template

    try:
        tpl = load_template(args[0], vars=vars, var_files=var_files, config_type=config_type)
    except PackerPyError as exc:
        _fail(exc)
    ui = _ui()
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
    if len(args) > 1:
        _usage_exit("inspect")
    from packer_py.api import HclLoadedTemplate, load_template, placeholder_template

    try:
        if args or config_type == "hcl2":
            tpl = load_template(args[0] if args else "", vars=vars, var_files=var_files, config_type=config_type)
        else:
            tpl = placeholder_template(vars)
    except PackerPyError as exc:
        _fail(exc)
    warnings = getattr(tpl, "warnings", "")
    if warnings:
        _ui().say(warnings)
    secrets = tpl.secrets() if isinstance(tpl, HclLoadedTemplate) else []
    tpl.inspect().render(_ui(Masker(secrets)))


@click.command("console", cls=GoFlagCommand)
@var_options
@click.option("-config-type", "--config-type", "config_type", default=None)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def console_cmd(
    vars: dict[str, str], var_files: tuple[str, ...], config_type: str | None, args: tuple[str, ...]
) -> None:
    """HCL2 mode here (``packer_py.console.hcl_console``); legacy JSON mode is the JSON console's."""
    from packer_py.api import config_type as path_config_type

    path = args[0] if args else ""
    hcl = config_type == "hcl2" or (bool(path) and path_config_type(path) == "hcl2")
    if not hcl:
        from packer_py.api import LoadedTemplate, load_template, placeholder_template

        try:
            json_tpl = load_template(path, vars=vars, var_files=var_files) if path else placeholder_template(vars)
        except PackerPyError as exc:
            _fail(exc)
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
        _fail(exc)
    tpl.initialize()
    ui = _ui(Masker(tpl.secrets()))
    if tpl.warnings:
        ui.say(tpl.warnings)
    writes, rc = run_piped(tpl.config, sys.stdin)
    for stream, text in writes:
        (ui.error if stream == "error" else ui.say)(text)
    raise SystemExit(rc)


_GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True}
_GO_BOOLS.update({"0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False})
BUILD_BOOL_FLAGS = ("color", "debug", "force", "timestamp-ui", "local")


def split_go_bools(command: str, args: Sequence[str], names: Sequence[str]) -> tuple[dict[str, bool], list[str]]:
    """Go's boolean flags (``-color=false``, ``-debug``), which click cannot express, taken out of the flags part
    before click parses the rest. A bad value is Go's usage error."""
    values: dict[str, bool] = {}
    rest: list[str] = []
    flags_done = False
    for arg in args:
        if flags_done or not arg.startswith("-") or arg in ("-", "--"):
            flags_done = flags_done or not arg.startswith("-") or arg == "--"
            rest.append(arg)
            continue
        name, eq, value = arg.lstrip("-").partition("=")
        if name in names:
            if not eq:
                values[name] = True
            elif value in _GO_BOOLS:
                values[name] = _GO_BOOLS[value]
            else:
                _usage_exit(command, f'invalid boolean value "{value}" for -{name}: parse error')
            continue
        rest.append(arg)
    return values, rest


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
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if any(a in ("-h", "--h", "-help", "--help") for a in _flags_part(args)):
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
        _usage_exit("build")
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
        machine_readable=_State.machine_readable,
    )
    masker = Masker()
    configure_logging(os.environ, masker)
    try:
        tpl = load_template(args[0], vars=vars, var_files=var_files, config_type=config_type)
    except PackerPyError as exc:
        _fail(exc)
    warnings = getattr(tpl, "warnings", "")
    if warnings:
        _ui(masker).say(warnings)
    run: Any
    if bools.get("local"):
        from packer_py.local.build import local_build_run

        run = local_build_run(tpl, options, _ui(masker))
    else:
        run = tpl.build_run(options, _ui(masker))
    names: dict[int, str] = {signal.SIGINT: "interrupt", signal.SIGTERM: "terminated"}

    def on_signal(signum: int, _frame: object) -> None:
        run.cancel(names.get(signum, str(signum)))

    previous = {sig: signal.signal(sig, on_signal) for sig in names}
    try:
        outcome = run.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if _State.program:
        _leave(outcome.exit_code)
    raise SystemExit(outcome.exit_code)


@click.command("version", cls=GoFlagCommand)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def version_cmd(args: tuple[str, ...]) -> None:
    ui = _ui()
    ui.machine("version", PACKER_VERSION)
    ui.machine("version-prelease", "")
    ui.machine("version-commit", "")
    ui.say(f"Packer v{PACKER_VERSION}")
    if not _State.machine_readable:
        ui.say(f"(packer-py {__version__}: compatible with Packer v{PACKER_VERSION})")


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
        _usage_exit("fmt")
    from packer_py.diagnostics import has_errors, render_all
    from packer_py.translate.formatter import HCL2Formatter

    def write_out(data: bytes) -> None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    formatter = HCL2Formatter(write_out, show_diff=diff, write=write and not check, recursive=recursive)
    outcome = formatter.format(args[0])
    if outcome.diagnostics:
        if has_errors(outcome.diagnostics):
            _ui().error(render_all(outcome.diagnostics))
            raise SystemExit(1)
        _ui().say(render_all(outcome.diagnostics))
    if check and outcome.bytes_modified > 0:
        raise SystemExit(3)


# -- imagebuilder (a packer-py extension, not a Packer command) ---------------------------------------------------
@click.group("imagebuilder")
def imagebuilder_group() -> None:
    """EC2 Image Builder: export a template, apply the export, run a component on a host."""


@imagebuilder_group.command("export")
@filter_options
@var_options
@click.option("-o", "--output", "-output", "output", required=True, help="Directory to write (created).")
@click.option("--bucket", default=None, help="S3 bucket for staged files (default: derived from the name).")
@click.option("--name", default=None, help="Base of the resource names (default: template stem + build name).")
@click.option("--resolve-source", is_flag=True, help="Resolve source_ami_filter to an AMI ID with boto3.")
@click.argument("template")
def imagebuilder_export_cmd(
    only: list[str],
    except_: list[str],
    vars: dict[str, str],
    var_files: tuple[str, ...],
    output: str,
    bucket: str | None,
    name: str | None,
    resolve_source: bool,
    template: str,
) -> None:
    """Write component YAML, request JSON, deploy.sh and README.md for each amazon-ebs build of TEMPLATE."""
    from pathlib import Path

    from packer_py.api import load_template
    from packer_py.imagebuilder.export import ExportOptions, export_template
    from packer_py.imagebuilder.output import export_command, write_export

    tpl = load_template(template, vars=vars, var_files=var_files, strict_1_6_6=False)
    resolver = None
    if resolve_source:
        from packer_py.imagebuilder.source import resolve_source_ami

        resolver = resolve_source_ami
    options = ExportOptions(only=only, except_=except_, bucket=bucket, name=name, resolver=resolver)
    exports = export_template(tpl, options)
    command = export_command(
        template,
        output,
        var_names=vars,
        var_files=var_files,
        only=only,
        except_=except_,
        bucket=bucket,
        name=name,
        resolve_source=resolve_source,
    )
    written = write_export(exports, Path(output), command)
    ui = _ui()
    for export in exports:
        where = Path(output) / export.folder
        ui.say(f"==> {export.build_name}: {where} ({len(export.warnings)} warning(s))")
        for warning in export.warnings:
            ui.say(f"    [{warning.kind}] {warning}")
    ui.say(f"Wrote {len(written)} files in {output}")


@imagebuilder_group.command("apply")
@filter_options
@var_options
@click.option("--start", is_flag=True, help="Start a pipeline execution.")
@click.option("--wait", is_flag=True, help="With --start: follow the image build until it ends.")
@click.option("--bucket", default=None)
@click.option("--name", default=None)
@click.argument("target")
def imagebuilder_apply_cmd(
    only: list[str],
    except_: list[str],
    vars: dict[str, str],
    var_files: tuple[str, ...],
    start: bool,
    wait: bool,
    bucket: str | None,
    name: str | None,
    target: str,
) -> None:
    """Create or update the resources of an export directory (or of a template, exported on the fly)."""
    import time
    from pathlib import Path

    from packer_py.imagebuilder.apply import Applier, Clients
    from packer_py.imagebuilder.output import is_export_dir

    ui = _ui()
    if is_export_dir(target):
        from packer_py.imagebuilder.output import export_folders, read_export

        exports = [read_export(folder) for folder in export_folders(Path(target))]
    else:
        from packer_py.api import load_template
        from packer_py.imagebuilder.export import ExportOptions, export_template

        tpl = load_template(target, vars=vars, var_files=var_files, strict_1_6_6=False)
        exports = export_template(tpl, ExportOptions(only=only, except_=except_, bucket=bucket, name=name))
    for export in exports:
        applier = Applier(Clients.for_region(export.region), say=ui.say, sleep=time.sleep)
        result = applier.apply(export, start=start, wait=wait)
        for action in result.actions:
            ui.say(f"==> {export.build_name}: {action}")
        ui.say(f"==> {export.build_name}: pipeline {result.pipeline_arn}")


def _parameters(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        key, eq, value = v.partition("=")
        if not eq or not value:
            raise click.BadParameter(f"{v!r}: expected NAME=VALUE (an empty value is invalid, as in awstoe)")
        out[key] = value
    return out


@imagebuilder_group.command("run-component")
@click.option("--host", required=True)
@click.option("--port", default=22, type=int)
@click.option("--ssh-username", "ssh_username", default="root")
@click.option("--ssh-password", "ssh_password", default="")
@click.option("--ssh-private-key-file", "ssh_private_key_file", default="")
@click.option("--ssh-timeout", "ssh_timeout", default=300.0, type=float)
@click.option("--phases", default="", help="Comma-separated phases (default: all, in document order).")
@click.option("--parameter", "parameters", multiple=True, callback=_parameters, help="NAME=VALUE, repeatable.")
@click.option("--sudo/--no-sudo", "sudo", default=None, help="Run as root with sudo -n (default: unless root).")
@click.option("--log-directory", "log_directory", default=None, help="Write detailedoutput.json here.")
@click.argument("document")
def imagebuilder_run_component_cmd(
    host: str,
    port: int,
    ssh_username: str,
    ssh_password: str,
    ssh_private_key_file: str,
    ssh_timeout: float,
    phases: str,
    parameters: dict[str, str],
    sudo: bool | None,
    log_directory: str | None,
    document: str,
) -> None:
    """Run DOCUMENT's phases on HOST over SSH with AWSTOE's semantics (S3 through this machine's credentials)."""
    from pathlib import Path

    from packer_py.communicator import SSHConfig
    from packer_py.imagebuilder.document import load_document_file
    from packer_py.imagebuilder.errors import ComponentRunError
    from packer_py.imagebuilder.toe import run_on_host

    doc = load_document_file(document)
    config = SSHConfig(
        ssh_host=host,
        ssh_port=port,
        ssh_username=ssh_username,
        ssh_password=ssh_password,
        ssh_private_key_file=ssh_private_key_file,
        ssh_timeout=ssh_timeout,
    )
    ui = _ui()
    wanted = [p for p in phases.split(",") if p] or None
    result = run_on_host(doc, config, phases=wanted, parameters=parameters, sudo=sudo, log=ui.say)
    if log_directory:
        result.write_detailed_output(Path(log_directory))
    for step in result.steps:
        ui.say(step.summary)
    if not result.ok:
        raise ComponentRunError(f"document {document}: {result.status}")
    ui.say(f"document {document}: {result.status}")


@click.command("local", cls=GoFlagCommand)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def local_cmd(args: tuple[str, ...]) -> None:
    """packer-py's own ``local`` commands: read the sandbox's image records and layers (``packer_py.local``)."""
    from packer_py.local import ImageStore, local_dir, say_changes, say_image, say_images

    store = ImageStore(local_dir() / "images")
    ui = _ui()
    sub, rest = (args[0], args[1:]) if args else ("", ())
    if sub == "images" and not rest:
        say_images(store, ui)
    elif sub == "diff" and len(rest) == 1:
        say_changes(store, rest[0], ui)
    elif sub == "show" and len(rest) == 1:
        say_image(store, rest[0], ui)
    elif sub == "show" and len(rest) == 2:
        data = store.read_file(rest[0], rest[1])
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        _usage_exit("local")


@click.command("hcl2_upgrade", cls=GoFlagCommand)
@click.option("-output-file", "--output-file", "output_file", default="")
@click.option("-with-annotations/--no-with-annotations", "--with-annotations", "with_annotations", default=False)
@click.option("-recursive/--no-recursive", "--recursive", "recursive", default=False)
@click.option("-required-plugins/--no-required-plugins", "--required-plugins", "required_plugins", default=True)
@var_options
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def hcl2_upgrade_cmd(
    output_file: str,
    with_annotations: bool,
    recursive: bool,
    required_plugins: bool,
    vars: dict[str, str],
    var_files: tuple[str, ...],
    args: tuple[str, ...],
) -> None:
    """Packer's ``hcl2_upgrade`` (1.6.6 flags plus the newer ``-with-annotations``), and ``-recursive DIR``.

    As Packer does, an initialization error (a required variable not set) is printed and ignored, and success
    ends with ``Successfully created FILE `` (trailing space included). Translation warnings go to stderr as
    ``file:line: message``.
    """
    if len(args) != 1:
        _usage_exit("hcl2_upgrade")
    from packer_py.translate.hcl2_upgrade import UpgradeOptions, upgrade_file

    options = UpgradeOptions(with_annotations=with_annotations, required_plugins=required_plugins)
    ui = _ui()
    if recursive:
        from packer_py.translate.upgrade_batch import upgrade_tree

        if output_file:
            _usage_exit("hcl2_upgrade", "-output-file cannot be used with -recursive")
        report = upgrade_tree(args[0], options)
        for entry in report.entries:
            for warning in entry.upgrade.result.warnings if entry.upgrade else []:
                ui.error(str(warning))
        ui.say(report.table())
        if report.failures:
            raise SystemExit(1)
        return
    try:
        done = upgrade_file(args[0], output_file or None, options=options, vars=vars, var_files=var_files)
    except PackerPyError as exc:
        _fail(exc)
    if done.init_error is not None:
        ui.error(f"Ignoring following initialization error: {done.init_error}")
    for warning in done.result.warnings:
        ui.error(str(warning))
    ui.say(f"Successfully created {done.output_path} ")
    for path in done.var_file_outputs:
        ui.say(f"Successfully created {path} ")


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
    """Entry point of the ``packer-py`` console script."""
    _State.program = argv is None
    args = list(sys.argv[1:] if argv is None else argv)
    if "-machine-readable" in args or "--machine-readable" in args:
        _State.machine_readable = True
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
        _fail(exc)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.ClickException as exc:  # the imagebuilder extension uses click's own parsing
        _ui().error(f"{exc.format_message()}")
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(1) from None
    raise SystemExit(0)


if __name__ == "__main__":
    main()
