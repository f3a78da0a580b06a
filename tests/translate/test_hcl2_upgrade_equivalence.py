"""Equivalence over the conformance corpus: the JSON template and its upgraded HCL2 give every builder, provisioner
and post-processor the same values.

For each legacy JSON case (copied to a scratch directory: the corpus is read-only), the template is upgraded together
with the case's var-files (``F.json`` → ``F.pkrvars.hcl``), and both sides are loaded with the case's ``-var``
arguments and var-files (JSON: the originals; HCL2: the upgraded ones), environment, a fixed clock and fixed UUIDs,
and secrets served by moto:

* JSON path: packer-py's ``Core`` renders the variables; each component's config is prepared (Packer's decode +
  checks, ``schema.prepare_build``) with the Go-template context Packer gives it (user variables, ``build_name``,
  ``build_type``, the amazon builder's ``clean_resource_name``, the build's placeholder data for provisioners);
* HCL2 path: packer-py's HCL2 loader evaluates variables and locals, each source body, and each provisioner and
  post-processor body per source (``source.name``/``source.type`` known, as Packer 1.6.6 evaluates them), then the
  same prepare step, whose Go-template pass renders what HCL2 leaves to the component (``{{ .SourceAMIName }}``).

``build.X`` is evaluated as the Go template ``{{ build `X` }}`` on the HCL2 side, so that both sides carry the same
placeholder for "the build's X, known while building" (Packer itself fills both in while building). Components
packer-py cannot prepare (virtualbox-iso, vagrant, ...) are compared after rendering every string and decoding each
option as Packer's weakly typed decoder would (``_weak``).

Prepare is per component (a failing builder does not hide its provisioners) and runs in newest-Packer mode, so that
options only newer Packer knows (``metadata_options``) are compared too.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conformance.runner import CORPUS, Case, corpus_available, load_cases
from packer_py import PACKER_VERSION
from packer_py.errors import PackerPyError, UnsupportedError
from packer_py.interpolate.gotemplate import (
    BUILDER_DATA_COMMON_KEYS,
    CLEAN_RESOURCE_NAME,
    RenderContext,
    RunClock,
    placeholder_data,
    render,
)
from packer_py.schema.shapes import Fields, Shape, component_fields
from tests.harness.moto_server import MotoServer

pytestmark = pytest.mark.skipif(not corpus_available(), reason="conformance corpus not available")

START = datetime(2021, 2, 3, 4, 5, 6, tzinfo=UTC)
UUID = "11111111-2222-4333-8444-555555555555"
SECRETS = {"sample/app/password": "hunter2", "sample/app/passwords": '{"api_key": "k-123"}', "some_secret": "s3"}
GENERATED = (
    "SourceAMIName",
    "BuildRegion",
    "SourceAMI",
    "SourceAMICreationDate",
    "SourceAMIOwner",
    "SourceAMIOwnerName",
)

# Cases whose difference is understood and documented (docs/migration.md), by case number.
KNOWN_DIFFERENCES: dict[str, str] = {}


def _cases() -> list[Case]:
    if not corpus_available():
        return []
    return [c for c in load_cases(source="corpus") if c.format == "json"]


@pytest.fixture(scope="module")
def fixed_world(moto_server: MotoServer):  # type: ignore[no-untyped-def]
    """One clock, one UUID and secrets served by the harness's moto server, for both paths."""
    mp = pytest.MonkeyPatch()
    mp.setattr("packer_py.interpolate.gotemplate.context._PROCESS_CLOCK", RunClock(START))
    mp.setattr("packer_py.interpolate.gotemplate.functions.time_ordered_uuid", lambda: UUID)
    import uuid as uuid_module

    mp.setattr(uuid_module, "uuid4", lambda: uuid_module.UUID(UUID))
    for k, v in moto_server.aws_env("us-east-1").items():
        mp.setenv(k, v)
    moto_server.reset()
    client = moto_server.client("secretsmanager", "us-east-1")
    for name, value in SECRETS.items():
        client.create_secret(Name=name, SecretString=value)
    yield
    mp.undo()


def _var_args(args: list[str]) -> tuple[dict[str, str], list[str]]:
    vars_: dict[str, str] = {}
    files: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-var":
            k, _, v = args[i + 1].partition("=")
            vars_[k] = v
            i += 2
            continue
        if a.startswith("-var-file="):
            files.append(a.split("=", 1)[1])
        i += 1
    return vars_, files


class _Renderer:
    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx

    def __call__(self, text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
        ctx = self.ctx
        if "clean_resource_name" in extra_funcs:
            ctx = replace(ctx, extra_funcs={**ctx.extra_funcs, "clean_resource_name": CLEAN_RESOURCE_NAME})
        return render(text, ctx)


def _prepare_one(kind: str, type_: str, configs: list[dict[str, object]], ctx_kw: dict[str, object]) -> object:
    """One component's prepared config (or its error text); None when packer-py cannot prepare the type."""
    from packer_py.schema import ComponentInput, PrepareContext, prepare_build

    ctx = PrepareContext(**ctx_kw, rng=random.Random(0))  # type: ignore[arg-type]
    component = ComponentInput(kind, type_, configs, (kind,))  # type: ignore[arg-type]
    stand_in = ComponentInput("builder", "null", [{"communicator": "none"}], ("builder",))
    try:
        if kind == "builder":
            result = prepare_build(component, [], None, [], ctx)
            return result.error_detail or result.builder
        if kind == "provisioner":
            result = prepare_build(stand_in, [component], None, [], ctx)
            return result.error_detail or result.provisioners[0]
        result = prepare_build(stand_in, [], None, [[component]], ctx)
        return result.error_detail or result.post_processors[0][0]
    except UnsupportedError:
        return None


def _weak(value: object, shape: Shape, render_text) -> object:  # type: ignore[no-untyped-def]
    """A value as Packer's weakly typed decoder hands it to a component it has no schema for in packer-py."""
    if isinstance(value, str):
        value = render_text(value)
    kind = shape.kind
    if value is None:
        return None
    if kind == "string":
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float) and value == int(value):
            return str(int(value))
        return str(value) if isinstance(value, (int, float)) else value
    if kind == "number":
        if isinstance(value, str):
            if value == "":
                return 0
            try:
                return int(value, 0)
            except ValueError:
                return float(value)
        if isinstance(value, bool):
            return int(value)
        return value
    if kind == "bool":
        if isinstance(value, str):
            return value in ("1", "t", "T", "TRUE", "true", "True")
        return bool(value)
    if kind == "list":
        if isinstance(value, str):
            value = [] if value == "" else value.split(",")
        if not isinstance(value, list):
            value = [value]
        return [_weak(v, shape.elem or Shape("any"), render_text) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _weak(v, shape.elem or Shape("any"), render_text) for k, v in value.items()}
    if kind in ("block", "blocks"):
        items = value if isinstance(value, list) else [value]
        fields = shape.fields or Fields({}, Shape("any"), known=False)
        out = [{k: _weak(v, fields.get(k), render_text) for k, v in item.items()} for item in items]
        return out[0] if kind == "block" and len(out) == 1 else out
    if isinstance(value, list):
        return [_weak(v, shape, render_text) for v in value]
    if isinstance(value, dict):
        return {k: _weak(v, shape, render_text) for k, v in value.items()}
    if isinstance(value, float) and value == int(value):
        return int(value)
    return value


def _component(
    kind: str, type_: str, configs: list[dict[str, object]], ctx_kw: dict[str, object], render_text
) -> object:  # type: ignore[no-untyped-def]
    prepared = _prepare_one(kind, type_, configs, ctx_kw)
    if prepared is not None:
        return prepared
    merged: dict[str, object] = {}
    for c in configs:
        merged.update(c)
    fields = component_fields(kind, type_)
    drop = {"type", "name"} if kind != "provisioner" else {"type"}
    return {k: _weak(v, fields.get(k), render_text) for k, v in merged.items() if k not in drop}


def _safe(render_fn):  # type: ignore[no-untyped-def]
    def inner(text: str) -> str:
        try:
            return render_fn(text)
        except PackerPyError as exc:
            return f"<render error: {exc}>"

    return inner


def _json_side(work: Path, case: Case, template_path: str) -> dict[str, object]:
    from packer_py.api import LoadedTemplate
    from packer_py.core import CoreError, merge_cli_variables
    from packer_py.template.json_loader import load_json_template

    vars_, files = _var_args(case.var_args)
    environ = {**os.environ, **case.env}
    tpl = load_json_template(template_path)
    core = LoadedTemplate(tpl, merge_cli_variables(vars_, files), environ).core()
    try:
        core.initialize()
    except CoreError as exc:
        return {"init": str(exc)}
    out: dict[str, object] = {}
    build = tpl.builds[0]
    for name, source in core.builds.items():
        base = core.render_context(
            build_name=name, build_type=source.type, packer_version=PACKER_VERSION, cwd=str(work), environ=environ
        )
        data = placeholder_data(GENERATED if source.type == "amazon-ebs" else ())
        with_data = replace(base, data=data, build_data=None)
        kw: dict[str, object] = {
            "render": _Renderer(base),
            "render_build_data": _Renderer(with_data),
            "build_name": name,
            "builder_type": source.type,
            "positions": tpl.positions,
            "cwd": work,
            "environ": environ,
            "strict_1_6_6": False,
            "template_path": base.template_path or "",
            "new_uuid": lambda: UUID,
            "run_version_probe": lambda *a: "ansible-playbook 2.10.0",
        }
        late = replace(base, data=_BuildTimeData(), build_data=_BuildTimeData())
        comp = _component("builder", source.type, [source.config], kw, _safe(_Renderer(base)))
        out[f"{name}/builder"] = _at_build_time(comp, late)
        for i, p in enumerate(build.provisioners):
            if not p.applies_to(source.name):
                continue
            configs = [p.config, *([p.override[source.name]] if source.name in p.override else [])]
            meta = (p.pause_before, p.timeout, p.max_retries and int(p.max_retries))
            comp = _component("provisioner", p.type, configs, kw, _safe(_Renderer(with_data)))
            out[f"{name}/provisioner {i}"] = (p.type, meta, _at_build_time(comp, late))
        for i, chain in enumerate(build.post_processors):
            for j, pp in enumerate(chain):
                if not pp.applies_to(source.name):
                    continue
                comp = _component("post-processor", pp.type, [pp.config], kw, _safe(_Renderer(with_data)))
                out[f"{name}/post-processor {i}.{j}"] = (pp.type, pp.keep_input_artifact, _at_build_time(comp, late))
    return out


def _hcl_side(work: Path, case: Case, hcl_path: str, sources: Mapping[str, str]) -> dict[str, object]:
    from packer_py.api import HclDiagnosticsError, load_hcl_template
    from packer_py.interpolate.hcl.values import object_val, string_val
    from packer_py.template.hcl_model import body_to_data, to_template
    from packer_py.template.positions import PositionMap
    from packer_py.translate.hcl2_upgrade import var_file_output_path

    vars_, files = _var_args(case.var_args)
    files = [var_file_output_path(f) for f in files]  # the var-files, upgraded with the template
    environ = {**os.environ, **case.env}
    try:
        loaded = load_hcl_template(hcl_path, vars=vars_, var_files=files, environ=environ, strict_1_6_6=False)
    except HclDiagnosticsError as exc:
        return {"init": str(exc)}
    cfg = loaded.config
    cfg.clock = lambda: START
    diags = cfg.initialize()
    errors = [d for d in diags if d.is_error]
    if errors:
        return {"init": "; ".join(f"{d.summary}: {d.detail}" for d in errors)}
    tpl = to_template(cfg)
    positions = PositionMap(hcl_path)
    out: dict[str, object] = {}
    build = cfg.builds[0]
    by_ref = {v: k for k, v in sources.items()}
    for ref in build.sources:
        src = tpl.sources[str(ref)]
        name = by_ref[str(ref)]
        base = RenderContext(
            template_path=os.path.abspath(hcl_path),
            build_name=src.name,
            build_type=src.type,
            packer_version=PACKER_VERSION,
            cwd=str(work),
            environ=environ,
        )
        data = placeholder_data(GENERATED if src.type == "amazon-ebs" else ())
        with_data = replace(base, data=data, build_data=None)
        kw: dict[str, object] = {
            "render": _Renderer(base),
            "render_build_data": _Renderer(with_data),
            "build_name": name,
            "builder_type": src.type,
            "positions": positions,
            "cwd": work,
            "environ": environ,
            "strict_1_6_6": False,
            "template_path": base.template_path or "",
            "new_uuid": lambda: UUID,
            "run_version_probe": lambda *a: "ansible-playbook 2.10.0",
        }
        late = replace(base, data=_BuildTimeData(), build_data=_BuildTimeData())
        comp = _component("builder", src.type, [src.config], kw, _safe(_Renderer(base)))
        out[f"{name}/builder"] = _at_build_time(comp, late)
        keys = (*BUILDER_DATA_COMMON_KEYS, *(GENERATED if src.type == "amazon-ebs" else ()))
        build_obj = {k: string_val("{{ build `" + k + "` }}") for k in keys}
        build_obj["name"] = string_val(build.name)
        ctx = cfg.eval_context(
            {
                "source": object_val({"type": string_val(src.type), "name": string_val(src.name)}),
                "build": object_val(build_obj),
            }
        )

        def applies(block, ref=ref) -> bool:  # type: ignore[no-untyped-def]
            if block.only:
                return str(ref) in block.only
            return str(ref) not in block.except_

        for i, p in enumerate(build.provisioners):
            if not applies(p):
                continue
            fields = component_fields("provisioner", p.type)
            config, more = body_to_data(p.rest, ctx, positions, ("provisioner", i), fields)
            assert not [d for d in more if d.is_error], [d.detail for d in more]
            if p.name:
                config["name"] = p.name
            configs = [config, *([p.override[src.name]] if src.name in p.override else [])]
            meta = (p.pause_before or None, p.timeout or None, p.max_retries or None)
            comp = _component("provisioner", p.type, configs, kw, _safe(_Renderer(with_data)))  # type: ignore[arg-type]
            out[f"{name}/provisioner {i}"] = (p.type, meta, _at_build_time(comp, late))
        for i, chain in enumerate(build.post_processors):
            for j, pp in enumerate(chain):
                if not applies(pp):
                    continue
                fields = component_fields("post-processor", pp.type)
                config, more = body_to_data(pp.rest, ctx, positions, ("post-processor", i, j), fields)
                assert not [d for d in more if d.is_error], [d.detail for d in more]
                comp = _component("post-processor", pp.type, [config], kw, _safe(_Renderer(with_data)))  # type: ignore[arg-type]
                out[f"{name}/post-processor {i}.{j}"] = (pp.type, pp.keep_input_artifact, _at_build_time(comp, late))
    return out


JSON_ONLY_FAILURES = ('function "clean_resource_name" not defined', "is only allowed in the variables section")
"""Errors of the JSON engine that HCL2 does not have: Packer 1.6.6 offers ``clean_resource_name`` to builders only
and secrets to variable defaults only; the upgrade translates them wherever they are."""


def _json_only_failures(json_side: dict[str, object], hcl_side: dict[str, object]) -> list[str]:
    """Components that fail on the JSON side for a JSON-only reason, and are fine in HCL2: both sides set aside."""
    out = []
    for key, value in list(json_side.items()):
        comp = value[-1] if isinstance(value, (list, tuple)) else value
        other = hcl_side.get(key)
        other_comp = other[-1] if isinstance(other, (list, tuple)) else other
        if isinstance(comp, str) and any(m in comp for m in JSON_ONLY_FAILURES) and isinstance(other_comp, dict):
            out.append(key)
            json_side[key] = hcl_side[key] = "fails in JSON only"
    return out


class _BuildTimeData(Mapping[str, str]):
    """Build-time data (``.SourceAMIName``, ``.Path``, ``build `ID` ``...) as markers: any key renders ``<KEY>``."""

    def __getitem__(self, key: str) -> str:
        return f"<{key}>"

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(())

    def __len__(self) -> int:
        return 0


def _at_build_time(value: object, ctx: RenderContext) -> object:
    """What a prepared value becomes while building: the component renders what is left of Go templates (excluded
    options, build data placeholders) with its context and the build's data."""
    if isinstance(value, str):
        if "{{" not in value:
            return value
        try:
            return render(value, ctx)
        except PackerPyError as exc:
            return f"<render error: {exc}>"
    if isinstance(value, dict):
        return {k: _at_build_time(v, ctx) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_at_build_time(v, ctx) for v in value]
    return value


def _normalise(value: object, work: Path) -> object:
    """Paths of the two files differ only by name; durations and other decoded objects compare as text."""
    if isinstance(value, dict):
        return {k: _normalise(v, work) for k, v in value.items() if k != "packer_template_path"}
    if isinstance(value, (list, tuple)):
        return [_normalise(v, work) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.id)
def test_upgraded_template_gives_the_same_values(case: Case, tmp_path: Path, fixed_world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from packer_py.template.json_loader import load_json_template
    from packer_py.translate.hcl2_upgrade import UpgradeOptions, read_var_file, upgrade_template, var_file_output_path

    shutil.copytree(case.dir, tmp_path / "case", symlinks=True)
    work = tmp_path / "case" / case.cwd
    monkeypatch.chdir(work)
    template_path = case.target
    hcl_path = os.path.join(os.path.dirname(template_path) or ".", "upgraded.pkr.hcl")
    _, var_files = _var_args(case.var_args)
    result = upgrade_template(
        load_json_template(template_path),
        output_path=hcl_path,
        options=UpgradeOptions(required_plugins=False),
        var_files=[read_var_file(f) for f in var_files],
    )
    Path(hcl_path).write_text(result.text)
    for path, text in result.var_files.items():
        Path(var_file_output_path(path)).write_text(text)
    json_side = _normalise(_json_side(work, case, template_path), work)
    hcl_side = _normalise(_hcl_side(work, case, hcl_path, result.sources), work)
    if case.id[:3] in KNOWN_DIFFERENCES:
        assert json_side != hcl_side, f"{case.id} now matches: drop it from KNOWN_DIFFERENCES"
        pytest.xfail(KNOWN_DIFFERENCES[case.id[:3]])
    assert isinstance(json_side, dict) and "init" not in json_side, json_side
    assert isinstance(hcl_side, dict)
    _json_only_failures(json_side, hcl_side)
    assert json.dumps(hcl_side, indent=1, sort_keys=True) == json.dumps(json_side, indent=1, sort_keys=True)


def test_corpus_is_where_the_runner_says() -> None:
    assert not corpus_available() or (CORPUS / "cases").is_dir()
