"""Prepare one build as Packer's ``CoreBuild.Prepare`` does (packer/build.go, 1.6.6): builder, provisioners, the
error-cleanup provisioner, post-processors, in that order, **stopping at the first component that fails**.

Each component is decoded (``decode``: render, mapstructure, unknown keys) and then prepared (``rules``); the
failing component's ``err.Error()`` becomes ``BuildPrepareResult.error_detail``, which is exactly the text Packer
prints after ``Error: Failed to prepare build: "NAME"`` and a blank line (before the UI wraps it at 80 columns).
Since Packer stops at the first failure, a build with a bad builder reports nothing about its provisioners.

Strict 1.6.6 mode (``PrepareContext.strict_1_6_6``, the default)
    Options that only newer Packer/plugins know (marked ``"x-since": "newest"`` in the component schemas, e.g.
    amazon-ebs ``metadata_options`` and ``imds_support``, shell ``env``, file ``content``) are unknown keys, exactly
    as Packer 1.6.6 reports them (``unknown configuration key: '"metadata_options"'``). This is the default because
    ``validate`` is compared with recordings of Packer 1.6.6. With ``strict_1_6_6=False`` those options are decoded
    and checked with the newest plugin's rules, for builds that want them.

HCL2 templates (``packer_py.template.hcl_builds``) use the same decode and rules per component through
``prepare_component``, with two differences Packer has: the component's config is the map ``hcldec`` decoded (core
keys are not removed from it: ``ComponentInput.hcl2``), and the core settings after it are the few "builder
variables" HCL2 passes (``PrepareContext.core_config``) instead of JSON's ``packerConfig``. HCL2 also does not stop
at the first failing component; its caller decides what to prepare.

Packer's JSON provisioner config keeps a ``name`` key (only ``type``, ``only``, ``except``, ``override``,
``pause_before``, ``max_retries`` and ``timeout`` are removed), so ``name`` in a JSON provisioner is an unknown key;
post-processors lose ``type``, ``name``, ``only``, ``except`` and ``keep_input_artifact``; builders ``type`` and
``name``. ``prepare_build`` removes exactly those, so callers may pass raw template objects.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from packer_py import PACKER_VERSION
from packer_py.errors import UnsupportedError
from packer_py.findings import Finding, locate
from packer_py.schema.decode import RawIssue, decode_component
from packer_py.schema.mapstructure import fold_equal
from packer_py.schema.registry import is_supported, spec
from packer_py.schema.render import Renderer, parse_error
from packer_py.schema.rules import preparer
from packer_py.schema.rules.outcome import Prepared, RuleEnv, time_ordered_uuid
from packer_py.template.positions import DocPath, PositionMap

Kind = Literal["builder", "provisioner", "post-processor"]

CORE_KEYS: dict[str, frozenset[str]] = {
    "builder": frozenset({"type", "name"}),
    "provisioner": frozenset({"type", "only", "except", "override", "pause_before", "max_retries", "timeout"}),
    "post-processor": frozenset({"type", "name", "only", "except", "keep_input_artifact"}),
}
"""Keys the template loader removes before a component sees its config (packer-plugin-sdk/template/parse.go)."""

W_PREPARE_WARNING = "W200"


@dataclass(frozen=True)
class ComponentInput:
    kind: Kind
    type: str
    configs: list[dict[str, object]]
    """Raw configs in merge order: the component's object, then (provisioners) its override for this build."""
    path: DocPath
    """Where the component sits in the document: ``("builders", 0)``, ``("post-processors", 0, 1)``..."""
    hcl2: bool = False
    """The configs come from an HCL2 body (hcldec) and an HCL2 ``override``: Packer removes no core keys from them."""


@dataclass(frozen=True)
class PrepareContext:
    render: Renderer
    """Renders builder config strings (user variables, ``build_name``, ``build_type``, ``template_dir``...)."""
    build_name: str
    builder_type: str
    positions: PositionMap
    cwd: Path
    """The directory Packer runs in: relative scripts, sources and playbooks are checked from here."""
    environ: Mapping[str, str]
    force: bool = False
    debug: bool = False
    strict_1_6_6: bool = True
    on_error: str = ""
    template_path: str = ""
    user_variables: Mapping[str, str] = field(default_factory=dict)
    render_build_data: Renderer | None = None
    """Renderer for provisioners and post-processors, whose context also holds the builder's placeholder data
    (``{{ build `ID` }}`` passes through); defaults to ``render``."""
    new_uuid: Callable[[], str] = time_ordered_uuid
    rng: random.Random = field(default_factory=random.Random)
    run_version_probe: Callable[[str, RuleEnv], str | None] | None = None
    """Replaces the ansible provisioner's ``ansible-playbook --version`` run (tests)."""
    core_config: Mapping[str, object] | None = None
    """The core's raw config decoded after the user's; None means JSON's ``packerConfig`` (build.go). HCL2 passes
    its builder variables instead (``packer_build_name``, ``packer_builder_type``, and for builders
    ``packer_debug``, ``packer_force``, ``packer_on_error``)."""


@dataclass
class BuildPrepareResult:
    error_detail: str | None
    """Exactly Packer's text after ``Failed to prepare build: "NAME"\\n\\n`` (unwrapped), or None on success."""
    warnings: list[str] = field(default_factory=list)
    """The builder's warnings; Packer prints them (``Warning when preparing build``) only when prepare succeeded."""
    findings: list[Finding] = field(default_factory=list)
    builder: dict[str, object] | None = None
    provisioners: list[dict[str, object]] = field(default_factory=list)
    cleanup_provisioner: dict[str, object] | None = None
    post_processors: list[list[dict[str, object]]] = field(default_factory=list)
    failed: DocPath | None = None
    """The document path of the component that failed."""


def _core_config(ctx: PrepareContext) -> dict[str, object]:
    """The ``packerConfig`` map that build.go passes after the user's configs."""
    if ctx.core_config is not None:
        return dict(ctx.core_config)
    return {
        "packer_build_name": ctx.build_name,
        "packer_builder_type": ctx.builder_type,
        "packer_core_version": PACKER_VERSION,
        "packer_debug": ctx.debug,
        "packer_force": ctx.force,
        "packer_on_error": ctx.on_error,
        "packer_template_path": ctx.template_path,
        "packer_user_variables": dict(ctx.user_variables),
    }


def _config_base(component: ComponentInput, index: int, ctx: PrepareContext) -> DocPath:
    if index == 0:
        return component.path
    return (*component.path, "override", ctx.build_name)


def _locate_key(component: ComponentInput, key: DocPath, ctx: PrepareContext) -> DocPath:
    """The document path of a config key: in the last config (override first) that sets it."""
    if not key or not isinstance(key[0], str):
        return component.path
    for index in range(len(component.configs) - 1, -1, -1):
        config = component.configs[index]
        if not isinstance(config, Mapping):
            continue
        actual = next((k for k in config if isinstance(k, str) and fold_equal(k, key[0])), None)
        if actual is not None:
            return (*_config_base(component, index, ctx), actual, *key[1:])
    return component.path


def _raw_finding(component: ComponentInput, issue: RawIssue, ctx: PrepareContext) -> Finding:
    if issue.raw >= len(component.configs):
        path = component.path
    else:
        path = (*_config_base(component, issue.raw, ctx), *issue.path)
    return locate(path, issue.code, issue.message, ctx.positions)


def _strip(component: ComponentInput) -> list[dict[str, object]]:
    if component.hcl2:
        return [dict(config) for config in component.configs]
    drop = CORE_KEYS[component.kind]
    return [{k: v for k, v in config.items() if k not in drop} for config in component.configs]


@dataclass
class ComponentOutcome:
    """One component's decode + Prepare: the prepared config, or Packer's ``err.Error()``, and its warnings."""

    config: dict[str, object] | None
    error: str | None
    findings: list[Finding]
    warnings: list[str]


def prepare_component(component: ComponentInput, ctx: PrepareContext, render: Renderer) -> ComponentOutcome:
    """Decode and prepare one component with ``render`` (the builder's or the build-data renderer).

    Raises ``UnsupportedError`` for a component without schema."""
    if not is_supported(component.kind, component.type):
        raise UnsupportedError(f"{component.kind} type {component.type!r} is not supported by packer-py")
    component_spec = spec(component.kind, component.type)
    decoded = decode_component(component_spec, _strip(component), _core_config(ctx), render, strict=ctx.strict_1_6_6)
    if decoded.config is None:
        findings = sorted(_raw_finding(component, issue, ctx) for issue in decoded.issues)
        return ComponentOutcome(None, decoded.error, findings, [])
    env = RuleEnv(
        cwd=ctx.cwd,
        environ=ctx.environ,
        build_name=ctx.build_name,
        builder_type=ctx.builder_type,
        force=ctx.force,
        debug=ctx.debug,
        strict_1_6_6=ctx.strict_1_6_6,
        new_uuid=ctx.new_uuid,
        rng=ctx.rng,
        run_version_probe=ctx.run_version_probe,
    )
    prepare = preparer(component.kind, component.type, parse_error=lambda text: parse_error(render, text))
    prepared: Prepared = prepare(decoded.config, env)
    findings = [
        locate(_locate_key(component, issue.key, ctx), issue.code, issue.message, ctx.positions)
        for issue in prepared.issues
    ]
    findings.extend(locate(component.path, W_PREPARE_WARNING, warning, ctx.positions) for warning in prepared.warnings)
    return ComponentOutcome(prepared.config, prepared.error, sorted(findings), prepared.warnings)


def prepare_build(
    builder: ComponentInput,
    provisioners: list[ComponentInput],
    cleanup_provisioner: ComponentInput | None,
    post_processors: list[list[ComponentInput]],
    ctx: PrepareContext,
) -> BuildPrepareResult:
    """Prepare one build; see the module docstring. Raises ``UnsupportedError`` for components without schema."""
    outcome = prepare_component(builder, ctx, ctx.render)
    result = BuildPrepareResult(None, outcome.warnings, list(outcome.findings), outcome.config)
    if outcome.error is not None:
        result.error_detail = outcome.error
        result.builder = None
        result.failed = builder.path
        return result
    render = ctx.render_build_data or ctx.render

    def fail(component: ComponentInput, step: ComponentOutcome) -> BuildPrepareResult:
        result.error_detail = step.error
        result.findings.extend(step.findings)
        result.failed = component.path
        return result

    for provisioner in provisioners:
        step = prepare_component(provisioner, ctx, render)
        if step.error is not None:
            return fail(provisioner, step)
        assert step.config is not None
        result.provisioners.append(step.config)
    if cleanup_provisioner is not None:
        step = prepare_component(cleanup_provisioner, ctx, render)
        if step.error is not None:
            return fail(cleanup_provisioner, step)
        result.cleanup_provisioner = step.config
    for sequence in post_processors:
        prepared_sequence: list[dict[str, object]] = []
        for post_processor in sequence:
            step = prepare_component(post_processor, ctx, render)
            if step.error is not None:
                return fail(post_processor, step)
            assert step.config is not None
            prepared_sequence.append(step.config)
        result.post_processors.append(prepared_sequence)
    return result


__all__ = [
    "BuildPrepareResult",
    "ComponentInput",
    "ComponentOutcome",
    "PrepareContext",
    "Renderer",
    "is_supported",
    "prepare_build",
    "prepare_component",
]
