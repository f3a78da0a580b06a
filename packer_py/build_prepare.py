"""Prepare one build of a JSON template: the bridge between ``Core`` and ``packer_py.schema.prepare_build``.

Packer renders component configs while decoding them, with a context per place: the builder sees the user
variables, ``build_name``/``build_type``, the template path and its own functions (amazon adds
``clean_resource_name``); provisioners and post-processors additionally see the build's generated data, which at
prepare time is a set of placeholders that render back to ``{{.Key}}`` so that the real values can be filled in at
provision time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packer_py import PACKER_VERSION, gofmt
from packer_py.diagnostics import Diagnostic

if TYPE_CHECKING:
    from packer_py.core import BuildComponents, Core, PreparedBuild
    from packer_py.interpolate.gotemplate import RenderContext
    from packer_py.schema import ComponentInput
    from packer_py.schema.rules.outcome import RuleEnv


GENERATED_KEYS: dict[str, tuple[str, ...]] = {
    "amazon-ebs": (
        "SourceAMIName",
        "BuildRegion",
        "SourceAMI",
        "SourceAMICreationDate",
        "SourceAMIOwner",
        "SourceAMIOwnerName",
    ),
}
"""Build data a builder adds to Packer's common keys (``{{ build `SourceAMI` }}``)."""


class GoTemplateRenderer:
    """A ``packer_py.schema.Renderer`` over the Go-template engine, for one context."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx

    def __call__(self, text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
        from dataclasses import replace

        from packer_py.interpolate.gotemplate import CLEAN_RESOURCE_NAME, render

        ctx = self.ctx
        if "clean_resource_name" in extra_funcs:  # names, as the component schemas list them
            funcs: dict[str, Any] = {**ctx.extra_funcs, "clean_resource_name": CLEAN_RESOURCE_NAME}
            ctx = replace(ctx, extra_funcs=funcs)
        return render(text, ctx)


def _component(
    kind: str, type_: str, configs: list[Mapping[str, object]], path: tuple[str | int, ...]
) -> ComponentInput:
    from packer_py.schema import ComponentInput

    return ComponentInput(kind, type_, [dict(c) for c in configs], path)  # type: ignore[arg-type]


def prepare(
    core: Core,
    comps: BuildComponents,
    *,
    cwd: Path,
    run_version_probe: Callable[[str, RuleEnv], str | None] | None = None,
    strict_1_6_6: bool = True,
) -> tuple[PreparedBuild | None, list[Diagnostic]]:
    """``run_version_probe`` replaces the ansible provisioner's local ``ansible-playbook --version`` run: the
    Image Builder export needs no local Ansible, since the playbook runs on the build instance. ``strict_1_6_6``:
    see ``packer_py.schema.prepare`` (the export accepts the newest plugins' options, such as
    ``metadata_options``)."""
    from packer_py.core import PreparedBuild
    from packer_py.interpolate.gotemplate import placeholder_data
    from packer_py.schema import PrepareContext, prepare_build

    source = comps.source
    base = core.render_context(
        build_name=comps.name,
        build_type=source.type,
        packer_version=PACKER_VERSION,
    )
    from dataclasses import replace

    with_data = replace(base, data=placeholder_data(GENERATED_KEYS.get(source.type, ())), build_data=None)
    builder = _component("builder", source.type, [source.config], source.path)
    provisioners = [
        _component(
            "provisioner", p.type, [p.config, *([p.override[source.name]] if source.name in p.override else [])], p.path
        )
        for p in comps.provisioners
    ]
    cleanup = None
    if comps.cleanup_provisioner is not None:
        p = comps.cleanup_provisioner
        cleanup = _component("provisioner", p.type, [p.config], p.path)
    chains = [
        [_component("post-processor", pp.type, [pp.config], pp.path) for pp in chain] for chain in comps.post_processors
    ]
    ctx = PrepareContext(
        render=GoTemplateRenderer(base),
        render_build_data=GoTemplateRenderer(with_data),
        build_name=comps.name,
        builder_type=source.type,
        positions=core.template.positions,
        cwd=cwd,
        environ=dict(core.environ) if core.environ is not None else _environ(),
        template_path=base.template_path or "",
        user_variables=core.variables,
        run_version_probe=run_version_probe,
        strict_1_6_6=strict_1_6_6,
    )
    result = prepare_build(builder, provisioners, cleanup, chains, ctx)
    diags: list[Diagnostic] = []
    if result.error_detail is not None:
        located = tuple(finding for finding in result.findings if finding.is_error)
        summary = f"Failed to prepare build: {gofmt.quote(comps.name)}"
        diags.append(Diagnostic("error", summary, result.error_detail, locations=located))
        return None, diags
    for warning in result.warnings:
        diags.append(Diagnostic("warning", f"Warning when preparing build: {gofmt.quote(comps.name)}", warning))
    prepared = PreparedBuild(
        components=comps,
        builder_config=result.builder or {},
        provisioner_configs=result.provisioners,
        cleanup_config=result.cleanup_provisioner,
        post_processor_configs=result.post_processors,
        warnings=list(result.warnings),
    )
    return prepared, diags


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)
