"""packer-py: a Packer-compatible image builder for AWS, in Python."""

from __future__ import annotations

from packer_py.errors import PackerPyError, Pos

__version__ = "0.1.0"
PACKER_VERSION = "1.6.6"
"""The Packer release whose behaviour packer-py reproduces (``packer_version``, ``min_packer_version``)."""

__all__ = ["PACKER_VERSION", "PackerPyError", "Pos", "__version__"]
