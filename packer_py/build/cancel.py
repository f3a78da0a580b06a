"""Cancellation as Go's ``context.Context`` gives it to Packer's builds: one event per build, children per scope.

Ctrl-C and SIGTERM cancel the build's ``CancelEvent`` (Go: ``context canceled``); a provisioner ``timeout`` cancels
a child event when its timer fires (``context deadline exceeded``). Setting an event sets its children and runs the
callbacks registered on it, which is how a blocking call is interrupted: an SSH command's connection is closed, a
local process is killed (``exec.CommandContext``). The interrupted code then raises ``Cancelled`` with the reason,
whose text is the Go error Packer reports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from packer_py.build.steps import Cancelled

CANCELED = "context canceled"
DEADLINE_EXCEEDED = "context deadline exceeded"


class CancelEvent(threading.Event):
    """A ``threading.Event`` that knows why it was set, propagates to children and runs callbacks once set."""

    def __init__(self) -> None:
        super().__init__()
        self.reason = CANCELED
        self._guard = threading.Lock()
        self._children: list[CancelEvent] = []
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._next = 0

    def cancel(self, reason: str = CANCELED) -> None:
        with self._guard:
            if self.is_set():
                return
            self.reason = reason
            super().set()
            children = list(self._children)
            callbacks = list(self._callbacks.values())
        for child in children:
            child.cancel(reason)
        for callback in callbacks:
            try:
                callback()
            except Exception:  # an interrupt that fails must not stop the others
                pass

    def set(self) -> None:
        self.cancel(CANCELED)

    def child(self) -> CancelEvent:
        """A scope that is cancelled with this one, and may also be cancelled on its own."""
        child = CancelEvent()
        with self._guard:
            self._children.append(child)
            parent_set, reason = self.is_set(), self.reason
        if parent_set:
            child.cancel(reason)
        return child

    def release(self, child: CancelEvent) -> None:
        with self._guard:
            if child in self._children:
                self._children.remove(child)

    @contextmanager
    def interrupting(self, interrupt: Callable[[], None]) -> Iterator[None]:
        """While the block runs, a cancel calls ``interrupt`` (at once if already cancelled)."""
        with self._guard:
            key = self._next
            self._next += 1
            self._callbacks[key] = interrupt
            already = self.is_set()
        try:
            if already:
                interrupt()
            yield
        finally:
            with self._guard:
                self._callbacks.pop(key, None)

    def check(self) -> None:
        if self.is_set():
            raise Cancelled(self.reason)

    def sleep(self, seconds: float) -> None:
        """Go's ``select { case <-time.After(d): case <-ctx.Done(): return ctx.Err() }``."""
        if self.wait(seconds):
            raise Cancelled(self.reason)


def as_cancel_event(event: threading.Event) -> CancelEvent:
    """Accept a plain ``threading.Event`` from a caller: wrap it in a CancelEvent that follows it (polled)."""
    if isinstance(event, CancelEvent):
        return event
    out = CancelEvent()

    def follow() -> None:
        while not out.is_set():
            if event.wait(0.1):
                out.cancel()
                return

    threading.Thread(target=follow, daemon=True, name="cancel-follow").start()
    return out
