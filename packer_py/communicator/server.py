"""The accept loop and connection lifetime of packer-py's in-process SSH servers.

Two paramiko servers run inside packer-py: the ansible provisioner's proxy (``packer_py.communicator.adapter``,
Packer's ``packer-plugin-sdk/adapter``) and the local instance's sshd (``packer_py.local.sshd``). Both accept on a
loopback socket until closed and serve every connection on its own thread with one ``paramiko.Transport``; what
differs (transport settings, host keys, the ``ServerInterface``, how a failure is reported) is passed in.

paramiko is imported at module level: only those two servers import this module, when a build runs.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Callable

import paramiko


class ConnectionServer:
    """Accepts connections on ``listener`` from ``start()`` until ``close()``.

    ``transport`` makes the (not yet started) transport of an accepted socket and ``interface`` the
    ``ServerInterface`` that answers its requests. ``on_error`` hears a failed accept (the loop goes on, as Go's
    ``Serve`` loop does) or a failed handshake; without it a failed accept ends the loop.
    """

    def __init__(
        self,
        listener: socket.socket,
        *,
        name: str,
        transport: Callable[[socket.socket], paramiko.Transport],
        interface: Callable[[paramiko.Transport], paramiko.ServerInterface],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.listener = listener
        self._name = name
        self._new_transport = transport
        self._interface = interface
        self._on_error = on_error
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._transports: list[paramiko.Transport] = []
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start accepting in a background thread."""
        self._thread = threading.Thread(target=self._accept, name=self._name, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop listening and end every connection. Safe to call twice."""
        self._closed.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        with self._lock:
            transports, self._transports = self._transports, []
        for transport in transports:
            transport.close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                ready, _, _ = select.select([self.listener], [], [], 0.2)
                if not ready:
                    continue
                conn, _ = self.listener.accept()
            except OSError as exc:
                if self._closed.is_set() or self._on_error is None:
                    return
                self._on_error(f"listen.Accept failed: {exc}")
                continue
            threading.Thread(target=self._serve, args=(conn,), name=f"{self._name}-conn", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport = self._new_transport(conn)
        with self._lock:
            if self._closed.is_set():
                transport.close()
                return
            self._transports.append(transport)
        try:
            transport.start_server(server=self._interface(transport))
        except (paramiko.SSHException, EOFError, OSError):
            transport.close()
            if not self._closed.is_set() and self._on_error is not None:
                self._on_error("failed to handshake")
            return
        held: list[paramiko.Channel] = []
        while transport.is_active() and not self._closed.is_set():
            # paramiko keeps channels in a weak map and closes a channel once it is garbage: hold each accepted one
            # until it closes (its requests are served by the interface's handlers already)
            channel = transport.accept(0.5)
            held = [c for c in held if not c.closed]
            if channel is not None:
                held.append(channel)
        transport.close()
        with self._lock:
            if transport in self._transports:
                self._transports.remove(transport)
