"""A real OpenSSH sshd (``tests/harness``) for the null-builder tests, without the moto server the amazon tests
need; skipped where the harness is absent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def null_sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from tests.harness.sshd import Sshd
    except ImportError:
        pytest.skip("tests/harness (the real sshd fixture) is not available")
    server = Sshd.start(tmp_path_factory.mktemp("null-sshd"))
    try:
        yield server
    finally:
        server.stop()
