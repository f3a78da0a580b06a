"""The ``shell-local`` post-processor: the shell-local runner over the artifact's generated data.

As Packer 1.6.6: the build data is the artifact's ``generated_data`` state (the null builder's is ``{"ID": "Null"}``);
the environment is the same as the provisioner's (``PACKER_BUILD_NAME``, ``PACKER_BUILDER_TYPE``, the user's
``environment_vars``), so the artifact id reaches a script only through ``{{ build `ID` }}``-style rendering. It keeps
its input artifact, and forces the keep over ``keep_input_artifact: false``.
"""

from __future__ import annotations

from typing import Any

from packer_py.build.cancel import as_cancel_event
from packer_py.build.interfaces import Artifact, BuildContext, BuildUi
from packer_py.provisioners.shell_local import run_shell_local


class ShellLocalPostProcessor:
    def __init__(self, config: dict[str, Any], render_ctx: Any) -> None:
        self.config = config
        self.render_ctx = render_ctx

    def post_process(self, ui: BuildUi, artifact: Artifact, ctx: BuildContext) -> tuple[Artifact, bool, bool]:
        state = artifact.state("generated_data")
        data: dict[str, object] = dict(state) if isinstance(state, dict) else {}
        run_shell_local(ui, self.config, self.render_ctx, data, as_cancel_event(ctx.cancel_event), ctx.environ)
        return artifact, True, True
