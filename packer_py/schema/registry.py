"""The component schemas shipped in ``components/`` and what the decoder needs from each.

One JSON Schema (draft 2020-12) per component, named ``<kind>-<type>.json``. Besides the standard keywords each
schema carries Packer's decoding facts as annotations:

``x-interpolate-exclude``
    the component's ``InterpolateFilter.Exclude``: keys that Packer parses but does not render at prepare time,
    because they are rendered later with build data (amazon ``tags``, shell ``execute_command``...).
``x-plugin-type``
    ``DecodeOpts.PluginType``; it selects which keys of Packer's ``DeprecatedOptions`` table count as "fixable".
``x-fixable-keys``
    those keys, resolved: an unknown key in this list gets the ``packer fix`` message instead of "unknown".
``x-template-funcs``
    extra template functions the component adds for its own config (amazon's ``clean_resource_name``).
``x-decode-error-prefix``
    text the component puts before a decode error (shell-local's ``Error decoding config: ``).
``x-since: newest`` (on a property)
    an option that only newer Packer/plugins accept; Packer 1.6.6 rejects it as an unknown key.
``x-go-type`` / ``x-go-name`` / ``x-go-pointer``
    the Go type, the Go name of untagged fields, and pointer-ness (see ``gotypes``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from packer_py.schema.gotypes import GoType, Struct, from_schema

KINDS = ("builder", "provisioner", "post-processor")


@dataclass(frozen=True)
class ComponentSpec:
    kind: str
    type: str
    schema: dict[str, Any] = field(repr=False, compare=False, hash=False)
    exclude: frozenset[str]
    """Lower-cased top-level keys Packer does not render at prepare time (its RenderFilter lower-cases too)."""
    fixable: frozenset[str]
    template_funcs: frozenset[str]
    decode_error_prefix: str
    plugin_type: str

    def go_type(self, *, strict: bool) -> Struct:
        return _root_type(self.kind, self.type, strict)

    def newer_keys(self) -> frozenset[str]:
        """Top-level options that newest Packer accepts but 1.6.6 does not."""
        return frozenset(k for k, v in self.schema["properties"].items() if v.get("x-since"))


def _schema_name(kind: str, type_: str) -> str:
    return f"{kind}-{type_}.json"


@cache
def _available() -> frozenset[tuple[str, str]]:
    found = set()
    for entry in resources.files("packer_py.schema").joinpath("components").iterdir():
        name = entry.name
        if not name.endswith(".json"):
            continue
        for kind in KINDS:
            if name.startswith(kind + "-"):
                found.add((kind, name[len(kind) + 1 : -len(".json")]))
    return frozenset(found)


def is_supported(kind: str, type_: str) -> bool:
    """Whether packer-py has a schema (and prepare rules) for this component."""
    return (kind, type_) in _available()


def supported() -> list[tuple[str, str]]:
    return sorted(_available())


@cache
def load_schema(kind: str, type_: str) -> dict[str, Any]:
    """The raw JSON Schema of a component (treat as read-only: it is cached)."""
    text = (
        resources.files("packer_py.schema")
        .joinpath("components")
        .joinpath(_schema_name(kind, type_))
        .read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def spec(kind: str, type_: str) -> ComponentSpec:
    schema = load_schema(kind, type_)
    return ComponentSpec(
        kind=kind,
        type=type_,
        schema=schema,
        exclude=frozenset(k.lower() for k in schema.get("x-interpolate-exclude", [])),
        fixable=frozenset(schema.get("x-fixable-keys", [])),
        template_funcs=frozenset(schema.get("x-template-funcs", [])),
        decode_error_prefix=schema.get("x-decode-error-prefix", ""),
        plugin_type=schema.get("x-plugin-type", ""),
    )


@cache
def _root_type(kind: str, type_: str, strict: bool) -> Struct:
    go: GoType = from_schema(load_schema(kind, type_), strict=strict, root=True)
    assert isinstance(go, Struct)
    return go


def _as_json(value: object) -> object:
    """A decoded value as the JSON a user could have written: durations as Go strings, unset (nil) fields dropped."""
    from packer_py.goparse import Duration

    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value


def check_decoded(kind: str, type_: str, config: dict[str, object], *, strict: bool = True) -> list[str]:
    """Type-check a decoded (and prepared) config against the component's schema; returns jsonschema's complaints.

    The decoder guarantees Go types, so this is a consistency check between the schemas and the decoder (the tests
    run it on every config they prepare). The core's ``packer_*`` fields are not schema options and are skipped.
    """
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # heavy: only when asked

    schema = load_schema(kind, type_)
    if strict:
        properties = {k: v for k, v in schema["properties"].items() if not v.get("x-since")}
        schema = {**schema, "properties": properties}
    document = _as_json({k: v for k, v in config.items() if not k.startswith("packer_")})
    validator = Draft202012Validator(schema)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document))
