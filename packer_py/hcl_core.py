"""What ``packer build`` needs of an HCL2 config, shaped like ``Core`` so that one ``BuildRun`` drives both formats.

Packer 1.6.6 builds an HCL2 config through ``hcl2template.PackerConfig``: ``Initialize`` (variables, locals), then
``GetBuilds`` (each build's source decoded and prepared, its provisioners and post-processors decoded and
prepared), and, right before each provisioner runs, ``HCL2Prepare`` again with the build's generated data
(``build.ID``, ``build.Host``...): ``PreparedBuild.provisioner_hooks``, which the runner calls. Components get no
user variables (Go's nil map: ``{{user `x`}}`` fails), as in Packer.

``overrides`` replace prepared builder settings by builder type: local mode aims amazon-ebs builders at its
embedded endpoint and SSH server this way (JSON templates get the same keys in the template instead).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packer_py.core import CoreError

if TYPE_CHECKING:
    from packer_py.api import HclLoadedTemplate
    from packer_py.core import PreparedBuild
    from packer_py.diagnostics import Diagnostic
    from packer_py.interpolate.gotemplate import RenderContext


@dataclass(frozen=True)
class _Where:
    path: str


@dataclass
class HclCore:
    loaded: HclLoadedTemplate
    overrides: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    environ: Mapping[str, str] | None = None
    secrets: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)

    @property
    def template(self) -> _Where:
        return _Where(self.loaded.path)

    def initialize(self) -> None:
        """``Initialize``: an error diagnostic stops the run, printed in HCL's layout."""
        from packer_py.api import hcl_diagnostics
        from packer_py.diagnostics import render_all

        diags = self.loaded.initialize()
        if any(d.is_error for d in diags):
            raise CoreError(render_all(hcl_diagnostics(diags, self.loaded.config.files)))
        self.secrets = self.loaded.secrets()

    def get_builds(
        self, only: Sequence[str] = (), except_: Sequence[str] = (), *, cwd: Path | None = None
    ) -> tuple[list[PreparedBuild], list[Diagnostic]]:
        builds, diags = self.loaded.get_builds(only=only, except_=except_, cwd=cwd)
        for build in builds:
            extra = self.overrides.get(build.components.source.type)
            if extra:
                build.builder_config.update(extra)
        return builds, diags

    def render_context(self, **kw: object) -> RenderContext:
        from packer_py.interpolate.gotemplate import RenderContext

        base: dict[str, object] = {
            "user_variables": None,
            "template_path": os.path.abspath(self.loaded.path),
            "environ": self.environ,
        }
        base.update(kw)
        return RenderContext(**base)  # type: ignore[arg-type]

    def render(self, text: str, **kw: object) -> str:
        from packer_py.interpolate.gotemplate import render_until_stable

        return render_until_stable(text, self.render_context(**kw))
