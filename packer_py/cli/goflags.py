"""Go's ``flag`` package rules on top of click, as Packer's commands parse their flags.

* Long flags take one dash (``-var``, ``-only=a,b``); two work too, as in Go.
* Flags come before the TEMPLATE argument: the first argument that is not a flag ends them (``--`` too).
* Boolean flags take Go's ``strconv.ParseBool`` values (``-write=false``, ``-check=1``, ``-debug=T``).
* ``-h`` / ``-help`` print the command's usage and exit 0; a usage mistake prints the usage, then Go's wording of
  the error (``flag provided but not defined: -x``, ``flag needs an argument: -var``), both on stdout, and exits 1
  (not click's 2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

from packer_py.cli.help import HELP
from packer_py.ui import BasicUi

GO_BOOL_VALUES = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}
"""What ``strconv.ParseBool`` accepts."""

HELP_FLAGS = ("-h", "--h", "-help", "--help")


def usage_exit(command: str, error: str | None = None) -> NoReturn:
    """Go's ``flag.Usage`` then exit 1: the command's help text, then the error (when there is one)."""
    ui = BasicUi()
    ui.say(HELP[command])
    if error:
        ui.error(error)
    raise SystemExit(1)


def flags_part(args: Sequence[str]) -> list[str]:
    """The arguments Go parses as flags: those before the first non-flag argument or ``--``."""
    out = []
    for a in args:
        if not a.startswith("-") or a == "--":
            break
        out.append(a)
    return out


def wants_help(args: Sequence[str]) -> bool:
    return any(a in HELP_FLAGS for a in flags_part(args))


class GoFlagCommand(click.Command):
    """A click command that behaves like a Go ``flag.FlagSet`` for errors and help (see the module docstring).

    A boolean flag is declared ``-flag/--no-flag``; ``-flag=VALUE`` is turned into one of the two before click
    parses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("context_settings", {})
        kwargs["context_settings"].update(
            allow_interspersed_args=False, help_option_names=[], ignore_unknown_options=False
        )
        kwargs["add_help_option"] = False
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if wants_help(args):
            BasicUi().say(HELP[self.name or ""])
            raise SystemExit(0)
        args = self._go_bools(args)
        original = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption:
            known = {o for p in self.params for o in getattr(p, "opts", [])}
            flag = next((a.split("=", 1)[0] for a in flags_part(original) if a.split("=", 1)[0] not in known), "")
            usage_exit(self.name or "", f"flag provided but not defined: {flag}")
        except click.BadParameter as exc:
            usage_exit(self.name or "", exc.message)
        except click.UsageError as exc:
            msg = exc.message
            if "requires an argument" in msg:
                flag = msg.split("'")[1] if "'" in msg else msg
                msg = f"flag needs an argument: {flag}"
            usage_exit(self.name or "", msg)

    def _go_bools(self, args: list[str]) -> list[str]:
        """``-flag=VALUE`` of a boolean flag as click spells it: ``-flag`` for true, ``--no-flag`` for false."""
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
                if value not in GO_BOOL_VALUES:
                    usage_exit(self.name or "", f'invalid boolean value "{value}" for -{name}: parse error')
                arg = "-" + name if GO_BOOL_VALUES[value] else bools[name]
            out.append(arg)
        return out


def split_go_bools(command: str, args: Sequence[str], names: Sequence[str]) -> tuple[dict[str, bool], list[str]]:
    """Go's boolean flags ``names`` (``-color=false``, ``-debug``) taken out of the flags part of ``args``, before
    click parses the rest: their values, and the other arguments. A bad value is Go's usage error."""
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
            elif value in GO_BOOL_VALUES:
                values[name] = GO_BOOL_VALUES[value]
            else:
                usage_exit(command, f'invalid boolean value "{value}" for -{name}: parse error')
            continue
        rest.append(arg)
    return values, rest


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
    """``-var NAME=VALUE`` (repeatable; a later one wins) as ``vars``, ``-var-file=PATH`` (repeatable) as
    ``var_files``."""
    f = click.option("-var", "--var", "vars", multiple=True, callback=_parse_var)(f)
    f = click.option("-var-file", "--var-file", "var_files", multiple=True)(f)
    return f


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``-only=a,b`` and ``-except=a,b`` (repeatable, comma-separated) as the lists ``only`` and ``except_``."""
    f = click.option("-only", "--only", "only", multiple=True, callback=_comma_list)(f)
    f = click.option("-except", "--except", "except_", multiple=True, callback=_comma_list)(f)
    return f
