"""The build runner in-process, with builders registered for the test (no SSH): parallelism, the summary, the
keep_input_artifact rules, cancellation with cleanups, masking."""

from __future__ import annotations

import io
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from packer_py.api import load_template
from packer_py.build.interfaces import BuildContext
from packer_py.build.provision import StepProvision
from packer_py.build.runner import BuildOptions
from packer_py.build.steps import Action, BuildState, run_steps
from packer_py.builders import builder_factory, register_builder
from packer_py.errors import BuildError, PackerPyError
from packer_py.ui import BasicUi, Masker

EVENTS: list[str] = []


@dataclass
class StepResource:
    """Stands for a temporary AWS resource: created in run, deleted in cleanup."""

    name: str
    wait: float = 0.0

    def run(self, state: BuildState) -> Action:
        EVENTS.append(f"create {self.name}")
        if self.wait:
            state.sleep(self.wait)
        return Action.CONTINUE

    def cleanup(self, state: BuildState) -> None:
        EVENTS.append(f"delete {self.name}")


@dataclass
class FakeArtifact:
    builder_id: str = "test.fake"
    destroyed: bool = False

    def id(self) -> str:
        return "fake-id"

    def __str__(self) -> str:
        return "fake artifact"

    def files(self) -> list[str]:
        return []

    def state(self, name: str) -> Any:
        return None

    def destroy(self) -> None:
        self.destroyed = True


class FakeBuilder:
    def __init__(self, config: Any) -> None:
        self.config = config

    def run(self, ctx: BuildContext) -> FakeArtifact | None:
        state = BuildState(ui=ctx.ui, build_name=ctx.name, builder_type=ctx.builder_type, cancel_event=ctx.cancel_event)
        wait = float(self.config.get("ssh_timeout", 0)) / 1e9 if self.config.get("ssh_timeout") else 0.0
        from packer_py.build.connect import NoneCommunicator

        state.communicator = NoneCommunicator()
        run_steps([StepResource(f"{ctx.name}-key", wait), StepProvision(ctx.provision, ctx.cleanup_provision)], state)
        if state.error is not None:
            raise state.error
        return FakeArtifact()


@pytest.fixture(autouse=True)
def fake_builder() -> Any:
    register_builder("null", FakeBuilder)
    EVENTS.clear()
    yield
    register_builder("null", "packer_py.builders.null:NullBuilder")


def write(tmp_path: Path, tpl: dict[str, Any]) -> str:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(tpl))
    return str(path)


def run(tmp_path: Path, tpl: dict[str, Any], **opts: Any) -> tuple[Any, str]:
    out = io.StringIO()
    loaded = load_template(write(tmp_path, tpl))
    result = loaded.build(BuildOptions(color=False, **opts), BasicUi(out, masker=Masker()))
    return result, out.getvalue()


NONE = {"type": "null", "communicator": "none"}


def test_summary_and_exit_status(tmp_path: Path) -> None:
    result, out = run(tmp_path, {"builders": [{**NONE, "name": "a"}, {**NONE, "name": "b"}]})
    assert result.exit_code == 0
    assert sorted(result.artifacts) == ["a", "b"]
    assert (
        "==> Builds finished. The artifacts of successful builds are:\n--> a: fake artifact\n--> b: fake artifact\n"
        in out
    )


def test_failed_build_exits_1_and_is_listed(tmp_path: Path) -> None:
    tpl = {
        "builders": [{**NONE, "name": "a"}, {**NONE, "name": "b"}],
        "provisioners": [{"type": "shell-local", "inline": ["exit 3"], "only": ["b"]}],
    }
    result, out = run(tmp_path, tpl)
    assert result.exit_code == 1
    assert result.errors == {"b": "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]"}
    assert "==> Some builds didn't complete successfully and had errors:\n--> b: Script exited" in out
    assert "--> a: fake artifact" in out


def test_keep_input_artifact_rules(tmp_path: Path) -> None:
    tpl = {
        "builders": [NONE],
        "post-processors": [
            {"type": "manifest", "output": str(tmp_path / "m.json"), "keep_input_artifact": False},
            [{"type": "shell-local", "inline": ["true"]}, {"type": "shell-local", "inline": ["true"]}],
        ],
    }
    result, _ = run(tmp_path, tpl)
    # builder artifact kept (forced by manifest), the manifest chain's last, the middle one kept, the last one
    assert len(result.artifacts["null"]) == 4


def test_parallel_builds_one_is_serial(tmp_path: Path) -> None:
    slow = {**NONE, "ssh_timeout": "200ms"}
    tpl = {"builders": [{**slow, "name": "a"}, {**slow, "name": "b"}]}
    run(tmp_path, tpl, parallel_builds=1)
    assert EVENTS == ["create a-key", "delete a-key", "create b-key", "delete b-key"]
    EVENTS.clear()
    run(tmp_path, tpl)
    assert EVENTS[:2] == ["create a-key", "create b-key"]


def test_cancel_runs_every_cleanup(tmp_path: Path) -> None:
    slow = {**NONE, "ssh_timeout": "30s"}
    loaded = load_template(write(tmp_path, {"builders": [{**slow, "name": "a"}, {**slow, "name": "b"}]}))
    out = io.StringIO()
    build_run = loaded.build_run(BuildOptions(color=False), BasicUi(out, masker=Masker()))
    threading.Timer(0.3, build_run.cancel).start()
    started = time.monotonic()
    result = build_run.run()
    assert time.monotonic() - started < 5
    assert result.exit_code == 1 and result.cancelled
    assert sorted(EVENTS) == ["create a-key", "create b-key", "delete a-key", "delete b-key"]
    assert out.getvalue().startswith("Cancelling build after receiving interrupt\n")
    assert out.getvalue().endswith("Cleanly cancelled builds after being interrupted.\n")


def test_second_signal_does_not_skip_cleanups(tmp_path: Path) -> None:
    loaded = load_template(write(tmp_path, {"builders": [{**NONE, "ssh_timeout": "30s"}]}))
    out = io.StringIO()
    build_run = loaded.build_run(BuildOptions(color=False), BasicUi(out, masker=Masker()))
    threading.Timer(0.2, lambda: (build_run.cancel(), build_run.cancel("terminated"))).start()
    build_run.run()
    assert EVENTS == ["create null-key", "delete null-key"]
    assert "a second interrupt does not skip them" in out.getvalue()


def test_sensitive_variables_masked(tmp_path: Path) -> None:
    tpl = {
        "variables": {"pw": "hunter2"},
        "sensitive-variables": ["pw"],
        "builders": [NONE],
        "provisioners": [{"type": "shell-local", "inline": ["echo {{user `pw`}}"]}],
    }
    _, out = run(tmp_path, tpl)
    assert "hunter2" not in out and "    null: <sensitive>" in out


def test_bad_on_error() -> None:
    with pytest.raises(BuildError, match=r'expected one of \["cleanup" "abort" "ask" "run-cleanup-provisioner"\]'):
        BuildOptions(on_error="bogus")


def test_amazon_ebs_lookup_is_lazy_and_clear_when_missing() -> None:
    import importlib.util

    if importlib.util.find_spec("packer_py.builders.amazon_ebs") is not None:
        pytest.skip("the amazon-ebs builder is present")
    with pytest.raises(PackerPyError, match="not available in this build"):
        builder_factory("amazon-ebs")


def test_ansible_provisioners_are_made_by_type(tmp_path: Path) -> None:
    from packer_py.provisioners import make_provisioner

    made = [type(make_provisioner(t, {}, None, {})).__name__ for t in ("ansible", "ansible-local")]  # type: ignore[arg-type]
    assert made == ["AnsibleProvisioner", "AnsibleLocalProvisioner"]
