from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

from packer_py.build.interfaces import BuildContext, RunOptions
from packer_py.build.journal import Journal
from packer_py.build.ui import TargetedUi
from packer_py.builders.null import NullArtifact
from packer_py.interpolate.gotemplate import RenderContext
from packer_py.postprocessors.manifest import ManifestPostProcessor, go_json
from packer_py.ui import BasicUi


def ctx(run_uuid: str, force: bool = False) -> BuildContext:
    return BuildContext(
        name="null",
        builder_type="null",
        ui=TargetedUi("null", BasicUi(io.StringIO())),
        options=RunOptions(force=force),
        cancel_event=threading.Event(),
        journal=Journal(None),
        template_path="t.json",
        user_variables={},
        provision=lambda comm, data: None,
        environ={"PACKER_RUN_UUID": run_uuid},
    )


def post(output: Path, run_uuid: str, force: bool = False, **config: object) -> dict[str, object]:
    pp = ManifestPostProcessor(
        {"output": str(output), "packer_build_name": "null", "packer_builder_type": "null", **config}, RenderContext()
    )
    artifact, keep, forced = pp.post_process(
        TargetedUi("null", BasicUi(io.StringIO())), NullArtifact(), ctx(run_uuid, force)
    )
    assert isinstance(artifact, NullArtifact) and keep and forced
    return json.loads(output.read_text())  # type: ignore[no-any-return]


def test_appends_across_runs_and_force_resets_on_new_run(tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    post(out, "run-1")
    doc = post(out, "run-2")
    assert [b["packer_run_uuid"] for b in doc["builds"]] == ["run-1", "run-2"]  # type: ignore[index]
    doc = post(out, "run-2", force=True)
    assert len(doc["builds"]) == 3  # type: ignore[arg-type]  # same run: kept
    doc = post(out, "run-3", force=True)
    assert [b["packer_run_uuid"] for b in doc["builds"]] == ["run-3"]  # type: ignore[index]
    assert doc["last_run_uuid"] == "run-3"
    assert not out.read_text().endswith("\n")
    assert not (tmp_path / "m.json.lock").exists()
    assert oct(os.stat(out).st_mode & 0o777) == oct(0o664 & ~_umask())


def test_strip_time_and_custom_data(tmp_path: Path) -> None:
    doc = post(tmp_path / "m.json", "r", strip_time=True, custom_data={"z": "{{.ID}}", "a": "<&>"})
    build = doc["builds"][0]  # type: ignore[index]
    assert "build_time" not in build
    assert build["custom_data"] == {"a": "<&>", "z": "Null"}
    assert '"a": "\\u003c\\u0026\\u003e"' in (tmp_path / "m.json").read_text()


def test_go_json_layout() -> None:
    assert go_json({"a": [], "b": None}) == '{\n  "a": [],\n  "b": null\n}'


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
