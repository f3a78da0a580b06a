"""Waiters and the retry helper: Packer's bounds and precedence, fast first polls, cancellation, no real sleeps."""

from __future__ import annotations

import threading

import pytest

from packer_py.build.steps import Cancelled
from packer_py.builders.amazon_ebs.config import Polling
from packer_py.builders.amazon_ebs.waiting import (
    FAILED_STATE,
    IMAGE_AVAILABLE,
    INSTANCE_RUNNING,
    NOT_READY,
    Backoff,
    Clock,
    PollingOverrides,
    RetryExhausted,
    Verdict,
    WaitContext,
    WaiterError,
    retry,
    wait_until,
)
from packer_py.errors import AwsError, BuildError
from tests.builders.amazon_ebs.support import FakeClock


def context(clock: FakeClock, cancel: threading.Event | None = None) -> WaitContext:
    return WaitContext(clock.clock(), cancel or threading.Event())


def probe_sequence(*verdicts: Verdict) -> tuple[list[int], object]:
    calls: list[int] = []

    def probe() -> Verdict:
        calls.append(1)
        return verdicts[min(len(calls), len(verdicts)) - 1]

    return calls, probe


# -- precedence ------------------------------------------------------------------------------------------------------
def test_nothing_set_means_waiter_defaults() -> None:
    assert PollingOverrides.resolve(Polling(), {}) == PollingOverrides(None, None)


def test_environment_overrides_and_config_wins_over_environment() -> None:
    env = {"AWS_POLL_DELAY_SECONDS": "3", "AWS_MAX_ATTEMPTS": "7"}
    assert PollingOverrides.resolve(Polling(), env) == PollingOverrides(3.0, 7)
    assert PollingOverrides.resolve(Polling(delay_seconds=1, max_attempts=2), env) == PollingOverrides(1.0, 2)


def test_deprecated_timeout_turns_into_attempts_of_two_seconds() -> None:
    assert PollingOverrides.resolve(Polling(), {"AWS_TIMEOUT_SECONDS": "60"}) == PollingOverrides(2.0, 30)
    env = {"AWS_TIMEOUT_SECONDS": "60", "AWS_POLL_DELAY_SECONDS": "5"}
    assert PollingOverrides.resolve(Polling(), env) == PollingOverrides(5.0, 12)
    env = {"AWS_TIMEOUT_SECONDS": "60", "AWS_MAX_ATTEMPTS": "4"}
    assert PollingOverrides.resolve(Polling(), env) == PollingOverrides(None, 4)


def test_invalid_environment_values_are_ignored() -> None:
    assert PollingOverrides.resolve(Polling(), {"AWS_MAX_ATTEMPTS": "many"}) == PollingOverrides(None, None)


# -- waiters ---------------------------------------------------------------------------------------------------------
def test_ready_at_once_costs_one_poll_and_no_sleep() -> None:
    clock = FakeClock()
    calls, probe = probe_sequence("success")
    wait_until(context(clock), INSTANCE_RUNNING, probe)  # type: ignore[arg-type]
    assert len(calls) == 1 and clock.slept == []


def test_default_delays_start_fast_and_back_off_to_the_waiter_delay() -> None:
    clock = FakeClock()
    calls, probe = probe_sequence(*(["retry"] * 12), "success")
    wait_until(context(clock), INSTANCE_RUNNING, probe)  # type: ignore[arg-type]
    assert clock.slept == pytest.approx([0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 15])


def test_default_budget_is_packers_delay_times_attempts() -> None:
    clock = FakeClock()
    with pytest.raises(WaiterError) as info:
        wait_until(context(clock), INSTANCE_RUNNING, lambda: "retry")
    assert str(info.value) == NOT_READY
    assert 15 * 40 <= sum(clock.slept) < 15 * 40 + 15


def test_ami_waiter_default_is_bumped_to_120_attempts_unless_overridden() -> None:
    clock = FakeClock()
    with pytest.raises(WaiterError):
        wait_until(context(clock), IMAGE_AVAILABLE, lambda: "retry", ami_default_attempts=120)
    assert 15 * 120 <= sum(clock.slept) < 15 * 121
    clock = FakeClock()
    with pytest.raises(WaiterError):
        wait_until(
            context(clock),
            IMAGE_AVAILABLE,
            lambda: "retry",
            overrides=PollingOverrides(delay=None, max_attempts=3),
            ami_default_attempts=120,
        )
    assert len(clock.slept) == 2


def test_a_set_delay_and_attempts_are_honoured_exactly() -> None:
    clock = FakeClock()
    calls, probe = probe_sequence("retry")
    with pytest.raises(WaiterError):
        wait_until(context(clock), INSTANCE_RUNNING, probe, overrides=PollingOverrides(2.0, 5))  # type: ignore[arg-type]
    assert len(calls) == 5 and clock.slept == [2.0] * 4


def test_a_set_delay_alone_keeps_the_waiters_attempts() -> None:
    clock = FakeClock()
    calls, probe = probe_sequence("retry")
    with pytest.raises(WaiterError):
        wait_until(context(clock), INSTANCE_RUNNING, probe, overrides=PollingOverrides(1.0, None))  # type: ignore[arg-type]
    assert len(calls) == 40


def test_failure_state_ends_the_wait() -> None:
    with pytest.raises(WaiterError) as info:
        wait_until(context(FakeClock()), INSTANCE_RUNNING, lambda: "failure")
    assert str(info.value) == FAILED_STATE


def test_an_error_from_the_probe_ends_the_wait() -> None:
    def probe() -> Verdict:
        raise AwsError("boom")

    with pytest.raises(AwsError, match="boom"):
        wait_until(context(FakeClock()), INSTANCE_RUNNING, probe)


def test_a_cancel_interrupts_the_wait_unless_it_is_a_cleanup() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        wait_until(context(FakeClock(), cancel), INSTANCE_RUNNING, lambda: "success")
    calls, probe = probe_sequence("retry", "retry", "success")
    wait_until(context(FakeClock(), cancel), INSTANCE_RUNNING, probe, cancellable=False)  # type: ignore[arg-type]
    assert len(calls) == 3


def test_cancel_during_a_real_sleep_returns_promptly() -> None:
    cancel = threading.Event()
    waits = WaitContext(Clock(), cancel)
    threading.Timer(0.05, cancel.set).start()
    with pytest.raises(Cancelled):
        waits.sleep(30)


# -- retry -----------------------------------------------------------------------------------------------------------
def test_backoff_is_packers_linear_doubling_with_a_cap() -> None:
    backoff = Backoff(0.2, 1.0)
    assert [backoff.next() for _ in range(5)] == [0.2, 0.4, 0.8, 1.0, 1.0]


def test_retry_gives_up_after_its_tries_with_packers_words() -> None:
    clock = FakeClock()
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise AwsError("Throttling: slow down")

    with pytest.raises(RetryExhausted) as info:
        retry(context(clock), failing)
    assert str(info.value) == "retry count exhausted. Last err: Throttling: slow down"
    assert len(calls) == 11 and len(clock.slept) == 10


def test_retry_stops_at_once_on_an_error_it_should_not_retry() -> None:
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise BuildError("fatal")

    with pytest.raises(BuildError, match="fatal"):
        retry(context(FakeClock()), failing, should_retry=lambda exc: "retryable" in str(exc))
    assert len(calls) == 1


def test_retry_until_a_deadline_returns_the_last_error() -> None:
    clock = FakeClock()

    def failing() -> None:
        raise AwsError("still not ready")

    with pytest.raises(AwsError, match="still not ready"):
        retry(context(clock), failing, tries=0, deadline=60.0, backoff=Backoff(1.0, 10.0))
    assert 60.0 <= sum(clock.slept) < 70.0


def test_retry_returns_the_first_success() -> None:
    outcomes = iter([AwsError("a"), AwsError("b"), "done"])

    def flaky() -> str:
        value = next(outcomes)
        if isinstance(value, Exception):
            raise value
        return value

    assert retry(context(FakeClock()), flaky) == "done"
