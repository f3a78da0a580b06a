"""packer-py's amazon-ebs builder against Packer 1.6.6, case by case (``cases.py``, goldens by ``record_packer.py``).

Each case is built by packer-py against the harness's moto server and sshd, exactly as Packer built it when the
golden was recorded; then the builder's UI lines, the ordered AWS actions moto received, the build's error (or
artifact) and what is left in moto must equal Packer's. Go prints map entries in random order, so runs of
``Adding tag:`` lines are compared as sets.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from packer_py.api import load_template
from packer_py.builders.amazon_ebs import Builder
from packer_py.errors import PackerPyError
from tests.builders.amazon_ebs.cases import CASES, Case, normalise
from tests.builders.amazon_ebs.record_packer import prepare, template
from tests.builders.amazon_ebs.support import RecordingUi, make_context

GOLDENS = Path(__file__).resolve().parent / "goldens"


def golden(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDENS / f"{name}.json").read_text())
    return data


def tag_runs_sorted(lines: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if "Adding tag: " in line:
            run.append(line)
            continue
        out.extend(sorted(run))
        run = []
        if line:
            out.append(line)
    return out


def packer_error(summary: list[str]) -> str | None:
    """The error of ``Build 'amazon-ebs' errored after D: ERROR`` (which may span lines)."""
    prefix = "Build 'amazon-ebs' errored after DURATION: "
    for index, line in enumerate(summary):
        if line.startswith(prefix):
            text = [line[len(prefix) :]]
            for more in summary[index + 1 :]:
                if more.startswith("==> "):
                    break
                text.append(more)
            return "\n".join(text)
    return None


def per_region(calls: list[list[str]]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for call in calls:
        out.setdefault(call[2], []).append(call[:2])
    return out


def build(case: Case, moto: Any, sshd: Any, silent_port: Any, tmp_path: Path) -> tuple[RecordingUi, Any, Any]:
    source_ami, extra = prepare(case, moto, sshd)
    ssh = silent_port if case.ssh == "silent" else sshd
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template(case, moto, ssh, source_ami, extra)))
    result = load_template(str(path)).validate()
    assert result.ok, result.render()
    config = result.builds[0].builder_config
    ui = RecordingUi()
    cancel = threading.Event()
    ran: list[str] = []

    def provision(comm: Any, data: dict[str, str]) -> None:
        if case.cancel_while_provisioning:
            threading.Timer(0.5, cancel.set).start()
        for command in case.inline:
            outcome = comm.run(command, on_stdout=ran.append, on_stderr=ran.append)
            if outcome.exit_status != 0:
                raise PackerPyError(
                    f"Script exited with non-zero exit status: {outcome.exit_status}.Allowed exit codes are: [0]"
                )

    ctx = make_context(ui, provision, cancel_event=cancel)
    try:
        artifact = Builder(config).run(ctx)
    except PackerPyError as exc:
        return ui, None, exc
    return ui, artifact, None


@pytest.mark.parametrize("name", list(CASES))
def test_build_matches_packer(name: str, moto: Any, sshd: Any, silent_port: Any, tmp_path: Path) -> None:
    case = CASES[name]
    expected = golden(name)
    ui, artifact, error = build(case, moto, sshd, silent_port, tmp_path)

    ours = [normalise(line) for line in ui.text()]
    calls = [[c.service, c.action, c.region] for c in moto.api_log()]
    if case.parallel_regions:
        assert sorted(ours) == sorted(expected["builder_lines"])
        assert per_region(calls) == per_region(expected["api_calls"])
    else:
        assert tag_runs_sorted(ours) == tag_runs_sorted(expected["builder_lines"])
        assert calls == expected["api_calls"]
    assert [normalise(str(r)) for r in moto.leftovers()] == expected["leftovers"]

    wanted_error = packer_error(expected["summary_lines"])
    if wanted_error is None:
        assert error is None
    else:
        assert error is not None and normalise(str(error)) == wanted_error
    if case.expect_success:
        assert artifact is not None
        lines = expected["summary_lines"]
        start = lines.index("--> amazon-ebs: AMIs were created:")
        assert normalise(str(artifact)).rstrip("\n").split("\n")[1:] == lines[start + 1 :]
    else:
        assert artifact is None
