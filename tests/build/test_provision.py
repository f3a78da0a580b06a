from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field

import pytest

from packer_py.build.cancel import CancelEvent
from packer_py.build.provision import (
    NO_COMMUNICATOR,
    ProvisionHook,
    StepProvision,
    hook_data,
    wrap_provisioner,
)
from packer_py.build.steps import BuildState, Cancelled, run_steps
from packer_py.build.ui import TargetedUi
from packer_py.errors import BuildError
from packer_py.goparse import Duration, parse_duration
from packer_py.ui import BasicUi


@dataclass
class Fake:
    fail_times: int = 0
    calls: int = 0
    sleep: float = 0.0
    seen: list[dict[str, object]] = field(default_factory=list)

    def provision(self, ui, comm, data, cancel) -> None:  # type: ignore[no-untyped-def]
        self.calls += 1
        self.seen.append(dict(data))
        if self.sleep:
            cancel.sleep(self.sleep)
        if self.calls <= self.fail_times:
            raise BuildError(f"boom {self.calls}")


def ui() -> tuple[TargetedUi, io.StringIO]:
    out = io.StringIO()
    return TargetedUi("b", BasicUi(out)), out


def d(text: str) -> Duration:
    return Duration(parse_duration(text))


def test_retries_say_packer_lines_and_raise_the_first_error() -> None:
    fake = Fake(fail_times=5)
    u, out = ui()
    with pytest.raises(BuildError, match="boom 1"):
        wrap_provisioner(fake, max_retries=2).provision(u, object(), {}, CancelEvent())
    assert fake.calls == 3
    assert out.getvalue() == (
        '==> b: Provisioner failed with "boom 1", retrying with 2 trie(s) left\n'
        '==> b: Provisioner failed with "boom 1", retrying with 1 trie(s) left\n'
        "==> b: retry limit reached.\n"
    )


def test_retry_succeeds() -> None:
    fake = Fake(fail_times=1)
    u, _ = ui()
    wrap_provisioner(fake, max_retries=3).provision(u, object(), {}, CancelEvent())
    assert fake.calls == 2


def test_timeout_cancels_and_reports_context_canceled() -> None:
    fake = Fake(sleep=5)
    u, out = ui()
    started = time.monotonic()
    with pytest.raises(BuildError, match="^context canceled$"):
        wrap_provisioner(fake, timeout=d("200ms")).provision(u, object(), {}, CancelEvent())
    assert time.monotonic() - started < 2
    assert out.getvalue() == (
        "==> b: Setting a 200ms timeout for the next provisioner...\n==> b: Cancelling provisioner after a timeout...\n"
    )


def test_pause_before_wins_over_timeout() -> None:
    fake = Fake()
    u, out = ui()
    wrap_provisioner(fake, pause_before=d("10ms"), timeout=d("1m")).provision(u, object(), {}, CancelEvent())
    assert out.getvalue() == "==> b: Pausing 10ms before the next provisioner...\n"


def test_pause_before_is_cancellable() -> None:
    cancel = CancelEvent()
    threading.Timer(0.1, cancel.cancel).start()
    u, _ = ui()
    with pytest.raises(Cancelled):
        wrap_provisioner(Fake(), pause_before=d("1m")).provision(u, object(), {}, cancel)


def test_hook_without_communicator() -> None:
    u, _ = ui()
    with pytest.raises(BuildError) as exc:
        ProvisionHook([Fake()]).run(u, None, {}, CancelEvent())
    assert str(exc.value) == NO_COMMUNICATOR
    ProvisionHook([]).run(u, None, {}, CancelEvent())  # nothing to run: no error


def test_hook_data_as_packer_populates_it() -> None:
    data = hook_data({"SourceAMI": "ami-1"}, instance_id=None, comm=None, environ={"PACKER_RUN_UUID": "u"})
    assert data == {
        "SourceAMI": "ami-1",
        "ID": "ERR_ID_NOT_IMPLEMENTED_BY_BUILDER",
        "PackerRunUUID": "u",
        "PackerHTTPIP": "ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER",
        "PackerHTTPPort": "ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER",
        "PackerHTTPAddr": "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER",
    }


def test_step_provision_runs_cleanup_provisioner_after_an_error() -> None:
    u, out = ui()
    ran: list[str] = []

    def provision(comm, data) -> None:  # type: ignore[no-untyped-def]
        ran.append("provision")
        raise BuildError("bad")

    def cleanup(comm, data) -> None:  # type: ignore[no-untyped-def]
        ran.append("cleanup")
        raise BuildError("worse")

    state = BuildState(ui=u, build_name="b", builder_type="null")
    run_steps([StepProvision(provision, cleanup)], state)
    assert ran == ["provision", "cleanup"]
    assert str(state.error) == "Cleanup failed: worse. Original Provisioning error: bad"
    assert out.getvalue() == "==> b: Provisioning step had errors: Running the cleanup provisioner, if present...\n"
