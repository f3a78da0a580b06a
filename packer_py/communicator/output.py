"""Relaying a remote command's output line by line, as it arrives.

Packer copies a command's stdout and stderr through pipes and prints each line as a UI message; its relay is slow
(200,000 lines take over a minute). Here each stream is decoded incrementally (UTF-8, invalid bytes replaced, a
character split across two packets kept whole) and split on ``\\n`` in bulk, so a line costs one ``str.split`` slot
and one callback. A last line without a newline is delivered when the stream ends.

Lines are delivered without their ``\\n`` but otherwise untouched (a pty's ``\\r`` stays), so the UI layer can apply
Packer's own clean-up (trim trailing space, keep the text after the last ``\\r``).

One thread serves both streams: both of paramiko's channel buffers signal the same event, so the loop sleeps until
either has data, the channel ends, or the connection dies.
"""

from __future__ import annotations

import codecs
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from packer_py.communicator.errors import CommandTimeoutError

if TYPE_CHECKING:
    import paramiko

LineSink = Callable[[str], None]

READ_SIZE = 1 << 20
POLL_INTERVAL = 0.5
"""Upper bound on a wait for data; only matters if a wake-up is missed or the transport dies silently."""


class LineSplitter:
    """Turns a byte stream into lines for ``sink``."""

    __slots__ = ("_decode", "_partial", "_sink")

    def __init__(self, sink: LineSink) -> None:
        self._sink = sink
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self._partial = ""

    def feed(self, data: bytes) -> None:
        text = self._decode(data)
        if not text:
            return
        lines = text.split("\n")
        if self._partial:
            lines[0] = self._partial + lines[0]
        self._partial = lines.pop()
        sink = self._sink
        for line in lines:
            sink(line)

    def close(self) -> None:
        """Deliver a final line that had no newline."""
        tail = self._partial + self._decode(b"", True)
        self._partial = ""
        if tail:
            self._sink(tail)


def relay(
    channel: paramiko.Channel,
    on_stdout: LineSink,
    on_stderr: LineSink,
    *,
    timeout: float | None = None,
) -> int | None:
    """Deliver a started command's output until it ends; return its exit status, or ``None`` when the connection
    dropped (or the server sent neither ``exit-status`` nor ``exit-signal``: Go's ``ExitMissingError``).

    Raises ``CommandTimeoutError`` (after closing the channel) when ``timeout`` seconds pass first.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    stdout, stderr = LineSplitter(on_stdout), LineSplitter(on_stderr)
    wake = threading.Event()
    channel.in_buffer.set_event(wake)
    channel.in_stderr_buffer.set_event(wake)
    transport = channel.get_transport()
    out_open = err_open = True
    while out_open or err_open:
        progressed = False
        ended = channel.eof_received or channel.closed
        if out_open and (ended or channel.recv_ready()):
            data = channel.recv(READ_SIZE)
            if data:
                stdout.feed(data)
            else:
                out_open = False
            progressed = True
        if err_open and (ended or channel.recv_stderr_ready()):
            data = channel.recv_stderr(READ_SIZE)
            if data:
                stderr.feed(data)
            else:
                err_open = False
            progressed = True
        if progressed:
            continue
        if not transport.is_active():
            break
        wake.wait(_wait_time(deadline, timeout, channel))
        wake.clear()
    stdout.close()
    stderr.close()
    while not channel.status_event.is_set() and transport.is_active():
        channel.status_event.wait(_wait_time(deadline, timeout, channel))
    status = channel.exit_status
    return status if channel.status_event.is_set() and status >= 0 else None


def _wait_time(deadline: float | None, timeout: float | None, channel: paramiko.Channel) -> float:
    if deadline is None:
        return POLL_INTERVAL
    left = deadline - time.monotonic()
    if left <= 0:
        channel.close()
        raise CommandTimeoutError(f"the remote command did not finish within {timeout:g}s")
    return min(left, POLL_INTERVAL)
