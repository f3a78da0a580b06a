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

from packer_py.core import Core, CoreError, PreparedBuild, merge_cli_variables
from packer_py.diagnostics import Diagnostic, has_errors, render_all
from packer_py.errors import TemplateParseError, UnsupportedError
from packer_py.inspection import Inspection, inspect_template
from packer_py.template.model import Template


def config_type(path: str) -> str:
    """Packer's rule: a directory or a ``.pkr.hcl``/``.pkr.json`` file is HCL2, anything else legacy JSON."""
    if os.path.isdir(path) or path.endswith(".pkr.hcl") or path.endswith(".pkr.json"):
        return "hcl2"
    return "json"


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
            return ValidationResult([Diagnostic("error", "", str(exc))])
        builds, diags = core.get_builds(only, except_)
        return ValidationResult(diags, builds)

    def inspect(self) -> Inspection:
        return inspect_template(self.template)


def load_template(
    path: str | os.PathLike[str],
    *,
    vars: Mapping[str, str] | None = None,
    var_files: Iterable[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> LoadedTemplate:
    """Load a template file and bind the given variable values (not yet rendered: see ``Core``)."""
    path = os.fspath(path)
    kind = config_type(path)
    if kind == "hcl2":
        raise UnsupportedError(f"{path}: HCL2 templates are not supported by this version of packer-py yet")
    from packer_py.template.json_loader import load_json_template

    try:
        template = load_json_template(path)
    except TemplateParseError as exc:
        raise TemplateParseError(f"Failed to parse template: {exc}", where=exc.where) from None
    variables = merge_cli_variables(vars, list(var_files or []))
    return LoadedTemplate(template, variables, environ)


def template_dir(path: str) -> Path:
    return Path(os.path.abspath(path)).parent
