"""``PACKER_LOG`` / ``PACKER_LOG_PATH``: Packer's debug log, through Python's ``logging``.

Any value of ``PACKER_LOG`` but ``""`` and ``"0"`` turns the log on; it goes to ``PACKER_LOG_PATH`` when set (the
file is truncated, as Packer opens it with O_TRUNC), else to stderr. Lines look like Packer's
(``2026/11/24 02:15:13 message``). Every record passes through the run's ``Masker`` first, so a secret never reaches
the log either (Packer's ``LogSecretFilter``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import TextIO

from packer_py.ui import Masker

_HANDLER_NAME = "packer-py-log"


class _MaskingFilter(logging.Filter):
    def __init__(self, masker: Masker) -> None:
        super().__init__()
        self.masker = masker

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is logged as is
            return True
        record.msg = self.masker(text)
        record.args = None
        return True


def log_enabled(environ: Mapping[str, str]) -> bool:
    return environ.get("PACKER_LOG", "") not in ("", "0")


def configure_logging(environ: Mapping[str, str], masker: Masker, stream: TextIO | None = None) -> bool:
    """Install the debug log when ``PACKER_LOG`` asks for it; returns whether it did."""
    root = logging.getLogger("packer_py")
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    if not log_enabled(environ):
        return False
    path = environ.get("PACKER_LOG_PATH", "")
    out: logging.Handler
    if path:
        out = logging.FileHandler(path, mode="w", encoding="utf-8")
    else:
        out = logging.StreamHandler(stream if stream is not None else sys.stderr)
    out.set_name(_HANDLER_NAME)
    out.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%Y/%m/%d %H:%M:%S"))
    out.addFilter(_MaskingFilter(masker))
    root.addHandler(out)
    root.setLevel(logging.DEBUG)
    return True
