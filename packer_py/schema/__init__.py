"""Component schemas and Packer's prepare step (decode + validate) for the components packer-py supports.

``components/<kind>-<type>.json`` hold one JSON Schema per component; ``prepare_build`` decodes and checks one
build's components as Packer 1.6.6 does (see ``prepare``'s docstring for strict 1.6.6 mode).
"""

from __future__ import annotations

from packer_py.schema.prepare import (
    BuildPrepareResult,
    ComponentInput,
    ComponentOutcome,
    PrepareContext,
    prepare_build,
    prepare_component,
)
from packer_py.schema.registry import check_decoded, is_supported, load_schema, supported
from packer_py.schema.render import Renderer

__all__ = [
    "BuildPrepareResult",
    "ComponentInput",
    "ComponentOutcome",
    "PrepareContext",
    "Renderer",
    "check_decoded",
    "is_supported",
    "load_schema",
    "prepare_build",
    "prepare_component",
    "supported",
]
