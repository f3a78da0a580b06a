"""What a ``build`` run needs from a template, whatever its format: Packer's ``packer.Handler`` as the build command
sees it (``Initialize``, then ``GetBuilds``).

* JSON templates (``LoadedTemplate``): ``Core.initialize`` (its error is one diagnostic with an empty summary), then
  ``Core.get_builds``: exact ``-only``/``-except`` names, builds sorted by name. Provisioners render their strings
  with the user variables and ``build_name`` = the builder's name.
* HCL2 templates (``HclLoadedTemplate``): ``Initialize`` diagnostics, then ``GetBuilds`` (``template.hcl_builds``):
  ``TYPE.NAME``/``BUILD.TYPE.NAME`` builds in block order, ``-only``/``-except`` globs. Each provisioner and
  post-processor is decoded again right before it runs, with the build's real data in ``build.*`` (Packer's
  ``HCL2Provisioner.HCL2Prepare``); Go-template strings inside it (``{{ .Path }}`` in ``execute_command``) render
  with no user variables (Packer passes none in HCL2 mode) and ``build_name`` = the source block's name.

Both print their diagnostics as Packer's ``writeDiags(ui, nil, diags)`` does (no source lines).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packer_py import PACKER_VERSION
from packer_py.diagnostics import Diagnostic

if TYPE_CHECKING:
    from packer_py.api import HclLoadedTemplate, LoadedTemplate
    from packer_py.core import PreparedBuild
    from packer_py.interpolate.gotemplate import RenderContext
    from packer_py.template.model import Provisioner


@dataclass
class BuildPlan:
    """The builds of one run and what running them needs from the template."""

    ok: bool
    """False when initialization failed: nothing runs and the command exits 1."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    builds: list[PreparedBuild] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    template_path: str = ""
    user_variables: dict[str, str] = field(default_factory=dict)
    hcl2: bool = False
    render_context: Callable[[PreparedBuild], RenderContext] | None = None
    """The context provisioners and post-processors render their Go-template strings in."""
    max_retries: Callable[[Provisioner], int] = lambda _p: 0


def json_plan(
    template: LoadedTemplate,
    *,
    only: Sequence[str],
    except_: Sequence[str],
    environ: Mapping[str, str],
    cwd: str | None,
) -> BuildPlan:
    from packer_py.core import CoreError
    from packer_py.errors import PackerPyError

    core = template.core()
    if core.environ is None:
        core.environ = environ
    try:
        core.initialize()
    except CoreError as exc:
        return BuildPlan(False, [exc.diagnostic()])
    builds, diags = core.get_builds(only, except_, cwd=None if cwd is None else Path(cwd))

    def render_context(build: PreparedBuild) -> RenderContext:
        ctx: RenderContext = core.render_context(
            build_name=build.name, build_type=build.components.source.type, packer_version=PACKER_VERSION
        )
        return ctx if cwd is None else replace(ctx, cwd=cwd)

    def max_retries(raw: Provisioner) -> int:
        if not raw.max_retries:
            return 0
        try:
            return int(core.render(raw.max_retries))
        except (PackerPyError, ValueError):
            return 0

    return BuildPlan(
        True,
        diags,
        builds,
        list(core.secrets),
        core.template.path,
        dict(core.variables),
        render_context=render_context,
        max_retries=max_retries,
    )


def hcl_plan(
    template: HclLoadedTemplate,
    *,
    only: Sequence[str],
    except_: Sequence[str],
    debug: bool,
    force: bool,
    on_error: str,
    environ: Mapping[str, str],
    cwd: str | None,
) -> BuildPlan:
    from packer_py.api import hcl_diagnostics
    from packer_py.interpolate.gotemplate import RenderContext

    init = template.initialize()
    if any(d.is_error for d in init):
        return BuildPlan(False, hcl_diagnostics(init))
    builds, diags = template.get_builds(
        only=only,
        except_=except_,
        debug=debug,
        force=force,
        on_error=on_error,
        cwd=None if cwd is None else Path(cwd),
    )

    def render_context(build: PreparedBuild) -> RenderContext:
        comps = build.components
        return RenderContext(
            user_variables=None,
            build_name=comps.packer_build_name,
            build_type=comps.source.type,
            packer_version=PACKER_VERSION,
            environ=environ,
            cwd=cwd,
        )

    def max_retries(raw: Provisioner) -> int:
        try:
            return int(raw.max_retries or 0)
        except ValueError:
            return 0

    return BuildPlan(
        True,
        hcl_diagnostics(init) + diags,
        builds,
        template.secrets(),
        template.path,
        hcl2=True,
        render_context=render_context,
        max_retries=max_retries,
    )


def plan_for(template: Any, options: Any, environ: Mapping[str, str], cwd: str | None) -> BuildPlan:
    """The plan of ``template`` (a ``LoadedTemplate`` or an ``HclLoadedTemplate``) under the command's options."""
    from packer_py.api import HclLoadedTemplate

    if isinstance(template, HclLoadedTemplate):
        return hcl_plan(
            template,
            only=options.only,
            except_=options.except_,
            debug=options.debug,
            force=options.force,
            on_error=options.on_error,
            environ=environ,
            cwd=cwd,
        )
    return json_plan(template, only=options.only, except_=options.except_, environ=environ, cwd=cwd)
