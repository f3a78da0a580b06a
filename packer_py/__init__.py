"""packer-py: a Packer-compatible image builder for AWS, in Python."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packer_py.errors import PackerPyError, Pos

if TYPE_CHECKING:
    from packer_py.api import LoadedTemplate, load_template

__version__ = "0.1.0"
PACKER_VERSION = "1.6.6"
"""The Packer release whose behaviour packer-py reproduces (``packer_version``, ``min_packer_version``)."""

__all__ = ["PACKER_VERSION", "LoadedTemplate", "PackerPyError", "Pos", "__version__", "load_template"]


def __getattr__(name: str) -> Any:
    """The library API is imported on first use, so ``packer-py version`` stays cheap."""
    if name in ("load_template", "LoadedTemplate"):
        from packer_py import api

        return getattr(api, name)
    raise AttributeError(name)
