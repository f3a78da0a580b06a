"""The ``file`` provisioner (Packer 1.6.6 ``provisioner/file``): upload or download files and directories.

Upload, per source: ``Uploading SRC => DST``; a directory goes through ``put_dir`` (a source ending in ``/`` sends
its contents into DST, otherwise DST/<dirname> is made); a file goes to DST, or to DST/<basename> when DST ends in
``/``. Download, per source: ``Downloading SRC => DST``; local parent directories are created (0755); a source that
ends in ``/`` or contains ``*?[`` is a directory download, which ends the provisioner (Packer returns there),
and arrives as ``DST/<dirname>`` (Packer's ``scp -rf``). Quirk kept: a DST ending in ``/`` is joined with the
source's basename and that joined path is used for the following sources too.
``content`` (newer Packer) uploads its text as the file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from packer_py.build.cancel import CancelEvent
from packer_py.build.interfaces import BuildUi, Communicator
from packer_py.errors import BuildError, InterpolationError, PackerPyError


class FileProvisioner:
    def __init__(self, config: dict[str, Any], render_ctx: Any, environ: Mapping[str, str]) -> None:
        self.config = config
        self.render_ctx = render_ctx

    def _render(self, text: str, data: Mapping[str, object], what: str) -> str:
        from packer_py.interpolate.gotemplate import render

        try:
            return render(text, replace(self.render_ctx, data=dict(data), build_data=None))
        except InterpolationError as exc:
            raise BuildError(f"Error interpolating {what}: {exc}") from None

    def _sources(self) -> list[str]:
        cfg = self.config
        sources = list(cfg.get("sources") or [])
        if not sources and cfg.get("source"):
            sources = [str(cfg["source"])]
        return sources

    def provision(self, ui: BuildUi, comm: Communicator | None, data: dict[str, object], cancel: CancelEvent) -> None:
        assert comm is not None
        with cancel.interrupting(comm.close):
            try:
                if self.config.get("direction") == "download":
                    self._download(ui, comm, data)
                else:
                    self._upload(ui, comm, data)
            except PackerPyError:
                cancel.check()
                raise
        cancel.check()

    def _upload(self, ui: BuildUi, comm: Communicator, data: Mapping[str, object]) -> None:
        dst = self._render(str(self.config.get("destination") or ""), data, "destination")
        content = self.config.get("content")
        if content and not self._sources():
            ui.say(f"Uploading content => {dst}")
            comm.put(io.BytesIO(str(content).encode()), dst)
            return
        for raw in self._sources():
            src = self._render(raw, data, "source")
            ui.say(f"Uploading {src} => {dst}")
            try:
                is_dir = os.path.isdir(src)
                os.stat(src)
            except OSError as exc:
                raise BuildError(f"stat {src}: {(exc.strerror or '').lower()}") from None
            if is_dir:
                try:
                    comm.put_dir(src, dst, contents_only=src.endswith("/"))  # type: ignore[arg-type]
                except PackerPyError as exc:
                    ui.error(f"Upload failed: {exc}")
                    raise
                continue
            file_dst = dst + os.path.basename(src) if dst.endswith("/") else dst
            try:
                comm.put(src, file_dst)
            except PackerPyError as exc:
                if "Error restoring file" in str(exc):
                    ui.error(
                        f"Upload failed: {exc}; this can occur when your file destination is a folder without a "
                        "trailing slash."
                    )
                ui.error(f"Upload failed: {exc}")
                raise

    def _download(self, ui: BuildUi, comm: Communicator, data: Mapping[str, object]) -> None:
        dst = self._render(str(self.config.get("destination") or ""), data, "destination")
        for raw in self._sources():
            src = self._render(raw, data, "source")
            ui.say(f"Downloading {src} => {dst}")
            folder = dst
            if not dst.endswith("/"):
                folder = os.path.dirname(folder) or "."
            elif not src.endswith("/") and not src.endswith("*"):
                dst = os.path.join(dst, os.path.basename(src))
            if folder:
                try:
                    os.makedirs(folder, mode=0o755, exist_ok=True)
                except OSError as exc:
                    raise BuildError(f"mkdir {folder}: {(exc.strerror or '').lower()}") from None
            if src.endswith("/") or any(c in src for c in "*?["):
                # Packer's DownloadDir is ``scp -rf SRC`` into DST: a directory arrives as DST/<its name>
                target = dst
                if not any(c in src for c in "*?["):
                    target = os.path.join(dst, os.path.basename(src.rstrip("/")))
                comm.get_dir(src, target)  # type: ignore[arg-type]
                return
            try:
                with open(dst, "wb") as f:
                    comm.get(src, f)
            except OSError as exc:
                raise BuildError(f"open {dst}: {(exc.strerror or '').lower()}") from None
            except PackerPyError as exc:
                ui.error(f"Download failed: {exc}")
                raise
