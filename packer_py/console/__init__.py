"""``packer console``: evaluate expressions against a loaded template, as Packer 1.6.6 prints them."""

from __future__ import annotations

from packer_py.console.gotemplate_console import CONSOLE_HELP, ConsoleResult, run_console

__all__ = ["CONSOLE_HELP", "ConsoleResult", "run_console"]
