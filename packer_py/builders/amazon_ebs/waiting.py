"""Waiting on AWS: the waiters (instance running/stopped/terminated, AMI available, ...) and Packer's retry helper.

**Waiters.** aws-sdk-go's waiters poll at once, then every ``delay`` seconds, up to ``max_attempts`` polls, and
Packer lets ``aws_polling`` / ``AWS_POLL_DELAY_SECONDS`` / ``AWS_MAX_ATTEMPTS`` (and the deprecated
``AWS_TIMEOUT_SECONDS``) override both (``AWSPollingConfig.getWaiterOptions``, precedence config > env > waiter
default; the AMI waiter's default attempts are bumped to 120 when nothing is overridden). packer-py keeps those
bounds but, when no delay is set, polls fast first and backs off (10 ms doubling up to the waiter's delay) until the
same time budget (delay x attempts) is spent, so a resource that is ready at once (moto) costs one poll and no sleep.
A delay that *is* set is honoured exactly, as is a set number of attempts.

Timeouts and failure states give aws-sdk-go's words (``ResourceNotReady: exceeded wait attempts``,
``ResourceNotReady: failed waiting for successful resource state``), which Packer embeds in its messages.

**Retries.** ``retry`` is packer-plugin-sdk's ``retry.Config.Run`` with its ``Backoff.Linear`` delays (0.2 s doubling
to 30 s, 11 tries for most calls): ``retry count exhausted. Last err: ...`` when the tries run out.

Every sleep goes through ``WaitContext.sleep``, which a cancel interrupts (``Cancelled``) unless the wait belongs to
a cleanup: Packer's cleanups wait on a background context, so that a cancelled build still terminates its instance
before deleting the security group.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from packer_py.build.steps import Cancelled
from packer_py.builders.amazon_ebs.config import Polling
from packer_py.errors import AwsError, PackerPyError

log = logging.getLogger("packer_py.builders.amazon_ebs")

T = TypeVar("T")

Verdict = Literal["success", "retry", "failure"]


@dataclass(frozen=True)
class Clock:
    """Time as the builder sees it: injectable so that tests never sleep.

    ``wait(event, seconds)`` blocks up to ``seconds`` or until ``event`` is set and returns whether it is set
    (``threading.Event.wait``).
    """

    monotonic: Callable[[], float] = time.monotonic
    wait: Callable[[threading.Event, float], bool] = field(default=lambda event, seconds: event.wait(seconds))


@dataclass
class WaitContext:
    """The clock and the cancel switch of one build."""

    clock: Clock
    cancel_event: threading.Event
    _never: threading.Event = field(default_factory=threading.Event)

    def sleep(self, seconds: float, *, cancellable: bool = True) -> None:
        if seconds <= 0:
            if cancellable and self.cancel_event.is_set():
                raise Cancelled()
            return
        if cancellable:
            if self.clock.wait(self.cancel_event, seconds):
                raise Cancelled()
        else:
            self.clock.wait(self._never, seconds)

    def now(self) -> float:
        return self.clock.monotonic()


# -- polling configuration -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PollingOverrides:
    """What the user set (``None`` = waiter default), after Packer's precedence rules."""

    delay: float | None = None
    max_attempts: int | None = None

    @property
    def any(self) -> bool:
        return self.delay is not None or self.max_attempts is not None

    @classmethod
    def resolve(cls, config: Polling, environ: Mapping[str, str]) -> PollingOverrides:
        """``getWaiterOptions``: config over ``AWS_POLL_DELAY_SECONDS``/``AWS_MAX_ATTEMPTS`` over
        ``AWS_TIMEOUT_SECONDS`` (attempts = timeout / delay, delay 2 s unless set)."""
        delay = _env_int(environ, "AWS_POLL_DELAY_SECONDS")
        attempts = _env_int(environ, "AWS_MAX_ATTEMPTS")
        timeout = _env_int(environ, "AWS_TIMEOUT_SECONDS")
        if config.max_attempts:
            attempts = config.max_attempts
        if config.delay_seconds:
            delay = config.delay_seconds
        if attempts is None and timeout is not None:
            effective_delay = delay if delay is not None else 2
            attempts = timeout // effective_delay if effective_delay else 0
            delay = effective_delay
        return cls(float(delay) if delay is not None else None, attempts)


def _env_int(environ: Mapping[str, str], key: str) -> int | None:
    text = environ.get(key, "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        log.info("Invalid %s '%s', using default", key, text)
        return None


# -- waiters ---------------------------------------------------------------------------------------------------------
NOT_READY = "ResourceNotReady: exceeded wait attempts"
FAILED_STATE = "ResourceNotReady: failed waiting for successful resource state"


class WaiterError(AwsError):
    """A waiter gave up (timeout or failure state)."""


@dataclass(frozen=True)
class WaiterSpec:
    """One aws-sdk-go waiter: its name, default delay and attempts."""

    name: str
    delay: float
    max_attempts: int


INSTANCE_RUNNING = WaiterSpec("InstanceRunning", 15, 40)
INSTANCE_STOPPED = WaiterSpec("InstanceStopped", 15, 40)
INSTANCE_TERMINATED = WaiterSpec("InstanceTerminated", 15, 40)
IMAGE_AVAILABLE = WaiterSpec("ImageAvailable", 15, 40)
SECURITY_GROUP_EXISTS = WaiterSpec("DescribeSecurityGroups", 5, 40)
INSTANCE_PROFILE_EXISTS = WaiterSpec("InstanceProfileExists", 1, 40)
ROLE_EXISTS = WaiterSpec("RoleExists", 1, 20)
FIRST_DELAY = 0.01


def wait_until(
    ctx: WaitContext,
    spec: WaiterSpec,
    probe: Callable[[], Verdict],
    *,
    overrides: PollingOverrides | None = None,
    cancellable: bool = True,
    ami_default_attempts: int | None = None,
) -> None:
    """Poll ``probe`` until it says ``success``; raise ``WaiterError`` on ``failure`` or when the bounds run out.

    ``probe`` returns ``retry`` for a state worth waiting on (and for the errors the waiter retries on); any other
    error it raises ends the wait, as in aws-sdk-go. ``overrides=None`` means the caller takes the waiter's
    defaults (Packer's security-group and IAM waiters ignore ``aws_polling``).
    """
    overrides = overrides or PollingOverrides()
    default_attempts = spec.max_attempts
    if ami_default_attempts is not None and not overrides.any:
        default_attempts = ami_default_attempts
    attempts_limit = overrides.max_attempts
    budget = spec.delay * default_attempts
    delay = FIRST_DELAY if overrides.delay is None else overrides.delay
    start = ctx.now()
    attempt = 0
    while True:
        if cancellable and ctx.cancel_event.is_set():
            raise Cancelled()
        attempt += 1
        verdict = probe()
        if verdict == "success":
            return
        if verdict == "failure":
            raise WaiterError(FAILED_STATE)
        if attempts_limit is not None:
            if attempt >= attempts_limit:
                raise WaiterError(NOT_READY)
        elif overrides.delay is not None:
            if attempt >= default_attempts:
                raise WaiterError(NOT_READY)
        elif ctx.now() - start >= budget:
            raise WaiterError(NOT_READY)
        log.debug("waiter %s: attempt %d not ready, sleeping %.2fs", spec.name, attempt, delay)
        ctx.sleep(delay, cancellable=cancellable)
        if overrides.delay is None:
            delay = min(delay * 2, spec.delay)


# -- retry helper ----------------------------------------------------------------------------------------------------
class RetryExhausted(AwsError):
    def __init__(self, last: BaseException | None) -> None:
        super().__init__(f"retry count exhausted. Last err: {last}")
        self.last = last


@dataclass
class Backoff:
    """packer-plugin-sdk ``retry.Backoff.Linear``: the next delay, then multiply, capped at ``maximum``."""

    initial: float = 0.2
    maximum: float = 30.0
    multiplier: float = 2.0

    def next(self) -> float:
        wait = self.initial
        self.initial *= self.multiplier
        if self.maximum and self.initial > self.maximum:
            self.initial = self.maximum
        return wait


def retry(
    ctx: WaitContext,
    fn: Callable[[], T],
    *,
    tries: int = 11,
    should_retry: Callable[[PackerPyError], bool] = lambda _err: True,
    backoff: Backoff | None = None,
    deadline: float | None = None,
    cancellable: bool = True,
) -> T:
    """``retry.Config{Tries, ShouldRetry, RetryDelay}.Run``; ``tries=0`` retries until ``deadline`` (seconds)."""
    backoff = backoff or Backoff()
    start = ctx.now()
    last: PackerPyError | None = None
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn()
        except Cancelled:
            raise
        except PackerPyError as exc:
            if not should_retry(exc):
                raise
            last = exc
            log.info("Retryable error: %s", exc)
            if deadline is not None and ctx.now() - start >= deadline:
                raise
        if tries and attempt == tries:  # Packer sleeps once more before giving up; nothing is gained by that
            raise RetryExhausted(last)
        ctx.sleep(backoff.next(), cancellable=cancellable)
