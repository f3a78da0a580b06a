"""The ``manifest`` post-processor (Packer 1.6.6 ``post-processor/manifest``).

The file is Go's ``json.MarshalIndent(manifest, "", "  ")`` with no trailing newline, mode 0664:
``{"builds": [{name, builder_type, build_time, files, artifact_id, packer_run_uuid, custom_data}], "last_run_uuid"}``.
``build_time`` is left out when 0 (``strip_time``); ``files`` is ``null`` when the artifact has none, else
``[{"name", "size"}]`` (``strip_path`` keeps the base name); ``custom_data`` is ``null`` unless set, its values
rendered with the artifact's generated data, its keys sorted (Go marshals maps sorted). Go's HTML escaping of
``<``, ``>`` and ``&`` is kept. An existing file is read and the build appended (parallel builds and later runs),
under a ``<output>.lock`` file (three tries, 200 ms apart, then written anyway, as Packer does); with ``-force`` a
file from another run (different ``last_run_uuid``) starts over. The returned artifact is the input, kept and forced
kept, so the summary lists it twice. ``output`` was rendered at prepare (``{{ build_name }}`` works there).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from packer_py.build.interfaces import Artifact, BuildContext, BuildUi
from packer_py.errors import BuildError, InterpolationError


def go_json(value: object) -> str:
    """``json.MarshalIndent(v, "", "  ")``: Go's escaping of ``<``, ``>``, ``&``, U+2028 and U+2029 included."""
    text = json.dumps(value, indent=2, ensure_ascii=False, separators=(",", ": "))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _entry(raw: Mapping[str, Any]) -> dict[str, object]:
    """One build as Go's ``Artifact`` struct (re)marshals it: known fields only, in struct order."""
    out: dict[str, object] = {"name": str(raw.get("name") or ""), "builder_type": str(raw.get("builder_type") or "")}
    build_time = int(raw.get("build_time") or 0)
    if build_time:
        out["build_time"] = build_time
    files = raw.get("files")
    out["files"] = (
        [{"name": str(f.get("name") or ""), "size": int(f.get("size") or 0)} for f in files] if files else None
    )
    out["artifact_id"] = str(raw.get("artifact_id") or "")
    out["packer_run_uuid"] = str(raw.get("packer_run_uuid") or "")
    custom = raw.get("custom_data")
    out["custom_data"] = {str(k): str(custom[k]) for k in sorted(custom)} if custom else None
    return out


class ManifestPostProcessor:
    def __init__(self, config: dict[str, Any], render_ctx: Any) -> None:
        self.config = config
        self.render_ctx = render_ctx

    def post_process(self, ui: BuildUi, artifact: Artifact, ctx: BuildContext) -> tuple[Artifact, bool, bool]:
        from packer_py.interpolate.gotemplate import render

        cfg = self.config
        state = artifact.state("generated_data")
        data = dict(state) if isinstance(state, dict) else {}
        rctx = replace(self.render_ctx, data=data, build_data=None)
        custom: dict[str, str] | None = None
        if cfg.get("custom_data") is not None:
            custom = {}
            for key, value in dict(cfg["custom_data"]).items():
                try:
                    custom[str(key)] = render(str(value), rctx)
                except InterpolationError as exc:
                    raise BuildError(f"Error interpolating custom data: {exc}") from None
        files = []
        for name in artifact.files():
            try:
                size = os.stat(name).st_size
            except OSError:
                size = 0
            files.append({"name": os.path.basename(name) if cfg.get("strip_path") else name, "size": size})
        run_uuid = ctx.environ.get("PACKER_RUN_UUID", "")
        entry = _entry(
            {
                "name": cfg.get("packer_build_name") or ctx.name,
                "builder_type": cfg.get("packer_builder_type") or ctx.builder_type,
                "build_time": 0 if cfg.get("strip_time") else int(time.time()),
                "files": files,
                "artifact_id": artifact.id(),
                "packer_run_uuid": run_uuid,
                "custom_data": custom,
            }
        )
        output = str(cfg.get("output") or "packer-manifest.json")
        lock = output + ".lock"
        for attempt in range(3):
            time.sleep(attempt * 0.2)
            try:
                os.close(os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
                break
            except OSError:
                continue
        try:
            try:
                with open(output, "rb") as f:
                    contents = f.read()
            except FileNotFoundError:
                contents = b""
            except OSError as exc:
                raise BuildError(f"Unable to open {output} for reading: {exc.strerror}") from None
            builds: list[dict[str, object]] = []
            last = ""
            if contents:
                try:
                    doc = json.loads(contents)
                except ValueError as exc:
                    raise BuildError(f"Unable to parse content from {output}: {exc}") from None
                builds = [_entry(b) for b in (doc.get("builds") or [])]
                last = str(doc.get("last_run_uuid") or "")
            if ctx.options.force and run_uuid != last:
                builds = []
            builds.append(entry)
            text = go_json({"builds": builds, "last_run_uuid": run_uuid})
            try:
                fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o664)
                with os.fdopen(fd, "w") as f:
                    f.write(text)
            except OSError as exc:
                raise BuildError(f"Unable to write {output}: {exc.strerror}") from None
        finally:
            try:
                os.remove(lock)
            except OSError:
                pass
        return artifact, True, True
