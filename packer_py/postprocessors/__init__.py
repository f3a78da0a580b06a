"""Post-processors for ``packer-py build``: ``manifest`` and ``shell-local``, imported only when used."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from packer_py.errors import UnsupportedError

if TYPE_CHECKING:
    from packer_py.build.interfaces import PostProcessor
    from packer_py.interpolate.gotemplate import RenderContext

_FACTORIES: dict[str, str] = {
    "manifest": "packer_py.postprocessors.manifest:ManifestPostProcessor",
    "shell-local": "packer_py.postprocessors.shell_local:ShellLocalPostProcessor",
}


def make_post_processor(type_: str, config: Mapping[str, object], render_ctx: RenderContext) -> PostProcessor:
    target = _FACTORIES.get(type_)
    if target is None:
        raise UnsupportedError(f"post-processor type '{type_}' is not available in this build of packer-py")
    module, _, name = target.partition(":")
    factory = getattr(importlib.import_module(module), name)
    return factory(dict(config), render_ctx)  # type: ignore[no-any-return]
