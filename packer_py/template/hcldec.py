"""hashicorp/hcl v2.6.0's ``hcldec.Decode`` against a component's spec, and what Packer 1.6.6 does with the result.

In HCL2 mode Packer hands a component the value ``hcldec.Decode(body, ConfigSpec(), ectx)`` returns (Packer's
``decodeHCL2Spec``). For a source used by a ``build`` block with extra settings, ``body`` is
``hcl.MergeBodies([source body, build's source body])``. The decode reports, in this order:

* ``Content``'s complaints about the body: ``Unsupported argument`` / ``Unsupported block type`` (with ``Did you
  mean`` suggestions), ``Extraneous label``, and for merged bodies ``Duplicate argument`` (an argument set in both
  the source and the build's source block);
* each spec item's own: ``Incorrect attribute value type`` (``Inappropriate value for attribute "ami_regions": list
  of string required.``), expression errors, ``Duplicate source_ami_filter block``.

Go visits the spec (a map) in random order, so when several items fail Packer's order varies from run to run;
packer-py reports them in source order.

Then the value crosses Packer's plugin RPC as cty JSON (``encodeCTYValues``) and is turned into the flat config
struct with ``gocty.FromCtyValue`` before mapstructure decodes it as JSON: ``to_plain`` reproduces both failures
Packer gives there (see its docstring) and returns the plain data that ``packer_py.schema.prepare`` decodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from packer_py.errors import PackerPyError
from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl.evaluator import EvalContext, evaluate
from packer_py.interpolate.hcl.syntax import HclDiagnostic, err
from packer_py.interpolate.hcl.types import NUMBER, ListType
from packer_py.interpolate.hcl.values import (
    Value,
    list_val,
    list_val_empty,
    null_val,
    object_val,
    unknown_val,
)
from packer_py.schema.hcl2spec import AttrSpec, BlockSpec, ObjectSpec
from packer_py.template.hcl_schema import AnyBody, Schema, content
from packer_py.template.model import Config

UNKNOWN_VALUE_ERROR = (
    "failed to read dynamic type descriptor value: invalid character ',' looking for beginning of value"
)
"""What a component says when its decoded config holds a value not known yet (``source.name`` in a ``source``
block): Packer's RPC encoder drops the serialization error of the unknown value and sends truncated JSON, which the
plugin then fails to read."""

GO_NUMBER_TYPE = "{{{{} 78}} 0xc000010000}"
"""``fmt``'s ``%v`` of a ``cty.Value`` holding a number, as a path step of a list index prints it: the type and the
address of its ``*big.Float`` (any ``0xc...`` address; recordings normalise it)."""


class ConfigValueError(PackerPyError):
    """A decoded config Packer could not hand to the component; ``str()`` is Packer's ``err.Error()``."""


def _schema(spec: ObjectSpec) -> Schema:
    return Schema(attrs=tuple(a.name for a in spec.attrs), blocks=tuple((b.name, ()) for b in spec.blocks))


def _merged_content(
    bodies: Sequence[AnyBody], schema: Schema
) -> tuple[dict[str, s.Attribute], list[s.Block], list[HclDiagnostic]]:
    """``Body.Content`` of one body, or ``mergedBodies.Content``: each body's content, an argument set twice is a
    ``Duplicate argument`` on the later one, blocks are concatenated."""
    attrs: dict[str, s.Attribute] = {}
    blocks: list[s.Block] = []
    diags: list[HclDiagnostic] = []
    for body in bodies:
        these, more_blocks, more = content(body, schema)
        diags += more
        for name, attr in these.items():
            existing = attrs.get(name)
            if existing is not None:
                diags.append(
                    err(
                        "Duplicate argument",
                        f"Argument {go_quote(name)} was already set at {existing.name_range}",
                        attr.name_range,
                    )
                )
                continue
            attrs[name] = attr
        blocks += more_blocks
    return attrs, blocks, diags


def decode(bodies: Sequence[AnyBody], spec: ObjectSpec, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    """``hcldec.Decode(hcl.MergeBodies(bodies), spec, ctx)`` (a single body is decoded as itself)."""
    attrs, blocks, diags = _merged_content(bodies, _schema(spec))
    vals: dict[str, Value] = {}
    located: list[tuple[int, int, HclDiagnostic]] = []
    for item in spec.items:
        if isinstance(item, AttrSpec):
            val, more = _decode_attr(item, attrs.get(item.name), ctx)
        else:
            val, more = _decode_blocks(item, [b for b in blocks if b.type == item.name], ctx)
        vals[item.name] = val
        located += [(d.subject.start.byte if d.subject else 0, len(located), d) for d in more]
    diags += [d for _, _, d in sorted(located, key=lambda t: (t[0], t[1]))]
    return object_val(vals), diags


Decoded = tuple[Value, list[HclDiagnostic]]


def _decode_attr(item: AttrSpec, attr: s.Attribute | None, ctx: EvalContext | None) -> Decoded:
    from packer_py.interpolate.hcl.convert import ConversionError, convert

    if attr is None:
        return null_val(item.type), []
    val, diags = evaluate(attr.expr, ctx)
    try:
        return convert(val, item.type), diags
    except ConversionError as exc:
        diags.append(
            HclDiagnostic(
                "error",
                "Incorrect attribute value type",
                f"Inappropriate value for attribute {go_quote(item.name)}: {exc}.",
                attr.expr.range,
                s.between(attr.name_range, attr.expr.range),
                attr.expr,
                ctx,
            )
        )
        return unknown_val(item.type), diags


def _decode_blocks(item: BlockSpec, blocks: list[s.Block], ctx: EvalContext | None) -> Decoded:
    diags: list[HclDiagnostic] = []
    if item.many:
        elems = []
        for block in blocks:
            val, more = decode([block.body], item.nested, ctx)
            diags += more
            elems.append(val)
        if not elems:
            return list_val_empty(item.nested.implied_type()), diags
        return list_val(elems), diags
    if not blocks:
        return null_val(item.nested.implied_type()), diags
    first = blocks[0]
    if len(blocks) > 1:
        diags.append(
            err(
                f"Duplicate {item.name} block",
                f"Only one block of type {go_quote(item.name)} is allowed. Previous definition was at "
                f"{first.def_range}.",
                blocks[1].def_range,
            )
        )
    val, more = decode([first.body], item.nested, ctx)
    return val, diags + more


# ---------------------------------------------------------------------------------------------------------------
# from the decoded value to the component's raw config


def to_plain(value: Value, spec: ObjectSpec) -> Config:
    """The decoded value as the plain map the component decodes (cty JSON read back with ``encoding/json``).

    Raises ``ConfigValueError`` with Packer's text where Packer fails before the component sees its config:

    * a value not known yet anywhere in the config (``UNKNOWN_VALUE_ERROR``);
    * a number that does not fit its Go integer field (``gocty``): ``value must be a whole number, between
      -9223372036854775808 and 9223372036854775807: [{{} ssh_port}]`` — the message, then the ``cty.Path`` as Go's
      ``%v`` prints it. Go visits struct fields in random order, so with several such numbers Packer names any one;
      packer-py names the first in spec order.
    """
    if not value.is_wholly_known():
        raise ConfigValueError(UNKNOWN_VALUE_ERROR)
    problem = _check_ints(value, spec, [])
    if problem is not None:
        raise ConfigValueError(problem)
    from packer_py.interpolate.hcl.pydata import to_python

    out = to_python(value)
    assert isinstance(out, dict)
    return cast(Config, out)


def _int_problem(val: Value, rng: tuple[int, int], path: list[str]) -> str | None:
    f = val.as_bigfloat()
    if f.is_int() and rng[0] <= f.to_int() <= rng[1]:
        return None
    return f"value must be a whole number, between {rng[0]} and {rng[1]}: [{' '.join(path)}]"


def _check_ints(value: Value, spec: ObjectSpec, path: list[str]) -> str | None:
    if value.is_null:
        return None
    attrs = value.attrs()
    for item in spec.items:
        val = attrs[item.name]
        if val.is_null:
            continue
        here = [*path, "{{} " + item.name + "}"]
        if isinstance(item, AttrSpec):
            rng = item.int_range()
            if rng is None:
                continue
            if item.type == NUMBER:
                problem = _int_problem(val, rng, here)
                if problem:
                    return problem
            elif isinstance(item.type, ListType):
                for elem in val.elements():
                    if not elem.is_null:
                        problem = _int_problem(elem, rng, [*here, "{{} " + GO_NUMBER_TYPE + "}"])
                        if problem:
                            return problem
        elif item.many:
            for elem in val.elements():
                problem = _check_ints(elem, item.nested, [*here, "{{} " + GO_NUMBER_TYPE + "}"])
                if problem:
                    return problem
        else:
            problem = _check_ints(val, item.nested, here)
            if problem:
                return problem
    return None


def diagnostics_error(diags: Sequence[HclDiagnostic]) -> str:
    """``hcl.Diagnostics.Error()``: what a provisioner or post-processor returns when its body does not decode
    (``FILE:L,C-C: Summary; Detail``, plus ``, and N other diagnostic(s)``)."""
    first = diags[0]
    subject = str(first.subject) if first.subject is not None else "<nil>"
    text = f"{subject}: {first.summary}; {first.detail}"
    if len(diags) > 1:
        text += f", and {len(diags) - 1} other diagnostic(s)"
    return text


__all__ = ["UNKNOWN_VALUE_ERROR", "ConfigValueError", "decode", "diagnostics_error", "to_plain"]
