"""``packer-py imagebuilder export``: a template's builds as Image Builder resources.

For each selected amazon-ebs build, the template is prepared as ``packer validate`` prepares it (variables rendered,
provisioners' ``only``/``except``/``override`` applied, defaults filled in), then:

* its provisioners become one AWSTOE component (``provisioners.py``), checked against the document schema;
* its builder options become the recipe, infrastructure, distribution and pipeline requests (``resources.py``);
* every request is checked as the service would check it (``requests.py``).

Anything Packer would do that Image Builder cannot is a warning naming the template line, never dropped silently.
The component goes inline (``data``) while it fits the service's 16,000 characters; before giving up on that,
the largest inline scripts and files are staged to S3 one by one; only then is the document itself uploaded
(``uri``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packer_py.errors import PackerPyError, Pos
from packer_py.imagebuilder.errors import ExportError
from packer_py.imagebuilder.plan import STAGING_PARAMETER, BuildExport, ComponentFile, ExportWarning
from packer_py.imagebuilder.provisioners import StepMapper
from packer_py.imagebuilder.resources import SourceResolver, map_builder
from packer_py.imagebuilder.values import BuildValues, resource_name

if TYPE_CHECKING:
    from packer_py.api import HclLoadedTemplate, LoadedTemplate
    from packer_py.core import Core
    from packer_py.template.model import PostProcessor, Provisioner, Source

INLINE_DATA_MAX = 16000
"""CreateComponent ``data``: 1-16,000 characters (imagebuilder service model)."""

AMAZON_GENERATED = (
    "SourceAMIName",
    "BuildRegion",
    "SourceAMI",
    "SourceAMICreationDate",
    "SourceAMIOwner",
    "SourceAMIOwnerName",
    "ID",
    "Host",
    "User",
    "Port",
    "SSHPublicKey",
    "SSHPrivateKey",
    "WinRMPassword",
    "PackerRunUUID",
    "PackerHTTPAddr",
    "PackerHTTPIP",
    "PackerHTTPPort",
    "ConnType",
)


@dataclass
class ExportOptions:
    only: Sequence[str] = ()
    except_: Sequence[str] = ()
    bucket: str | None = None
    """The S3 bucket for staged files (default: derived from the resource name and region)."""
    name: str | None = None
    """The base of every resource name (default: template file stem and build name)."""
    resolver: SourceResolver | None = None
    cwd: Path | None = None
    """Where relative files of the template are found: Packer's working directory (default: the current one)."""


@dataclass
class _Build:
    name: str
    source: Source
    config: dict[str, Any]
    provisioners: list[tuple[Provisioner, dict[str, Any]]]
    post_processors: list[PostProcessor]
    cleanup: Provisioner | None
    warnings: list[ExportWarning] = field(default_factory=list)


def export_template(tpl: LoadedTemplate | HclLoadedTemplate, options: ExportOptions | None = None) -> list[BuildExport]:
    """Every selected amazon-ebs build of ``tpl`` as a ``BuildExport``; raises ``ExportError`` naming the reason."""
    options = options or ExportOptions()
    cwd = options.cwd or Path.cwd()
    core, builds, skipped = _prepared_builds(tpl, options, cwd)
    if not builds:
        raise ExportError("no-amazon-ebs-build", "no amazon-ebs build to export" + (f" ({skipped})" if skipped else ""))
    stem = Path(tpl.path).name.split(".")[0] if tpl.path else "template"
    exports = []
    for build in builds:
        folder = "" if len(builds) == 1 else resource_name(build.name)
        base = resource_name(options.name or f"{stem}-{build.name}")
        if options.name and len(builds) > 1:
            base = resource_name(f"{options.name}-{build.name}")
        exports.append(_export_build(core, tpl.path, build, folder, base, options, cwd))
    if skipped:
        for export in exports:
            export.warnings.append(ExportWarning("other-builder", f"builds not exported (not amazon-ebs): {skipped}"))
    for export in exports:
        check_export(export)
    return exports


def check_export(export: BuildExport) -> None:
    """Every document passes the AWSTOE schema and every request the service's checks; a failure here is a bug in
    the export, reported rather than written."""
    from packer_py.imagebuilder.document import load_document
    from packer_py.imagebuilder.requests import check_request

    for component in export.components:
        load_document(component.text, f"{component.stem}.yaml")
    for _name, operation, request in export.requests():
        check_request(operation, request)


def _prepared_builds(
    tpl: LoadedTemplate | HclLoadedTemplate, options: ExportOptions, cwd: Path
) -> tuple[Core, list[_Build], str]:
    from packer_py.api import LoadedTemplate
    from packer_py.components import is_supported
    from packer_py.core import BuildComponents, Core, CoreError

    if isinstance(tpl, LoadedTemplate):
        core = tpl.core()
        try:
            core.initialize()
        except CoreError as exc:
            raise ExportError("template", str(exc)) from None
        template = core.template
        selected = [(name, core.builds[name]) for name in core.build_names(options.only, options.except_)]
        build = template.builds[0] if template.builds else None
        provisioners = build.provisioners if build else []
        post_processors = [pp for chain in build.post_processors for pp in chain] if build else []
        cleanup = build.error_cleanup_provisioner if build else None
        per_build = {name: (src.name, provisioners, post_processors, cleanup) for name, src in selected}
    else:
        from packer_py.core import glob_match

        try:
            template = tpl.template()
        except PackerPyError as exc:
            raise ExportError("template", str(exc)) from None
        core = Core(template, {})
        core.builds = {}
        selected = []
        per_build = {}
        for hcl_build in template.builds:
            for bsource in hcl_build.sources:
                name = f"{bsource.source.type}.{bsource.build_name}"
                if (options.only and not glob_match(options.only, name)) or glob_match(options.except_, name):
                    continue
                source = bsource.source
                if bsource.extra:
                    from dataclasses import replace

                    source = replace(source, config={**source.config, **bsource.extra})
                core.builds[name] = source
                selected.append((name, source))
                chains = [pp for chain in hcl_build.post_processors for pp in chain]
                per_build[name] = (name, hcl_build.provisioners, chains, hcl_build.error_cleanup_provisioner)
    builds: list[_Build] = []
    skipped = []
    for name, source in selected:
        if source.type != "amazon-ebs":
            skipped.append(f"{name} ({source.type})")
            continue
        match_name, provisioners, post_processors, cleanup = per_build[name]
        warnings: list[ExportWarning] = []
        usable = []
        for prov in provisioners:
            if not prov.applies_to(match_name):
                continue
            if not is_supported("provisioner", prov.type):
                warnings.append(
                    ExportWarning(
                        f"provisioner-{prov.type}",
                        f"provisioner {prov.type!r} has no Image Builder equivalent and was left out",
                        prov.pos,
                    )
                )
                continue
            usable.append(prov)
        comps = BuildComponents(name, source, usable, None, [])
        configs, config = _prepare(core, comps, cwd)
        pps = [pp for pp in post_processors if pp.applies_to(match_name)]
        builds.append(_Build(name, source, config, list(zip(usable, configs, strict=True)), pps, cleanup, warnings))
    return core, builds, ", ".join(skipped)


def _prepare(core: Core, comps: Any, cwd: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from packer_py.build_prepare import prepare

    prepared, diags = prepare(core, comps, cwd=cwd, run_version_probe=lambda command, env: None, strict_1_6_6=False)
    if prepared is None:
        detail = "\n".join(f"{d.summary}: {d.detail}" for d in diags if d.severity == "error")
        raise ExportError("prepare", detail or "the build could not be prepared")
    return [dict(c) for c in prepared.provisioner_configs], dict(prepared.builder_config)


def _export_build(
    core: Core, template_path: str, build: _Build, folder: str, base: str, options: ExportOptions, cwd: Path
) -> BuildExport:
    from packer_py import PACKER_VERSION
    from packer_py.interpolate.gotemplate import CLEAN_RESOURCE_NAME

    config = build.config
    region = str(config.get("region") or "")
    known = {"BuildRegion": region}
    if config.get("source_ami"):
        known["SourceAMI"] = str(config["source_ami"])
    context = core.render_context(
        build_name=build.name,
        build_type=build.source.type,
        packer_version=PACKER_VERSION,
        extra_funcs={"clean_resource_name": CLEAN_RESOURCE_NAME},
    )
    values = BuildValues(context, known, AMAZON_GENERATED)
    template_name = os.path.basename(template_path) if template_path else "template"
    description = f"Exported by packer-py from {template_name} (build {build.name})"[:1024]
    bucket = options.bucket or resource_name(f"packer-py-{base}-{region}").lower().replace(" ", "-")[:63]
    prefix = f"packer-py/{base.replace(' ', '-')}/"
    staged_ids: set[str] = set()
    while True:
        mapper = StepMapper(
            build.name,
            build.source.type,
            str(config.get("ssh_username") or ""),
            cwd,
            values,
            prefix=prefix,
            staged_ids=staged_ids,
        )
        for index, (prov, prov_config) in enumerate(build.provisioners, start=1):
            mapper.add(index, prov, prov_config)
        document = _document(base, description, mapper, bucket)
        text = dump_yaml(document)
        inline = [p for p in mapper.payloads if p.id not in staged_ids]
        if len(text) <= INLINE_DATA_MAX or not inline:
            break
        staged_ids.add(max(inline, key=lambda p: p.size).id)
    component = ComponentFile(f"component-{_file_slug(base)}", document, text, {})
    request: dict[str, Any] = {
        "name": base,
        "semanticVersion": "1.0.0",
        "description": description,
        "changeDescription": "Exported by packer-py",
        "platform": "Linux",
    }
    if len(text) <= INLINE_DATA_MAX:
        request["data"] = text
    else:
        component.uri_key = f"{component.stem}.yaml"
        request["uri"] = f"s3://{bucket}/{prefix}{component.uri_key}"
    component.request = request
    if not document["phases"][0]["steps"]:
        raise ExportError("no-provisioner", "the build has no provisioner that Image Builder can run")

    role_statements = []
    if mapper.staged or component.uri_key:
        role_statements.append(
            {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*"]}
        )

    def pos(key: str) -> Pos:
        return core.template.positions.locate((*build.source.path, key))

    mapping = map_builder(
        config,
        build.source.config,
        pos,
        values,
        base_name=base,
        description=description,
        component_names=[base],
        has_tests=any(p["name"] == "test" for p in document["phases"]),
        resolver=options.resolver,
        extra_role_policy=role_statements,
    )
    if mapper.staged or component.uri_key:
        mapping.recipe["components"][0]["parameters"] = [{"name": STAGING_PARAMETER, "value": [bucket]}]
    warnings = build.warnings + mapper.warnings + mapping.warnings
    for pp in build.post_processors:
        warnings.append(
            ExportWarning(
                f"post-processor-{pp.type}",
                f"post-processor {pp.type!r} has no Image Builder equivalent "
                "(the pipeline's image resource records the outputs)",
                pp.pos,
            )
        )
    if build.cleanup is not None:
        warnings.append(
            ExportWarning(
                "error-cleanup-provisioner",
                "error-cleanup-provisioner: Image Builder terminates a failed build instance and runs nothing else",
                build.cleanup.pos,
            )
        )
    rows = [*mapping.mappings, *dict.fromkeys(mapper.notes)]
    return BuildExport(
        build_name=build.name,
        template=template_name,
        folder=folder,
        region=mapping.region,
        base_name=base,
        components=[component],
        recipe=mapping.recipe,
        infrastructure=mapping.infrastructure,
        distribution=mapping.distribution,
        pipeline=mapping.pipeline,
        role=mapping.role,
        bucket=bucket if (mapper.staged or component.uri_key) else None,
        prefix=prefix,
        staged=_unique(mapper.staged),
        warnings=list(dict.fromkeys(warnings)),
        mappings=rows,
    )


def _document(base: str, description: str, mapper: StepMapper, bucket: str) -> dict[str, Any]:
    document: dict[str, Any] = {"name": base, "description": description, "schemaVersion": 1.0}
    if mapper.staged:
        document["parameters"] = [
            {
                STAGING_PARAMETER: {
                    "type": "string",
                    "default": bucket,
                    "description": "S3 bucket holding the files staged by packer-py (deploy.sh uploads them)",
                }
            }
        ]
    document["phases"] = [{"name": "build", "steps": mapper.steps}]
    return document


def _unique(staged: list[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for item in staged:
        seen.setdefault(item.key, item)
    return list(seen.values())


def _file_slug(base: str) -> str:
    return base.lower().replace(" ", "-")


def dump_yaml(document: dict[str, Any]) -> str:
    """Block-style YAML in document order; multi-line strings as literal blocks, others quoted only when needed."""
    import yaml  # type: ignore[import-untyped]

    class Dumper(yaml.SafeDumper):  # type: ignore[misc]
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        if "\n" in value:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        if "{{" in value:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    Dumper.add_representer(str, text)
    out: str = yaml.dump(
        document, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False
    )
    return out
