"""The library surface: what the CLI does, as plain Python calls.

>>> import packer_py
>>> tpl = packer_py.load_template("templates/httpd.json", vars={"aws_access_key": "AKIA..."})
>>> result = tpl.validate()
>>> result.ok, [d.detail for d in result.diagnostics]
(True, [])
>>> [b.name for b in tpl.inspect().builders]
['amazon-ebs']

Every failure is a ``PackerPyError`` whose text is what Packer would print.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packer_py.core import Core, CoreError, PreparedBuild, merge_cli_variables
from packer_py.diagnostics import Diagnostic, has_errors, render_all
from packer_py.errors import PackerPyError, TemplateParseError
from packer_py.template.model import Template
from packer_py.ui import Ui

if TYPE_CHECKING:
    from packer_py.build.runner import BuildOptions, BuildOutcome, BuildRun
    from packer_py.console.gotemplate_console import ConsoleResult
    from packer_py.inspection import Inspection
    from packer_py.interpolate.hcl.syntax import HclDiagnostic
    from packer_py.template.hcl_loader import HclConfig


def config_type(path: str) -> str:
    """Packer's rule: a directory or a ``.pkr.hcl``/``.pkr.json`` file is HCL2, anything else legacy JSON."""
    if os.path.isdir(path) or path.endswith(".pkr.hcl") or path.endswith(".pkr.json"):
        return "hcl2"
    return "json"


_config_type_of = config_type  # ``load_template``'s ``config_type`` argument hides the function there

TINIEST_BUILDER = b'{"builders": [{"communicator": "none", "type": "null"}]}'
"""Packer's ``TiniestBuilder``: the template ``GetConfigFromJSON`` parses when no TEMPLATE was given."""


@dataclass
class ValidationResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    builds: list[PreparedBuild] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def render(self) -> str:
        """The text Packer prints for these diagnostics (empty when there are none)."""
        return render_all(self.diagnostics)


@dataclass
class LoadedTemplate:
    """A parsed template plus the variable values given for it (``-var``, ``-var-file``)."""

    template: Template
    variables: dict[str, str]
    environ: Mapping[str, str] | None = None

    @property
    def path(self) -> str:
        return self.template.path

    def core(self) -> Core:
        return Core(self.template, dict(self.variables), environ=self.environ)

    def validate(
        self, *, syntax_only: bool = False, only: Sequence[str] = (), except_: Sequence[str] = ()
    ) -> ValidationResult:
        """Packer's ``validate``: parse (done), then initialize the core and prepare every selected build."""
        if syntax_only:
            return ValidationResult()
        core = self.core()
        try:
            core.initialize()
        except CoreError as exc:
            return ValidationResult([exc.diagnostic()])
        builds, diags = core.get_builds(only, except_)
        return ValidationResult(diags, builds)

    def inspect(self) -> Inspection:
        from packer_py.inspection import inspect_template

        return inspect_template(self.template)

    def build_run(self, options: BuildOptions | None = None, ui: Ui | None = None) -> BuildRun:
        """A ``packer build`` run, not yet started: call ``run()``; ``cancel()`` stops it (Ctrl-C)."""
        from packer_py.build.runner import BuildOptions, BuildRun
        from packer_py.ui import BasicUi, Masker

        options = options or BuildOptions()
        if ui is None:
            ui = BasicUi(masker=Masker())
        return BuildRun(self, options, ui, environ=self.environ)

    def build(self, options: BuildOptions | None = None, ui: Ui | None = None) -> BuildOutcome:
        """Packer's ``build``: run every selected build and report as Packer does; see ``BuildOutcome``."""
        return self.build_run(options, ui).run()

    def console(self, lines: Iterable[str]) -> ConsoleResult:
        """Packer's JSON ``console`` on piped input: initialization errors are ignored, as Packer ignores them."""
        from packer_py.console.gotemplate_console import run_console

        core = self.core()
        try:
            core.initialize()
        except CoreError:
            pass
        return run_console((line.rstrip("\n") for line in lines), core.render_context(), core.secrets)


def load_template(
    path: str | os.PathLike[str],
    *,
    vars: Mapping[str, str] | None = None,
    var_files: Iterable[str] | None = None,
    environ: Mapping[str, str] | None = None,
    config_type: str | None = None,
    strict_1_6_6: bool | None = None,
) -> LoadedTemplate | HclLoadedTemplate:
    """Load a template file and bind the given variable values (not yet rendered: see ``Core``).

    Packer's ``GetConfig``: ``config_type="hcl2"`` (``-config-type=hcl2``) selects the HCL2 loader whatever the path;
    otherwise the path decides (``config_type()``). ``strict_1_6_6`` is ``load_hcl_template``'s."""
    path = os.fspath(path)
    kind = "hcl2" if config_type == "hcl2" else _config_type_of(path)
    if kind == "hcl2":
        return load_hcl_template(path, vars=vars, var_files=var_files, environ=environ, strict_1_6_6=strict_1_6_6)
    from packer_py.template.json_loader import load_json_template

    try:
        template = load_json_template(path)
    except TemplateParseError as exc:
        raise TemplateParseError(f"Failed to parse template: {exc}", where=exc.where, locations=exc.locations) from None
    variables = merge_cli_variables(vars, list(var_files or []))
    return LoadedTemplate(template, variables, environ)


def placeholder_template(vars: Mapping[str, str] | None = None) -> LoadedTemplate:
    """What ``console`` and ``inspect`` load when given no TEMPLATE: Packer's ``TiniestBuilder`` (one ``null`` builder,
    no communicator), so the core still initializes and ``{{ user `x` }}`` sees the ``-var`` values."""
    from packer_py.template.json_loader import parse_json_template

    return LoadedTemplate(parse_json_template(TINIEST_BUILDER, ""), dict(vars or {}))


def template_dir(path: str) -> Path:
    return Path(os.path.abspath(path)).parent


class HclDiagnosticsError(PackerPyError):
    """HCL2 diagnostics with at least one error; the message is the text Packer prints for them."""


@dataclass
class HclInspection:
    text: str
    secrets: list[str]

    def render(self, ui: Ui) -> None:
        ui.say(self.text[:-1] if self.text.endswith("\n") else self.text)


@dataclass
class HclLoadedTemplate:
    """An HCL2 config after Packer's ``Parse`` (``config``), with the text of any warnings it produced."""

    config: HclConfig
    warnings: str = ""
    overrides: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    """Prepared builder settings replaced by builder type (local mode aims amazon-ebs builders at its embedded
    endpoint and SSH server this way: an HCL2 body is expressions, not settings to edit)."""

    @property
    def path(self) -> str:
        return self.config.path

    def secrets(self) -> list[str]:
        return self.config.sensitive_strings()

    def initialize(self) -> list[HclDiagnostic]:
        return self.config.initialize()

    def validate(
        self, *, syntax_only: bool = False, only: Sequence[str] = (), except_: Sequence[str] = ()
    ) -> ValidationResult:
        """Packer's HCL2 ``validate``: ``Initialize``, then (when it reported no error) ``GetBuilds``: every selected
        build's components decoded and prepared. ``syntax_only``: nothing more to check (parsing is done).

        ``validate`` prints these diagnostics without the files (``writeDiags(ui, nil, diags)``), so each one shows
        ``(source code not available)`` under its ``on FILE line N:`` instead of source lines."""
        if syntax_only:
            return ValidationResult()
        diags = self.config.initialize()
        if any(d.is_error for d in diags):
            return ValidationResult(hcl_diagnostics(diags))
        builds, more = self.get_builds(only=only, except_=except_)
        return ValidationResult(hcl_diagnostics(diags) + more, builds)

    def get_builds(
        self,
        *,
        only: Sequence[str] = (),
        except_: Sequence[str] = (),
        debug: bool = False,
        force: bool = False,
        on_error: str = "",
        cwd: Path | None = None,
    ) -> tuple[list[PreparedBuild], list[Diagnostic]]:
        """``GetBuilds`` (``Initialize`` must have succeeded): the prepared builds, named ``TYPE.NAME`` or
        ``BUILD.TYPE.NAME``, and Packer's diagnostics (see ``packer_py.template.hcl_builds``)."""
        from packer_py.template.hcl_builds import GetBuildsOptions, get_builds

        self.config.initialize()
        opts = GetBuildsOptions(
            only=only,
            except_=except_,
            debug=debug,
            force=force,
            on_error=on_error,
            cwd=cwd,
            environ=self.config.environ,
        )
        builds, diags = get_builds(self.config, opts)
        for build in builds:
            extra = self.overrides.get(build.components.source.type)
            if extra:
                build.builder_config.update(extra)
        return builds, hcl_diagnostics(diags)

    def template(self) -> Template:
        self.config.initialize()
        return self.config.template()  # type: ignore[return-value]

    @property
    def environ(self) -> Mapping[str, str] | None:
        return self.config.environ

    def build_run(self, options: BuildOptions | None = None, ui: Ui | None = None) -> BuildRun:
        """A ``packer build`` run of this configuration's builds, not yet started (see ``LoadedTemplate``)."""
        from packer_py.build.runner import BuildOptions, BuildRun
        from packer_py.ui import BasicUi, Masker

        options = options or BuildOptions()
        if ui is None:
            ui = BasicUi(masker=Masker(self.secrets()))
        return BuildRun(self, options, ui, environ=self.environ)

    def build(self, options: BuildOptions | None = None, ui: Ui | None = None) -> BuildOutcome:
        """Packer's ``build`` for an HCL2 configuration; see ``BuildOutcome``."""
        return self.build_run(options, ui).run()

    def inspect(self) -> HclInspection:
        from packer_py.template.hcl_model import inspect_text

        self.config.initialize()
        return HclInspection(inspect_text(self.config), self.secrets())


def hcl_diagnostics(diags: Sequence[HclDiagnostic], files: Mapping[str, str] | None = None) -> list[Diagnostic]:
    """HCL diagnostics as ``Diagnostic``s that render as HCL's writer does with ``files`` (None: no sources)."""
    from packer_py.errors import Pos
    from packer_py.interpolate.hcl.diagtext import location_text

    out = []
    for d in diags:
        subject = Pos(d.subject.filename, d.subject.start.line, d.subject.start.column) if d.subject else None
        out.append(Diagnostic(d.severity, d.summary, d.detail, subject, location_text(d, files) or None))
    return out


def load_hcl_template(
    path: str,
    *,
    vars: Mapping[str, str] | None = None,
    var_files: Iterable[str] | None = None,
    environ: Mapping[str, str] | None = None,
    strict_1_6_6: bool | None = None,
) -> HclLoadedTemplate:
    """Packer's HCL2 ``Parse``: raises ``HclDiagnosticsError`` (Packer's text) when it reports an error.

    ``strict_1_6_6`` (default: on, unless ``PACKER_PY_HCL=newest``) reproduces Packer 1.6.6's rejection of newer
    blocks (``required_plugins``, ``data``, ...); off, packer-py accepts them as the newest Packer does.
    """
    from packer_py.interpolate.hcl.diagtext import render
    from packer_py.template.hcl_loader import parse_hcl

    if strict_1_6_6 is None:
        strict_1_6_6 = (environ if environ is not None else os.environ).get("PACKER_PY_HCL", "") != "newest"
    files: dict[str, str] = {}
    cfg, diags = parse_hcl(path, list(var_files or []), vars, environ, strict_1_6_6=strict_1_6_6, files=files)
    text = render(diags, files)
    if any(d.is_error for d in diags) or cfg is None:
        raise HclDiagnosticsError(text)
    return HclLoadedTemplate(cfg, text)


def variables_only_hcl_template(
    *, vars: Mapping[str, str] | None = None, var_files: Iterable[str] | None = None
) -> HclLoadedTemplate:
    """The HCL2 ``console`` with no TEMPLATE: a configuration of no files, holding only the ``-var`` / ``-var-file``
    values. Its diagnostics are not reported (the console reports what the expressions typed into it find)."""
    from packer_py.template.hcl_loader import parse_hcl

    cfg, _ = parse_hcl("", list(var_files or []), vars)
    assert cfg is not None  # None only when a template file fails to parse, and there is none
    return HclLoadedTemplate(cfg)
