"""Fixtures shared by every test directory: the end-to-end harness (``tests/harness/fixtures.py``)."""

from __future__ import annotations

from tests.harness.fixtures import moto, moto_server, silent_port, sshd, sshd_password

__all__ = ["moto", "moto_server", "silent_port", "sshd", "sshd_password"]
