"""Loopback ports for the harness: a free port to hand to a server, and a port that accepts but never speaks.

Servers are started on ports picked here rather than on fixed numbers, so two test runs (or a developer's own sshd)
never collide. ``SilentPort`` stands in for an instance whose SSH daemon is not up yet: the TCP connect succeeds,
the SSH banner never comes, which is what Packer's ``Waiting for SSH to become available...`` loop sees while an EC2
instance boots.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType
from typing import Self

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now.

    The port is released before returning, so a server started with it may (rarely) lose a race; the servers in this
    harness retry on "address already in use".
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class SilentPort:
    """A listening socket that accepts every connection and never sends a byte.

    Accepted sockets are kept open (not closed, not read) until ``close()``, so a client waits for the SSH banner
    until its own timeout fires.
    """

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(64)
        self.host = LOOPBACK
        self.port = int(self._listener.getsockname()[1])
        self._held: list[socket.socket] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept_forever, name=f"silent-port-{self.port}", daemon=True)
        self._thread.start()

    @property
    def accepted(self) -> int:
        """How many connections were accepted so far (each SSH connect attempt makes one)."""
        return len(self._held)

    def _accept_forever(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._held.append(conn)

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
