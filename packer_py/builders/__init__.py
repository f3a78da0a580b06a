"""Builders for ``packer-py build``: a small registry of type → factory, imported lazily.

A factory takes the builder's prepared config (``PreparedBuild.builder_config``) and returns a ``Builder``. The
``amazon-ebs`` entry points at ``packer_py.builders.amazon_ebs``, imported only when such a build runs; while that
module is absent, the build fails with a clear message instead of an ImportError.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from packer_py.errors import UnsupportedError

if TYPE_CHECKING:
    from packer_py.build.interfaces import Builder

BuilderFactory = Callable[[Mapping[str, Any]], "Builder"]

_REGISTRY: dict[str, str | BuilderFactory] = {
    "null": "packer_py.builders.null:NullBuilder",
    "amazon-ebs": "packer_py.builders.amazon_ebs:Builder",
}


def register_builder(type_: str, factory: str | BuilderFactory) -> None:
    """Register a factory (or a lazy ``"module:attribute"`` reference to one) for a builder type."""
    _REGISTRY[type_] = factory


def builder_factory(type_: str) -> BuilderFactory:
    target = _REGISTRY.get(type_)
    if target is None:
        raise UnsupportedError(f"builder type '{type_}' is not available in this build of packer-py")
    if not isinstance(target, str):
        return target
    module, _, name = target.partition(":")
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.startswith(exc.name):
            raise UnsupportedError(
                f"builder type '{type_}' is not available in this build of packer-py (module {module} is missing)"
            ) from None
        raise
    factory = getattr(mod, name, None)
    if factory is None:
        raise UnsupportedError(f"builder type '{type_}' is not available in this build of packer-py")
    return factory  # type: ignore[no-any-return]


def make_builder(type_: str, config: Mapping[str, Any]) -> Builder:
    return builder_factory(type_)(config)
