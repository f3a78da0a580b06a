"""``hcl.BodySchema`` checks over a parsed body: ``Content``, ``PartialContent`` and ``JustAttributes``.

Packer decodes each block kind against a schema; what does not fit becomes HCL's ``Unsupported argument`` /
``Unsupported block type`` / ``Missing name for ...`` diagnostics, with ``Did you mean`` suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl.jsonsyntax import JsonBody, json_content, json_just_attributes, json_partial_content
from packer_py.interpolate.hcl.syntax import Attribute, Block, Body, HclDiagnostic, between, err, name_suggestion


@dataclass(frozen=True)
class Schema:
    attrs: tuple[str, ...] = ()
    blocks: tuple[tuple[str, tuple[str, ...]], ...] = ()
    required: tuple[str, ...] = ()

    @property
    def attr_names(self) -> tuple[str, ...]:
        return self.attrs + tuple(a for a in self.required if a not in self.attrs)


AnyBody = Body | JsonBody
"""A body of either syntax; the functions here dispatch JSON bodies to ``jsonsyntax`` (hcl's JSON ``body``)."""


def partial_content(body: AnyBody, schema: Schema) -> tuple[dict[str, Attribute], list[Block], list[HclDiagnostic]]:
    if isinstance(body, JsonBody):
        attrs_, blocks_, diags_, _ = json_partial_content(body, schema.attr_names, schema.blocks, schema.required)
        return attrs_, blocks_, diags_
    attrs: dict[str, Attribute] = {}
    blocks: list[Block] = []
    diags: list[HclDiagnostic] = []
    for name in schema.attr_names:
        attr = body.attributes.get(name)
        if attr is None or name in body.hidden_attrs:
            if name in schema.required:
                diags.append(
                    err(
                        "Missing required argument",
                        f"The argument {go_quote(name)} is required, but no definition was found.",
                        body.missing_item_range(),
                    )
                )
            continue
        attrs[name] = attr
    wanted = dict(schema.blocks)
    for block in body.blocks:
        if block.type in body.hidden_blocks or block.type not in wanted:
            continue
        labels = wanted[block.type]
        ctx = between(block.type_range, block.open_brace_range)
        if len(block.labels) > len(labels):
            if not labels:
                diags.append(
                    err(
                        f"Extraneous label for {block.type}",
                        f"No labels are expected for {block.type} blocks.",
                        block.label_ranges[0],
                        ctx,
                    )
                )
            else:
                diags.append(
                    err(
                        f"Extraneous label for {block.type}",
                        f"Only {len(labels)} labels ({', '.join(labels)}) are expected for {block.type} blocks.",
                        block.label_ranges[len(labels)],
                        ctx,
                    )
                )
            continue
        if len(block.labels) < len(labels):
            diags.append(
                err(
                    f"Missing {labels[len(block.labels)]} for {block.type}",
                    f"All {block.type} blocks must have {len(labels)} labels ({', '.join(labels)}).",
                    block.open_brace_range,
                    ctx,
                )
            )
            continue
        blocks.append(block)
    return attrs, blocks, diags


def content(body: AnyBody, schema: Schema) -> tuple[dict[str, Attribute], list[Block], list[HclDiagnostic]]:
    if isinstance(body, JsonBody):
        return json_content(body, schema.attr_names, schema.blocks, schema.required)
    attrs, blocks, diags = partial_content(body, schema)
    block_types = [b for b, _ in schema.blocks]
    for name, attr in body.attributes.items():
        if name in body.hidden_attrs or name in schema.attr_names:
            continue
        suggestion = name_suggestion(name, [a for a in schema.attr_names if a not in attrs])
        if suggestion:
            suggestion = f" Did you mean {go_quote(suggestion)}?"
        elif name in block_types:
            suggestion = f" Did you mean to define a block of type {go_quote(name)}?"
        diags.append(
            err(
                "Unsupported argument",
                f"An argument named {go_quote(name)} is not expected here.{suggestion}",
                attr.name_range,
            )
        )
    for block in body.blocks:
        if block.type in body.hidden_blocks or block.type in block_types:
            continue
        suggestion = name_suggestion(block.type, block_types)
        if suggestion:
            suggestion = f" Did you mean {go_quote(suggestion)}?"
        elif block.type in schema.attr_names:
            suggestion = (
                f" Did you mean to define argument {go_quote(block.type)}? If so, use the equals sign to assign it "
                "a value."
            )
        diags.append(
            err(
                "Unsupported block type",
                f"Blocks of type {go_quote(block.type)} are not expected here.{suggestion}",
                block.type_range,
            )
        )
    return attrs, blocks, diags


def just_attributes(body: AnyBody) -> tuple[dict[str, Attribute], list[HclDiagnostic]]:
    if isinstance(body, JsonBody):
        return json_just_attributes(body)
    diags: list[HclDiagnostic] = []
    if body.blocks:
        example = body.blocks[0]
        diags.append(
            err(f"Unexpected {go_quote(example.type)} block", "Blocks are not allowed here.", example.type_range)
        )
    attrs = {k: a for k, a in body.attributes.items() if k not in body.hidden_attrs}
    return attrs, diags


def remain(body: AnyBody, schema: Schema) -> AnyBody:
    """The body with the schema's attributes and blocks hidden (``PartialContent``'s remainder)."""
    if isinstance(body, JsonBody):
        hidden = frozenset(schema.attr_names) | frozenset(b for b, _ in schema.blocks)
        return JsonBody(body.val, body.hidden | hidden)
    return Body(
        body.attributes,
        body.blocks,
        body.range,
        body.end_range,
        body.hidden_attrs | frozenset(schema.attr_names),
        body.hidden_blocks | frozenset(b for b, _ in schema.blocks),
    )
