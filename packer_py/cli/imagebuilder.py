"""``imagebuilder export|apply|run-component``: packer-py's EC2 Image Builder commands (``packer_py.imagebuilder``).

Not Packer commands, so they parse with click's own rules (``--help``, ``--name VALUE``, options after arguments),
sharing only ``-var``/``-var-file``/``-only``/``-except`` with Packer's commands. Templates load as the newest Packer
loads them (``strict_1_6_6=False``): an export is not bound to Packer 1.6.6's HCL2 blocks.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from packer_py.cli.goflags import filter_options, var_options
from packer_py.cli.invocation import make_ui


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
    ui = make_ui()
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

    ui = make_ui()
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
    ui = make_ui()
    wanted = [p for p in phases.split(",") if p] or None
    result = run_on_host(doc, config, phases=wanted, parameters=parameters, sudo=sudo, log=ui.say)
    if log_directory:
        result.write_detailed_output(Path(log_directory))
    for step in result.steps:
        ui.say(step.summary)
    if not result.ok:
        raise ComponentRunError(f"document {document}: {result.status}")
    ui.say(f"document {document}: {result.status}")
