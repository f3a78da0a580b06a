from __future__ import annotations

import io
from dataclasses import dataclass, field

from packer_py.build.steps import Action, BuildState, run_steps, wrap_steps
from packer_py.build.ui import TargetedUi
from packer_py.errors import BuildError
from packer_py.ui import BasicUi


@dataclass
class Flaky:
    log: list[str]
    fail: int = 1
    tries: int = field(default=0)

    def run(self, state: BuildState) -> Action:
        self.tries += 1
        self.log.append("run")
        if self.tries <= self.fail:
            raise BuildError("nope")
        return Action.CONTINUE

    def cleanup(self, state: BuildState) -> None:
        self.log.append("cleanup")


def state() -> tuple[BuildState, io.StringIO]:
    out = io.StringIO()
    return BuildState(ui=TargetedUi("b", BasicUi(out)), build_name="b", builder_type="null"), out


def test_ask_retry_then_success() -> None:
    log: list[str] = []
    answers = iter(["x", "r"])
    st, out = state()
    run_steps(wrap_steps([Flaky(log)], on_error="ask", ask=lambda _p: next(answers)), st)
    assert log == ["run", "run", "cleanup"]
    assert '==> b: Step "Flaky" failed\n==> b: Incorrect input: "x"\n' in out.getvalue()


def test_ask_abort_skips_cleanup() -> None:
    log: list[str] = []
    st, out = state()
    run_steps(wrap_steps([Flaky(log)], on_error="ask", ask=lambda _p: "a"), st)
    assert log == ["run"]
    assert st.aborted


def test_abort_skips_every_cleanup_and_says_so() -> None:
    log: list[str] = []
    st, out = state()
    run_steps(wrap_steps([Flaky(log, fail=0), Flaky(log)], on_error="abort"), st)
    assert log == ["run", "run"]
    assert out.getvalue() == (
        '==> b: nope\n==> b: Step "Flaky" failed, aborting...\n==> b: aborted: skipping cleanup of step "Flaky"\n'
    )


def test_cleanup_runs_in_reverse_for_the_failed_step_too() -> None:
    log: list[str] = []
    a, b = Flaky(log, fail=0), Flaky(log)
    st, _ = state()
    run_steps([a, b], st)
    assert log == ["run", "run", "cleanup", "cleanup"] and st.halted and str(st.error) == "nope"
