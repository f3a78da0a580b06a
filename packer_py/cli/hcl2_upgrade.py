"""``hcl2_upgrade``: the translation is ``packer_py.translate``'s; here the flags and what is printed of the result.

packer-py adds ``-recursive DIR`` (every JSON template below DIR, then a summary table; exit 1 when one failed) and
``-required-plugins=false`` (no ``required_plugins`` block, which Packer 1.6.6 itself would reject).
"""

from __future__ import annotations

import click

from packer_py.cli.goflags import GoFlagCommand, usage_exit, var_options
from packer_py.cli.invocation import fail, make_ui
from packer_py.errors import PackerPyError


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
    ends with ``Successfully created FILE `` (trailing space included). Translation warnings are printed as errors,
    ``file:line: message``.
    """
    if len(args) != 1:
        usage_exit("hcl2_upgrade")
    from packer_py.translate.hcl2_upgrade import UpgradeOptions, upgrade_file

    options = UpgradeOptions(with_annotations=with_annotations, required_plugins=required_plugins)
    ui = make_ui()
    if recursive:
        from packer_py.translate.upgrade_batch import upgrade_tree

        if output_file:
            usage_exit("hcl2_upgrade", "-output-file cannot be used with -recursive")
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
        fail(exc)
    if done.init_error is not None:
        ui.error(f"Ignoring following initialization error: {done.init_error}")
    for warning in done.result.warnings:
        ui.error(str(warning))
    ui.say(f"Successfully created {done.output_path} ")
    for path in done.var_file_outputs:
        ui.say(f"Successfully created {path} ")
