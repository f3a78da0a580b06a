"""Packer's ``config.Decode`` for one component: render, decode, then complain about unknown keys.

The order is Packer's and decides which error a user sees first:

1. every raw config (the component's object, then its override for this build) is rendered through the template
   engine (``render.render_map``), except the component's ``InterpolateFilter.Exclude`` keys, which are only
   parsed; the first failure is the whole error (``invalid 'inline': template: ...``);
2. the raws, followed by the core's own settings (``packer_build_name``, ``packer_force``, ...), are decoded one
   after the other into the same config (``mapstructure``); the first raw with type errors ends it, and its errors
   are the error (``2 error(s) decoding:`` ...);
3. keys that matched nothing are reported together, sorted, through go-multierror: ``unknown configuration key:
   '"foo"'`` (Go's ``'%q'``), or the ``packer fix`` message for keys Packer's fixer knows for this plugin type.
   ``type`` and ``packer_*`` keys are never reported.

Only when all three pass does the component's own Prepare run its semantic checks (see ``rules``).

Not reproduced: Packer's ``DetectContext``, a strict (non-weak) decode of the ``packer_*`` keys that only fails when
a template sets one of them to a value of the wrong type; and the builder-data placeholder map that build.go appends
to provisioner and post-processor configs, which ``DetectContextData`` removes again before decoding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from packer_py.gofmt import go_multierror, mapstructure_error, quote
from packer_py.schema.mapstructure import Decoder, export, zero
from packer_py.schema.registry import ComponentSpec
from packer_py.schema.render import Renderer, RenderFailure, render_map
from packer_py.template.positions import DocPath

CODE_UNKNOWN_KEY = "E100"
CODE_DEPRECATED_KEY = "E101"
CODE_TYPE = "E102"
CODE_INTERPOLATION = "E103"


@dataclass(frozen=True)
class RawIssue:
    """A located decode problem: ``raw`` indexes the raw configs given to ``decode_component``."""

    code: str
    message: str
    raw: int
    path: DocPath


@dataclass
class DecodeResult:
    config: dict[str, object] | None
    """The decoded config (every field, Go zero values for unset ones), or None when decoding failed."""
    error: str | None = None
    """Exactly Packer's ``err.Error()`` for the failure, component prefix included."""
    issues: list[RawIssue] = field(default_factory=list)


def fixable_message(key: str) -> str:
    return (
        f"Deprecated configuration key: '{key}'. Please call `packer fix` against your template to update your "
        "template to be compatible with the current version of Packer. Visit "
        "https://www.packer.io/docs/commands/fix/ for more detail."
    )


def decode_component(
    spec: ComponentSpec,
    raws: Sequence[Mapping[str, object]],
    core: Mapping[str, object],
    render: Renderer,
    *,
    strict: bool,
) -> DecodeResult:
    """Decode the user's ``raws`` (config, then override) and the ``core`` settings into one config."""
    prefix = spec.decode_error_prefix
    rendered: list[dict[str, object]] = []
    for index, raw in enumerate(raws):
        try:
            rendered.append(render_map(dict(raw), render, exclude=spec.exclude, extra_funcs=spec.template_funcs))
        except RenderFailure as failure:
            issue = RawIssue(CODE_INTERPOLATION, failure.message, index, (failure.key,))
            return DecodeResult(None, prefix + failure.message, [issue])

    root = spec.go_type(strict=strict)
    decoder = Decoder()
    value: object = zero(root)
    unused_raw: list[tuple[str, int, DocPath]] = []
    for index, raw in enumerate([*rendered, dict(core)]):
        value, problems = decoder.decode("", raw, root, value, ())
        if problems:
            text = mapstructure_error([p.message for p in problems])
            located = [RawIssue(CODE_TYPE, p.message, index, p.path) for p in problems]
            return DecodeResult(None, prefix + text, located)
        unused_raw.extend((u.name, index, u.path) for u in decoder.unused)
        decoder.unused.clear()

    messages: list[str] = []
    issues: list[RawIssue] = []
    for name, index, path in sorted(unused_raw, key=lambda u: u[0].encode("utf-8")):
        if name == "type" or name.startswith("packer_"):
            continue
        if name in spec.fixable:
            message, code = fixable_message(name), CODE_DEPRECATED_KEY
        else:
            message, code = f"unknown configuration key: '{quote(name)}'", CODE_UNKNOWN_KEY
        messages.append(message)
        issues.append(RawIssue(code, message, index, path))
    if messages:
        return DecodeResult(None, prefix + go_multierror(messages), issues)

    config = export(value, root)
    assert isinstance(config, dict)
    return DecodeResult(config)
