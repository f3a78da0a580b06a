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
}

# The smallest template Packer falls back to when `inspect`/`console` get no TEMPLATE.
TINIEST_TEMPLATE = b'{"builders": [{"communicator": "none", "type": "null"}]}'


class _State:
    machine_readable = False


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
    try:
        tpl = _load(args[0], vars, var_files, config_type)
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


def _load(path: str, vars: dict[str, str], var_files: Sequence[str], config_type: str | None) -> Any:
    """``GetConfig``: ``-config-type=hcl2`` (or a folder / ``.pkr.hcl`` path) selects the HCL2 loader."""
    from packer_py.api import load_hcl_template, load_template

    if config_type == "hcl2":
        return load_hcl_template(path, vars=vars, var_files=var_files)
    return load_template(path, vars=vars, var_files=var_files)


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
    from packer_py.api import LoadedTemplate
    from packer_py.template.json_loader import parse_json_template

    try:
        if args or config_type == "hcl2":
            tpl = _load(args[0] if args else "", vars, var_files, config_type)
        else:
            tpl = LoadedTemplate(parse_json_template(TINIEST_TEMPLATE, ""), dict(vars))
    except PackerPyError as exc:
        _fail(exc)
    warnings = getattr(tpl, "warnings", "")
    if warnings:
        _ui().say(warnings)
    secrets = tpl.secrets() if hasattr(tpl, "secrets") else []
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
        from packer_py.api import LoadedTemplate, load_template
        from packer_py.template.json_loader import parse_json_template

        try:
            if path:
                json_tpl = load_template(path, vars=vars, var_files=var_files)
            else:
                json_tpl = LoadedTemplate(parse_json_template(TINIEST_TEMPLATE, ""), dict(vars))
        except PackerPyError as exc:
            _fail(exc)
        result = json_tpl.console(sys.stdin)
        sys.stdout.write(result.stdout)
        sys.stdout.flush()
        raise SystemExit(result.exit_code)
    from packer_py.api import HclLoadedTemplate, load_hcl_template
    from packer_py.console.hcl_console import run_piped
    from packer_py.template.hcl_loader import parse_hcl

    try:
        if path:
            tpl = load_hcl_template(path, vars=vars, var_files=var_files)
        else:
            cfg, _ = parse_hcl("", list(var_files), vars)
            assert cfg is not None
            tpl = HclLoadedTemplate(cfg)
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
    "validate": validate_cmd,
    "inspect": inspect_cmd,
    "console": console_cmd,
    "version": version_cmd,
    "fmt": fmt_cmd,
    "hcl2_upgrade": hcl2_upgrade_cmd,
}


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``packer-py`` console script."""
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
    except KeyboardInterrupt:
        raise SystemExit(1) from None
    raise SystemExit(0)


if __name__ == "__main__":
    main()
