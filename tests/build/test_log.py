from __future__ import annotations

import io
import logging

from packer_py.build.log import configure_logging, log_enabled
from packer_py.ui import Masker


def test_log_enabled_values() -> None:
    assert not log_enabled({}) and not log_enabled({"PACKER_LOG": "0"}) and log_enabled({"PACKER_LOG": "1"})


def test_log_is_masked_and_goes_to_the_stream() -> None:
    stream = io.StringIO()
    masker = Masker(["hunter2"])
    assert configure_logging({"PACKER_LOG": "1"}, masker, stream)
    logging.getLogger("packer_py.build").info("password is %s", "hunter2")
    assert "password is <sensitive>" in stream.getvalue() and "hunter2" not in stream.getvalue()
    assert not configure_logging({}, masker, stream)


def test_log_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "packer.log"
    configure_logging({"PACKER_LOG": "1", "PACKER_LOG_PATH": str(path)}, Masker())
    logging.getLogger("packer_py.ui").debug("ui: hello")
    configure_logging({}, Masker())
    assert "ui: hello" in path.read_text()
