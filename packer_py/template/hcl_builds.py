"""Packer 1.6.6's ``PackerConfig.GetBuilds`` for HCL2 templates: select, decode and prepare every build.

For each ``build`` block and each source it uses (the ``sources`` list first, then ``source`` blocks), in order:

1. the source must exist: ``Unknown source TYPE.NAME`` otherwise, located nowhere (``on  line 0``) because 1.6.6
   never sets the build block's range, with the sources map dumped as Go's ``%v`` prints it;
2. the build is named ``TYPE.NAME`` (the name the build gives the source, else the source's) or
   ``BUILD.TYPE.NAME``, and ``-only``/``-except`` globs (gobwas syntax) select on that name;
3. the builder: the source body, merged with the build's ``source`` block body, is decoded with the builder's HCL2
   spec in a context where ``source.*`` and ``build.*`` are not known yet; its diagnostics are reported as they
   are; then the decoded config is prepared (``packer_py.schema.prepare_component``) and its warnings and error
   become diagnostics on the ``source`` block's header, the error text as the summary;
4. provisioners that apply (``only``/``except`` name ``TYPE.NAME``), each decoded with ``source.*`` known and
   ``build.*`` placeholders (``"<unknown>"``; ``build.name`` is the build block's name), its ``override`` for the
   source's name decoded after it; any failure is ``Failed preparing provisioner-block "TYPE" "NAME"`` with the
   error as the detail. Every provisioner is tried; if one failed, post-processors are skipped;
5. post-processors likewise (``Failed preparing post-processor-block``); ``-except`` matching a post-processor's
   name (or type) drops it and the rest of its chain.

A build whose components all prepared becomes a ``PreparedBuild``, the same type JSON templates give, so ``build``
runs both with one code path. Its ``builder_name`` (``PACKER_BUILD_NAME``, ``{{build_name}}``) is the source
block's own name, as Packer passes it, even when the build renames the source.

Components Packer knows but packer-py does not implement fail here with packer-py's ``not supported`` message, as
they do for JSON templates (see ``conformance/deviations.md``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packer_py.components import Kind, is_supported, unknown_message
from packer_py.core import BuildComponents, PreparedBuild, Reprepare
from packer_py.errors import PackerPyError, Pos
from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl.evaluator import EvalContext
from packer_py.interpolate.hcl.syntax import HclDiagnostic
from packer_py.interpolate.hcl.values import Value, object_val, string_val
from packer_py.schema.hcl2spec import hcl2_spec
from packer_py.template.hcl_loader import HclConfig, ProvisionerBlock, SourceBlock, SourceRef
from packer_py.template.hcl_schema import AnyBody
from packer_py.template.hcldec import ConfigValueError, decode, diagnostics_error, to_plain
from packer_py.template.model import Config, PostProcessor, Provisioner, Source
from packer_py.template.positions import DocPath, PositionMap

if TYPE_CHECKING:
    from packer_py.schema import PrepareContext
    from packer_py.schema.rules.outcome import RuleEnv

NO_RANGE = s.Range("", s.SrcPos(0, 0, 0), s.SrcPos(0, 0, 0))
"""A build block's ``HCL2Ref.DefRange`` in 1.6.6: never set, so diagnostics about it print ``on  line 0:``."""

UNKNOWN_BUILD_VALUE = "<unknown>"


@dataclass(frozen=True)
class GetBuildsOptions:
    """Packer's ``GetBuildsOptions``; ``cwd``/``environ`` are where file checks look (default: the process's)."""

    only: Sequence[str] = ()
    except_: Sequence[str] = ()
    debug: bool = False
    force: bool = False
    on_error: str = ""
    cwd: Path | None = None
    environ: Mapping[str, str] | None = None
    run_version_probe: Callable[[str, RuleEnv], str | None] | None = None
    """Replaces the ansible provisioner's ``ansible-playbook --version`` run (tests)."""


def _err(summary: str, detail: str = "", subject: s.Range | None = None) -> HclDiagnostic:
    return HclDiagnostic("error", summary, detail, subject)


def go_sources_map(sources: Mapping[tuple[str, str], SourceBlock]) -> str:
    """``fmt.Sprintf("%v", cfg.Sources)``: ``map[TYPE.NAME:{TYPE NAME 0xADDR <nil> } ...]``, sorted by key.

    The key prints through ``SourceRef.String()``; the value is the ``SourceBlock`` struct (its ``String`` has a
    pointer receiver): type, name, the block pointer (any ``0xc...`` address), the nil ``addition`` body and the
    empty local name.
    """
    items = []
    for i, (key, src) in enumerate(sorted(sources.items(), key=lambda kv: (kv[0][0].encode(), kv[0][1].encode()))):
        items.append(f"{key[0]}.{key[1]}:{{{src.type} {src.name} 0xc{0x000100000 + 0x100 * i:09x} <nil> }}")
    return "map[" + " ".join(items) + "]"


def _compile(patterns: Sequence[str], option: str) -> tuple[list[re.Pattern[str]], list[HclDiagnostic]]:
    """``convertFilterOption``: every bad pattern is reported."""
    from packer_py.template.globs import GlobError, compile_glob

    out: list[re.Pattern[str]] = []
    diags: list[HclDiagnostic] = []
    for pattern in patterns:
        try:
            out.append(compile_glob(pattern))
        except GlobError as exc:
            diags.append(_err(f"Invalid -{option} pattern {pattern}: {exc}"))
    return out, diags


def _skip(block: ProvisionerBlock, source_name: str) -> bool:
    """``OnlyExcept.Skip``: exact names, not globs."""
    if block.only:
        return source_name not in block.only
    return source_name in block.except_


@dataclass
class _Build:
    """What one (build block, source) pair needs while it is being prepared."""

    cfg: HclConfig
    opts: GetBuildsOptions
    build_name: str
    name: str
    source: SourceBlock
    local_name: str
    positions: PositionMap
    generated: tuple[str, ...] = ()
    diags: list[HclDiagnostic] = field(default_factory=list)
    builder_plain: Config = field(default_factory=dict)
    """The builder's config as decoded from HCL, before its Prepare."""

    @property
    def type_name(self) -> str:
        return f"{self.source.type}.{self.local_name}"

    def prepare_context(self, kind: Kind) -> PrepareContext:
        from packer_py.build_prepare import GoTemplateRenderer
        from packer_py.interpolate.gotemplate import RenderContext
        from packer_py.schema import PrepareContext

        core: dict[str, object] = {
            "packer_build_name": self.source.name,
            "packer_builder_type": self.source.type,
        }
        if kind == "builder":
            core.update(packer_debug=self.opts.debug, packer_force=self.opts.force, packer_on_error=self.opts.on_error)
        environ = dict(self.opts.environ) if self.opts.environ is not None else dict(os.environ)
        # ``DetectContextData`` finds no placeholder map in HCL2 mode and leaves a typed nil map as the data, so
        # ``{{ build `ID` }}`` fails with "loaded data, but couldnt find ID in it."; no packer_user_variables are
        # passed, so ``{{ user `x` }}`` fails on a nil map.
        render = GoTemplateRenderer(
            RenderContext(
                user_variables=None,
                build_name=self.source.name,
                build_type=self.source.type,
                environ=self.opts.environ,
                data={},
            )
        )
        return PrepareContext(
            render=render,
            render_build_data=render,
            build_name=self.source.name,
            builder_type=self.source.type,
            positions=self.positions,
            cwd=self.opts.cwd or Path.cwd(),
            environ=environ,
            force=self.opts.force,
            debug=self.opts.debug,
            strict_1_6_6=self.cfg.strict,
            on_error=self.opts.on_error,
            core_config=core,
            run_version_probe=self.opts.run_version_probe,
        )

    # -- one component -----------------------------------------------------------------------------------------

    def _prepare(
        self,
        kind: Kind,
        type_: str,
        bodies: Sequence[AnyBody],
        ctx: EvalContext,
        path: DocPath,
        override: Mapping[str, object] | None = None,
    ) -> tuple[Config | None, dict[str, object] | None, str | None, list[str], list[HclDiagnostic]]:
        """Decode ``bodies`` and prepare: (decoded plain config, prepared config, error text, warnings, decode
        diagnostics). A decode with errors returns them and no error text; the caller words it."""
        from packer_py.schema import ComponentInput, prepare_component

        value, diags = decode(bodies, hcl2_spec(kind, type_, strict=self.cfg.strict), ctx)
        if any(d.is_error for d in diags):
            return None, None, None, [], diags
        try:
            plain = to_plain(value, hcl2_spec(kind, type_, strict=self.cfg.strict))
        except ConfigValueError as exc:
            return None, None, str(exc), [], diags
        configs: list[dict[str, object]] = [dict(plain), *([dict(override)] if override else [])]
        pctx = self.prepare_context(kind)
        outcome = prepare_component(ComponentInput(kind, type_, configs, path, hcl2=True), pctx, pctx.render)
        return plain, outcome.config, outcome.error, outcome.warnings, diags

    def builder(self, addition: AnyBody | None) -> dict[str, object] | None:
        """``startBuilder``."""
        src = self.source
        block = src.block
        if not is_supported("builder", src.type):
            self.diags.append(
                _err("Failed to load source type", unknown_message("builder", src.type), block.label_ranges[0])
            )
            return None
        bodies = [block.body] + ([addition] if addition is not None else [])
        plain, prepared, error, warnings, diags = self._prepare(
            "builder", src.type, bodies, self.cfg.eval_context(), ("source", f"{src.type}.{src.name}")
        )
        self.diags += diags
        if plain is None and error is None:
            return None
        self.diags += [HclDiagnostic("warning", w, "", block.def_range) for w in warnings]
        if error is not None:
            self.diags.append(_err(error, "", block.def_range))
            return None
        self.builder_plain = plain or {}
        return prepared

    def build_values(self) -> dict[str, Value]:
        """``build.*`` while preparing: every generated key is ``"<unknown>"``; ``build.name`` is the block's name."""
        from packer_py.interpolate.gotemplate.functions import BUILDER_DATA_COMMON_KEYS

        values = {k: string_val(UNKNOWN_BUILD_VALUE) for k in (*BUILDER_DATA_COMMON_KEYS, *self.generated)}
        values["name"] = string_val(self.build_name)
        return values

    def component_context(self, build: Mapping[str, Value]) -> EvalContext:
        source = object_val({"type": string_val(self.source.type), "name": string_val(self.local_name)})
        return self.cfg.eval_context({"source": source, "build": object_val(build)})

    def provisioner(self, pb: ProvisionerBlock, path: DocPath, build: Mapping[str, Value]) -> _Prepared | None:
        """``startProvisioner``; None when it failed (a diagnostic was added)."""
        if not is_supported("provisioner", pb.type):
            self.diags.append(
                _err(f"failed loading {pb.type}", unknown_message("provisioner", pb.type), pb.block.label_ranges[0])
            )
            return None
        override = pb.override.get(self.local_name)
        return self._component("provisioner", pb, path, build, override)

    def post_processor(self, pp: ProvisionerBlock, path: DocPath, build: Mapping[str, Value]) -> _Prepared | None:
        if not is_supported("post-processor", pp.type):
            self.diags.append(
                _err(f"Failed loading {pp.type}", unknown_message("post-processor", pp.type), pp.block.def_range)
            )
            return None
        return self._component("post-processor", pp, path, build, None)

    def _component(
        self,
        kind: Kind,
        block: ProvisionerBlock,
        path: DocPath,
        build: Mapping[str, Value],
        override: Mapping[str, object] | None,
    ) -> _Prepared | None:
        result = self.hcl2_prepare(kind, block, path, build, override)
        if isinstance(result, str):
            label = "provisioner" if kind == "provisioner" else "post-processor"
            self.diags.append(
                _err(
                    f"Failed preparing {label}-block {go_quote(block.type)} {go_quote(block.name)}",
                    result,
                    block.block.def_range,
                )
            )
            return None
        return result

    def hcl2_prepare(
        self,
        kind: Kind,
        block: ProvisionerBlock,
        path: DocPath,
        build: Mapping[str, Value],
        override: Mapping[str, object] | None,
    ) -> _Prepared | str:
        """``HCL2Prepare``: the decoded and prepared configs, or the error text Packer gets back."""
        plain, prepared, error, _warnings, diags = self._prepare(
            kind, block.type, [block.rest], self.component_context(build), path, override
        )
        if plain is None and error is None:
            return diagnostics_error(diags)
        if error is not None:
            return error
        assert plain is not None and prepared is not None
        return _Prepared(plain, prepared)

    def hook(
        self, kind: Kind, block: ProvisionerBlock, path: DocPath, override: Mapping[str, object] | None
    ) -> Reprepare:
        """Packer's ``HCL2Provisioner.Provision``/``HCL2PostProcessor.PostProcess``: decode and prepare the block
        again with the build's generated data. A provisioner keeps the placeholders the data does not replace; a
        post-processor sees only the data."""

        def run(data: Mapping[str, object]) -> dict[str, object]:
            build = dict(self.build_values()) if kind == "provisioner" else {}
            for key, value in data.items():
                build[key] = _build_value(value)
            result = self.hcl2_prepare(kind, block, path, build, override)
            if isinstance(result, str):
                raise PackerPyError(result)
            return result.config

        return run


@dataclass(frozen=True)
class _Prepared:
    plain: Config
    """As decoded from the block (with its override), before Prepare."""
    config: dict[str, object]


def _set_values(config: Config) -> Config:
    """A decoded config without the arguments the block did not set (hcldec gives every spec item, null if unset),
    for the format-independent model, which holds what the template wrote."""
    out: Config = {}
    for key, value in config.items():
        if value is None:
            continue
        if isinstance(value, dict):
            value = _set_values(value)
        elif isinstance(value, list):
            value = [_set_values(v) if isinstance(v, dict) else v for v in value]
            if not value:
                continue
        out[key] = value
    return out


def _build_value(value: object) -> Value:
    from packer_py.interpolate.hcl.values import bool_val, number_int_val

    if isinstance(value, bool):
        return bool_val(value)
    if isinstance(value, int):
        return number_int_val(value)
    if isinstance(value, str):
        return string_val(value)
    raise PackerPyError(f"unhandled buildvar type: {type(value).__name__}")


def _pos(rng: s.Range) -> Pos:
    return Pos(rng.filename, rng.start.line, rng.start.column)


def _model_provisioner(pb: ProvisionerBlock, config: Config, path: DocPath) -> Provisioner:
    return Provisioner(
        pb.type,
        config,
        path,
        _pos(pb.block.def_range),
        name=pb.name or None,
        only=list(pb.only),
        except_=list(pb.except_),
        override=dict(pb.override),  # type: ignore[arg-type]
        pause_before=pb.pause_before or None,
        max_retries=str(pb.max_retries) if pb.max_retries else None,
        timeout=pb.timeout or None,
    )


def _model_post_processor(pp: ProvisionerBlock, config: Config, path: DocPath) -> PostProcessor:
    """The block's own name, empty when it has none (Packer's ``PName``; the build announces an unnamed
    post-processor as ``Running post-processor:  (type TYPE)``)."""
    return PostProcessor(
        pp.type,
        pp.name,
        config,
        path,
        _pos(pp.block.def_range),
        only=list(pp.only),
        except_=list(pp.except_),
        keep_input_artifact=pp.keep_input_artifact,
    )


def get_builds(cfg: HclConfig, opts: GetBuildsOptions) -> tuple[list[PreparedBuild], list[HclDiagnostic]]:
    """``PackerConfig.GetBuilds`` (call ``cfg.initialize()`` first)."""
    builds: list[PreparedBuild] = []
    diags: list[HclDiagnostic] = []
    positions = PositionMap(cfg.path)
    except_globs: list[re.Pattern[str]] = []
    for i, bb in enumerate(cfg.builds):
        for ref in bb.sources:
            src = cfg.sources.get((ref.type, ref.name))
            if src is None:
                diags.append(
                    _err(f"Unknown source {ref.type}.{ref.name}", f"Known: {go_sources_map(cfg.sources)}", NO_RANGE)
                )
                continue
            local = ref.local_name or src.name
            type_name = f"{src.type}.{local}"
            name = f"{bb.name}.{type_name}" if bb.name else type_name
            if opts.only:
                only_globs, bad = _compile(opts.only, "only")
                if bad:
                    return [], bad
                if not any(g.fullmatch(name) for g in only_globs):
                    continue
            if opts.except_:
                except_globs, bad = _compile(opts.except_, "except")
                if bad:
                    return [], bad
                if any(g.fullmatch(name) for g in except_globs):
                    continue
            prepared = _prepare_build(cfg, opts, i, bb.name, name, src, ref, positions, except_globs)
            diags += prepared[1]
            if prepared[0] is not None:
                builds.append(prepared[0])
    return builds, diags


def _prepare_build(
    cfg: HclConfig,
    opts: GetBuildsOptions,
    index: int,
    build_name: str,
    name: str,
    src: SourceBlock,
    ref: SourceRef,
    positions: PositionMap,
    except_globs: list[re.Pattern[str]],
) -> tuple[PreparedBuild | None, list[HclDiagnostic]]:
    from packer_py.build_prepare import GENERATED_KEYS

    local = ref.local_name or src.name
    b = _Build(cfg, opts, build_name, name, src, local, positions)
    builder_config = b.builder(ref.addition)
    if builder_config is None:
        return None, b.diags
    b.generated = GENERATED_KEYS.get(src.type, ())
    bb = cfg.builds[index]
    build = b.build_values()
    provisioners: list[Provisioner] = []
    prov_configs: list[dict[str, object]] = []
    prov_hooks: list[Reprepare] = []
    failed = False
    for j, pb in enumerate(bb.provisioners):
        if _skip(pb, b.type_name):
            continue
        path: DocPath = ("build", index, "provisioner", j)
        done = b.provisioner(pb, path, build)
        if done is None:
            failed = True
            continue
        override = pb.override.get(local)
        provisioners.append(_model_provisioner(pb, _set_values(done.plain), path))
        prov_configs.append(done.config)
        prov_hooks.append(b.hook("provisioner", pb, path, override))
    cleanup: Provisioner | None = None
    cleanup_config: dict[str, object] | None = None
    cleanup_hook: Reprepare | None = None
    if bb.error_cleanup is not None and not _skip(bb.error_cleanup, b.type_name):
        path = ("build", index, "error-cleanup-provisioner")
        done = b.provisioner(bb.error_cleanup, path, build)
        if done is None:
            failed = True
        else:
            cleanup = _model_provisioner(bb.error_cleanup, _set_values(done.plain), path)
            cleanup_config = done.config
            cleanup_hook = b.hook("provisioner", bb.error_cleanup, path, bb.error_cleanup.override.get(local))
    if failed:
        return None, b.diags
    chains: list[list[PostProcessor]] = []
    pp_configs: list[list[dict[str, object]]] = []
    pp_hooks: list[list[Reprepare]] = []
    for j, chain in enumerate(bb.post_processors):
        models: list[PostProcessor] = []
        configs: list[dict[str, object]] = []
        hooks: list[Reprepare] = []
        for k, pp in enumerate(chain):
            if _skip(pp, b.type_name):
                continue
            if any(g.fullmatch(pp.name or pp.type) for g in except_globs):
                break
            path = ("build", index, "post-processor", j, k)
            done = b.post_processor(pp, path, build)
            if done is None:
                failed = True
                continue
            models.append(_model_post_processor(pp, _set_values(done.plain), path))
            configs.append(done.config)
            hooks.append(b.hook("post-processor", pp, path, None))
        if models:
            chains.append(models)
            pp_configs.append(configs)
            pp_hooks.append(hooks)
    if failed:
        return None, b.diags
    source = Source(
        src.type,
        src.name,
        _set_values(b.builder_plain),
        ("source", f"{src.type}.{src.name}"),
        _pos(src.block.def_range),
    )
    components = BuildComponents(name, source, provisioners, cleanup, chains, builder_name=src.name)
    prepared = PreparedBuild(
        components,
        builder_config,
        prov_configs,
        cleanup_config,
        pp_configs,
        warnings=[d.summary for d in b.diags if not d.is_error],
        provisioner_hooks=prov_hooks,
        post_processor_hooks=pp_hooks,
        cleanup_hook=cleanup_hook,
    )
    return prepared, b.diags


__all__ = ["GetBuildsOptions", "get_builds", "go_sources_map"]
