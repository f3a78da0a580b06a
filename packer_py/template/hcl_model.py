"""An initialized HCL2 config as the format-independent model, and Packer 1.6.6's HCL2-mode ``inspect`` text.

Source, provisioner and post-processor bodies become plain data: attributes are evaluated (with ``source.type`` and
``source.name`` known, as Packer does when it starts a builder) and converted as ``hcl2shim.ConfigValueFromHCL2``
does; nested blocks become lists of objects, except for the AWS blocks that are single objects in Packer's specs
(``source_ami_filter`` and friends). Values that are unknown at load time (an unset variable, ``build.*``) are left
out of the plain data.
"""

from __future__ import annotations

from packer_py.errors import Pos
from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl.console import console_repr
from packer_py.interpolate.hcl.evaluator import EvalContext, evaluate
from packer_py.interpolate.hcl.jsonsyntax import JsonBody
from packer_py.interpolate.hcl.values import object_val, string_val
from packer_py.schema.shapes import Fields, component_fields
from packer_py.template.hcl_loader import HclConfig, ProvisionerBlock
from packer_py.template.hcl_schema import AnyBody, just_attributes
from packer_py.template.model import (
    Build,
    BuildSource,
    Config,
    JSONValue,
    PostProcessor,
    Provisioner,
    Source,
    Template,
    Variable,
)
from packer_py.template.positions import DocPath, PositionMap

SINGLE_BLOCKS = frozenset(
    {
        "source_ami_filter",
        "vpc_filter",
        "subnet_filter",
        "security_group_filter",
        "metadata_options",
        "assume_role",
        "aws_polling",
        "spot_tags_filter",
        "filters",
    }
)


def _pos(rng: s.Range) -> Pos:
    return Pos(rng.filename, rng.start.line, rng.start.column)


def body_to_data(
    body: AnyBody, ctx: EvalContext, positions: PositionMap, path: DocPath, fields: Fields | None = None
) -> tuple[Config, list[s.HclDiagnostic]]:
    """A body as plain data. ``fields`` (the component's options, ``schema.shapes``) says which nested blocks are
    single (hcldec ``BlockSpec``: an object) and which repeat (``BlockListSpec``: a list); without it, the blocks
    named in ``SINGLE_BLOCKS`` are single. An HCL JSON body's properties are all read as arguments (its nested
    blocks become objects or lists of objects as the JSON writes them)."""
    from packer_py.interpolate.hcl.pydata import to_python

    out: Config = {}
    diags: list[s.HclDiagnostic] = []
    if isinstance(body, JsonBody):
        attrs, _ = just_attributes(body)
        for name, attr in attrs.items():
            val, more = evaluate(attr.expr, ctx)
            diags += more
            positions.record(path + (name,), attr.name_range.start.line, attr.name_range.start.column)
            if val.is_wholly_known() and not any(d.is_error for d in more):
                out[name] = to_python(val)  # type: ignore[assignment]
        return out, diags
    for name, attr in body.attributes.items():
        if name in body.hidden_attrs:
            continue
        val, more = evaluate(attr.expr, ctx)
        diags += more
        positions.record(path + (name,), attr.name_range.start.line, attr.name_range.start.column)
        if val.is_wholly_known() and not any(d.is_error for d in more):
            out[name] = to_python(val)  # type: ignore[assignment]
    for block in body.blocks:
        if block.type in body.hidden_blocks:
            continue
        shape = fields.get(block.type) if fields is not None else None
        sub = shape.fields if shape is not None and shape.is_block else None
        data, more = body_to_data(block.body, ctx, positions, path + (block.type,), sub)
        diags += more
        single = shape.kind == "block" if shape is not None and shape.is_block else block.type in SINGLE_BLOCKS
        if single:
            out[block.type] = data
        else:
            existing = out.setdefault(block.type, [])
            if isinstance(existing, list):
                existing.append(data)
    return out, diags


def to_template(cfg: HclConfig) -> Template:
    positions = PositionMap(cfg.path)
    variables: dict[str, Variable] = {}
    for name, var in sorted(cfg.variables.items()):
        from packer_py.interpolate.hcl.pydata import to_python

        val = var.values[-1].value if var.values else None
        default: JSONValue = None
        if val is not None and val.is_wholly_known():
            default = to_python(val)  # type: ignore[assignment]
        variables[name] = Variable(
            name,
            default,
            not var.values,
            _pos(var.range),
            sensitive=var.sensitive,
            type=repr(var.type) if var.type is not None else None,
            description=var.description or None,
        )
    sources: dict[str, Source] = {}
    for (type_, name), src in cfg.sources.items():
        ctx = cfg.eval_context({"source": object_val({"type": string_val(type_), "name": string_val(name)})})
        path: DocPath = ("source", f"{type_}.{name}")
        config, _ = body_to_data(src.block.body, ctx, positions, path, component_fields("builder", type_))
        sources[f"{type_}.{name}"] = Source(type_, name, config, path, _pos(src.block.def_range))
    builds: list[Build] = []
    for i, bb in enumerate(cfg.builds):
        bsources: list[BuildSource] = []
        for ref in bb.sources:
            src_model = sources.get(str(ref))
            if src_model is None:
                continue
            extra: Config = {}
            if ref.addition is not None:
                local = ref.local_name or ref.name
                ctx = cfg.eval_context(
                    {"source": object_val({"type": string_val(ref.type), "name": string_val(local)})}
                )
                fields = component_fields("builder", ref.type)
                extra, _ = body_to_data(ref.addition, ctx, positions, ("build", i, "source", str(ref)), fields)
            bsources.append(BuildSource(src_model, ref.local_name or None, extra))
        ctx = cfg.eval_context()
        provs = [_provisioner(p, ctx, positions, ("build", i, "provisioner", j)) for j, p in enumerate(bb.provisioners)]
        chains = [
            [_post_processor(p, ctx, positions, ("build", i, "post-processor", j, k)) for k, p in enumerate(chain)]
            for j, chain in enumerate(bb.post_processors)
        ]
        cleanup = (
            _provisioner(bb.error_cleanup, ctx, positions, ("build", i, "error-cleanup-provisioner"))
            if bb.error_cleanup
            else None
        )
        builds.append(
            Build(bsources, provs, chains, cleanup, bb.name or None, bb.description or None, _pos(bb.block.def_range))
        )
    return Template(
        cfg.path,
        "hcl2",
        variables,
        sources,
        builds,
        positions,
        sensitive_variables=[n for n, v in cfg.variables.items() if v.sensitive],
    )


def _provisioner(p: ProvisionerBlock, ctx: EvalContext, positions: PositionMap, path: DocPath) -> Provisioner:
    config, _ = body_to_data(p.rest, ctx, positions, path, component_fields("provisioner", p.type))
    return Provisioner(
        p.type,
        config,
        path,
        _pos(p.block.def_range),
        name=p.name or None,
        only=p.only,
        except_=p.except_,
        override=p.override,  # type: ignore[arg-type]
        pause_before=p.pause_before or None,
        max_retries=str(p.max_retries) if p.max_retries else None,
        timeout=p.timeout or None,
    )


def _post_processor(p: ProvisionerBlock, ctx: EvalContext, positions: PositionMap, path: DocPath) -> PostProcessor:
    config, _ = body_to_data(p.rest, ctx, positions, path, component_fields("post-processor", p.type))
    return PostProcessor(
        p.type,
        p.name or p.type,
        config,
        path,
        _pos(p.block.def_range),
        only=p.only,
        except_=p.except_,
        keep_input_artifact=p.keep_input_artifact,
    )


# ---------------------------------------------------------------------------------------------------------------
# inspect


def printable(val: object) -> str:
    """``PrintableCtyValue``."""
    return console_repr(val)  # type: ignore[arg-type]


def inspect_text(cfg: HclConfig) -> str:
    """``InspectConfig``: ``Packer Inspect: HCL2 mode`` then variables, locals and builds (each ``ui.Say``)."""
    parts = ["Packer Inspect: HCL2 mode\n"]
    out = ["> input-variables:\n\n"]
    for name in sorted(cfg.variables):
        val, _ = cfg.variables[name].value()
        out.append(f"var.{name}: {go_quote(printable(val))}\n")
    out.append("\n> local-variables:\n\n")
    for name in sorted(cfg.locals):
        out.append(f"local.{name}: {go_quote(printable(cfg.locals[name]))}\n")
    parts.append("".join(out))
    b = ["> builds:\n"]
    for i, build in enumerate(cfg.builds):
        name = build.name or f"<unnamed build {i}>"
        b.append(f"\n  > {name}:\n")
        if build.description:
            b.append(f"\n  > Description: {build.description}\n")
        b.append("\n    sources:\n")
        if not build.sources:
            b.append("\n      <no source>\n")
        for src in build.sources:
            b.append(f"\n      {src}\n")
        b.append("\n    provisioners:\n\n")
        if not build.provisioners:
            b.append("      <no provisioner>\n")
        for prov in build.provisioners:
            b.append(f"      {prov.type}.{prov.name}\n" if prov.name else f"      {prov.type}\n")
        b.append("\n    post-processors:\n")
        if not build.post_processors:
            b.append("\n      <no post-processor>\n")
        for j, chain in enumerate(build.post_processors):
            b.append(f"\n      {j}:\n")
            for pp in chain:
                b.append(f"        {pp.type}.{pp.name}\n" if pp.name else f"        {pp.type}\n")
    parts.append("".join(b))
    return "\n".join(parts) + "\n"
