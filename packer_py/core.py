"""A template bound to its variable values: Packer's ``Core`` for JSON templates.

What Packer does between parsing a JSON template and running (or validating) its builds, in Packer's order:

1. ``validate``: the template's own checks (at least one builder; provisioner and post-processor
   ``only``/``except``/``override`` name existing builders), ``min_packer_version``, then required variables.
2. ``init``: user variables are rendered (defaults may use ``env`` and other user variables, resolved in up to 100
   passes over the sorted names; ``{{ .Foo }}`` actions are kept verbatim), and the values of sensitive variables
   become secrets to mask.
3. build names are rendered with the user variables.
4. ``get_builds``: for each selected build, its components are instantiated (unknown types fail here) and prepared.

Each stage's failure keeps Packer's wording so that ``validate`` prints what Packer prints.
"""

from __future__ import annotations

import fnmatch
import os
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packer_py import PACKER_VERSION, gofmt
from packer_py.components import Kind, is_supported, unknown_message
from packer_py.diagnostics import Diagnostic
from packer_py.errors import InterpolationError, PackerPyError, VariableError
from packer_py.findings import Finding
from packer_py.template.model import PostProcessor, Provisioner, Source, Template

E_REQUIRED_VARIABLE = "E001"
"""Finding code of a required variable (JSON ``null`` default) that was given no value."""


class CoreError(PackerPyError):
    """A failure of ``Core.initialize``; printed by Packer as a diagnostic with an empty summary."""

    def diagnostic(self) -> Diagnostic:
        return Diagnostic("error", "", self.message, locations=self.locations)


def read_var_files(paths: Sequence[str]) -> dict[str, str]:
    """JSON ``-var-file``s: objects of string values; later files override earlier ones."""
    from packer_py.template.jsonread import JSONSyntaxError, read_json
    from packer_py.template.positions import PositionMap

    out: dict[str, str] = {}
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise VariableError(f"open {path}: no such file or directory") from None
        except OSError as exc:
            raise VariableError(f"open {path}: {exc.strerror}") from None
        try:
            raw = read_json(data, PositionMap(path), reject_duplicates=False)
        except JSONSyntaxError as exc:
            # a streaming json.Decoder words the end of input differently from json.Unmarshal
            msg = exc.msg
            if msg == "unexpected end of JSON input":
                msg = "EOF" if not data.strip() else "unexpected EOF"
            raise VariableError(f"Error reading variables in '{path}': {msg}") from None
        if not isinstance(raw, dict):
            raise VariableError(
                f"Error reading variables in '{path}': json: cannot unmarshal {_go_json_kind(raw)} "
                "into Go value of type kvflag.FlagJSON"
            )
        for k, v in raw.items():
            if v is None:
                out[k] = ""  # Go stores the zero value: the variable counts as set
                continue
            if not isinstance(v, str):
                raise VariableError(
                    f"Error reading variables in '{path}': json: cannot unmarshal {_go_json_kind(v)} "
                    "into Go value of type string"
                )
            out[k] = v
    return out


def _go_json_kind(v: object) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def merge_cli_variables(vars: Mapping[str, str] | None, var_files: Sequence[str] | None) -> dict[str, str]:
    """Packer's ``Meta.Core``: values from var-files, then ``-var`` values win over them."""
    out = read_var_files(list(var_files or []))
    out.update(vars or {})
    return out


_DOT_ACTION = re.compile(r"{{(\s|)\.(.*?)(\s|)}}")
_USER_ACTION = re.compile(r"{{\s*user\s*`.*`\s*}}")
_NOT_SET = "Error: variable not set:"


@dataclass
class Core:
    template: Template
    variables: dict[str, str] = field(default_factory=dict)
    """Values given on the command line and in var-files (not yet rendered)."""
    environ: Mapping[str, str] | None = None
    secrets: list[str] = field(default_factory=list)
    builds: dict[str, Source] = field(default_factory=dict)
    _initialized: bool = False

    # -- contexts ----------------------------------------------------------------------------------------------
    def render_context(self, **kw: object):  # type: ignore[no-untyped-def]
        """The interpolation context Packer's ``Core.Context()`` gives: template path and user variables."""
        from packer_py.interpolate.gotemplate import RenderContext

        base: dict[str, object] = {
            "user_variables": dict(self.variables),
            "template_path": _abs(self.template.path),
            "environ": self.environ,
        }
        base.update(kw)
        return RenderContext(**base)  # type: ignore[arg-type]

    def render(self, text: str, **kw: object) -> str:
        """Packer's ``interpolate.Render``: rendered again until the text stops changing."""
        from packer_py.interpolate.gotemplate import render_until_stable

        return render_until_stable(text, self.render_context(**kw))

    # -- Packer's Core.Initialize ------------------------------------------------------------------------------
    def initialize(self) -> None:
        self._validate()
        self._render_variables()
        self.secrets = [
            self.variables.get(name, "")
            for name in self.template.sensitive_variables
            if name in self.template.variables
        ]
        self.builds = {}
        for source in self.template.sources.values():
            try:
                name = self.render(source.name)
            except InterpolationError as exc:
                raise CoreError(f"Error interpolating builder '{source.name}': {exc}") from None
            self.builds[name] = source
        self._initialized = True

    def _validate(self) -> None:
        tpl = self.template
        errs: list[str] = []
        if not tpl.sources:
            errs.append("at least one builder must be defined")
        names = set(tpl.sources)
        build = tpl.builds[0] if tpl.builds else None
        for i, prov in enumerate(build.provisioners if build else []):
            errs += [f"provisioner {i + 1}: {e}" for e in _only_except_errors(prov, names)]
            for name in prov.override:
                if name not in names:
                    errs.append(f"provisioner {i + 1}: override '{name}' doesn't exist")
        for i, chain in enumerate(build.post_processors if build else []):
            for j, pp in enumerate(chain):
                errs += [f"post-processor {i + 1}.{j + 1}: {e}" for e in _only_except_errors(pp, names)]
        if errs:
            raise CoreError(gofmt.go_multierror(errs))
        if tpl.min_packer_version:
            want = _parse_version(tpl.min_packer_version)
            if want is None:
                raise CoreError(f"min_version is invalid: Malformed version: {tpl.min_packer_version}")
            if _parse_version(PACKER_VERSION) < want:  # type: ignore[operator]
                raise CoreError(
                    f"This template requires Packer version {_format_version(tpl.min_packer_version)} or higher; "
                    f"using {PACKER_VERSION}"
                )
        unset = [v for n, v in tpl.variables.items() if v.required and n not in self.variables]
        if unset:
            missing = [f"required variable not set: {v.name}" for v in unset]
            located = tuple(
                Finding(v.pos.file, v.pos.line, v.pos.col, E_REQUIRED_VARIABLE, message)
                for v, message in zip(unset, missing, strict=True)
                if v.pos.file
            )
            raise CoreError(gofmt.go_multierror(missing), locations=located)

    def _render_variables(self) -> None:
        """Packer's ``renderVarsRecursively``: defaults and given values, rendered in up to 100 passes.

        Quirks kept: keys are visited in sorted order (a key given both as default and on the command line is visited
        twice, with the given value); ``{{ .Foo }}`` actions survive verbatim; a reference to a variable that is not
        (yet) set makes the pass retry, and a final failure names the last variable that could not be rendered.
        """
        from packer_py.interpolate.gotemplate import render_until_stable as render

        repeat: dict[str, str] = {}
        keys: list[str] = []
        for name, var in self.template.variables.items():
            repeat[name] = var.default if isinstance(var.default, str) else ""
            keys.append(name)
        for name, value in self.variables.items():
            repeat[name] = value
            keys.append(name)
        pending = [(k, repeat[k]) for k in sorted(keys)]
        rendered: dict[str, str] = {}
        failed = ""
        changed = False
        retry = True
        for _ in range(100):
            retry = False
            changed = False
            done_keys: list[str] = []
            for key, value in pending:
                ctx = self.render_context(user_variables=dict(rendered), enable_env=True, in_variables=True)
                try:
                    out = _render_keeping_dot_actions(value, ctx, render)
                except InterpolationError as exc:
                    text = str(exc)
                    if _NOT_SET in text and "executing" in text:
                        retry = True
                        failed = f'"{key}": "{value}"; error: {text}'
                        continue
                    if "executing" in text:
                        raise CoreError(text) from None
                    raise CoreError(f"error interpolating default value for '{key}': {text}") from None
                changed = True
                rendered[key] = out
                if _USER_ACTION.search(value):
                    retry = True
                else:
                    done_keys.append(key)
            if not retry:
                break
            for key in done_keys:
                for idx, (k, _v) in enumerate(pending):
                    if k == key:
                        del pending[idx]
                        break
        if not changed and retry:
            raise CoreError(
                f"Failed to interpolate {failed}: Please make sure that the variable you're referencing has been "
                "defined; Packer treats all variables used to interpolate other user variables as required."
            )
        self.variables = rendered

    # -- builds ------------------------------------------------------------------------------------------------
    def build_names(self, only: Sequence[str] = (), except_: Sequence[str] = ()) -> list[str]:
        """JSON templates select builds by exact name (no globs), sorted."""
        names = []
        for name in self.builds:
            if only and name not in only:
                continue
            if name in except_:
                continue
            names.append(name)
        return sorted(names)

    def components_of(self, name: str, except_: Sequence[str] = ()) -> BuildComponents:
        """Packer's ``Core.Build``: the provisioners and post-processors that apply to build ``name``.

        Raises ``CoreError`` with Packer's ``error initializing ...`` text for an unknown or unsupported type.
        """
        source = self.builds[name]
        raw_name = source.name
        if not is_supported("builder", source.type):
            raise CoreError(f"error initializing builder '{source.type}': {unknown_message('builder', source.type)}")
        build = self.template.builds[0]
        provisioners = []
        for prov in build.provisioners:
            if not prov.applies_to(raw_name):
                continue
            self._check_provisioner(prov)
            provisioners.append(prov)
        cleanup = build.error_cleanup_provisioner
        if cleanup is not None:
            self._check_provisioner(cleanup)
        chains: list[list[PostProcessor]] = []
        for chain in build.post_processors:
            current: list[PostProcessor] = []
            for pp in chain:
                if not pp.applies_to(raw_name):
                    continue
                if any(e and e == pp.name for e in except_):
                    break  # Packer's quirk: -except=<pp name> drops the rest of the chain
                if not is_supported("post-processor", pp.type):
                    raise CoreError(
                        f"error initializing post-processor '{pp.type}': {unknown_message('post-processor', pp.type)}"
                    )
                current.append(pp)
            if current:
                chains.append(current)
        return BuildComponents(name, source, provisioners, cleanup, chains)

    def _check_provisioner(self, prov: Provisioner) -> None:
        kind: Kind = "provisioner"
        if not is_supported(kind, prov.type):
            raise CoreError(f"error initializing provisioner '{prov.type}': {unknown_message(kind, prov.type)}")
        if prov.max_retries:
            try:
                rendered = self.render(prov.max_retries)
            except InterpolationError as exc:
                raise CoreError(f"failed to interpolate `max_retries`: {exc}") from None
            try:
                int(rendered)
            except ValueError:
                raise CoreError(
                    f"`max_retries` must be a valid integer: strconv.Atoi: parsing {gofmt.quote(rendered)}: "
                    "invalid syntax"
                ) from None

    def get_builds(
        self, only: Sequence[str] = (), except_: Sequence[str] = (), *, cwd: Path | None = None
    ) -> tuple[list[PreparedBuild], list[Diagnostic]]:
        """Instantiate and prepare every selected build, collecting Packer's diagnostics."""
        from packer_py.build_prepare import prepare

        builds: list[PreparedBuild] = []
        diags: list[Diagnostic] = []
        for name in self.build_names(only, except_):
            try:
                comps = self.components_of(name, except_)
            except CoreError as exc:
                diags.append(Diagnostic("error", f"Failed to initialize build {gofmt.quote(name)}", str(exc)))
                continue
            prepared, build_diags = prepare(self, comps, cwd=cwd or Path.cwd())
            diags += build_diags
            if prepared is not None:
                builds.append(prepared)
        return builds, diags


@dataclass
class BuildComponents:
    name: str
    """The build's name as Packer prints it: the JSON builder name; HCL2 ``TYPE.NAME`` or ``BUILD.TYPE.NAME``."""
    source: Source
    provisioners: list[Provisioner]
    cleanup_provisioner: Provisioner | None
    post_processors: list[list[PostProcessor]]
    builder_name: str = ""
    """``PACKER_BUILD_NAME`` and ``{{build_name}}`` (empty: ``name``): HCL2 uses the source block's own name, even
    when the build renames the source."""

    @property
    def packer_build_name(self) -> str:
        return self.builder_name or self.name


Reprepare = Callable[[Mapping[str, object]], dict[str, object]]
"""HCL2: prepare a provisioner or post-processor again with the build's generated data (``build.ID``...), as
Packer's ``HCL2Provisioner.HCL2Prepare(buildVars)`` does right before it runs; raises ``PackerPyError``."""


@dataclass
class PreparedBuild:
    """A build whose components passed their ``Prepare``: decoded configs with defaults filled in."""

    components: BuildComponents
    builder_config: dict[str, object]
    provisioner_configs: list[dict[str, object]]
    cleanup_config: dict[str, object] | None
    post_processor_configs: list[list[dict[str, object]]]
    warnings: list[str] = field(default_factory=list)
    provisioner_hooks: list[Reprepare] = field(default_factory=list)
    """HCL2 only (one per provisioner): the provisioner's config from its block decoded again with real build data.
    JSON templates render ``{{ build `ID` }}`` from ``provisioner_configs`` instead, so this stays empty."""
    post_processor_hooks: list[list[Reprepare]] = field(default_factory=list)
    """HCL2 only: the same for post-processors, given the artifact's generated data."""
    cleanup_hook: Reprepare | None = None
    """HCL2 only: the same for the error-cleanup provisioner."""

    @property
    def name(self) -> str:
        return self.components.name


def _only_except_errors(item: Provisioner | PostProcessor, names: set[str]) -> list[str]:
    if item.only and item.except_:
        return ["only one of 'only' or 'except' may be specified"]
    errs = [f"'only' specified builder '{n}' not found" for n in item.only if n not in names]
    errs += [f"'except' specified builder '{n}' not found" for n in item.except_ if n not in names]
    return errs


def _render_keeping_dot_actions(value: str, ctx, render) -> str:  # type: ignore[no-untyped-def]
    """Packer's ``RenderRegex``: ``{{ .Foo }}`` actions are set aside, the rest rendered, then put back."""
    excluded: dict[str, str] = {}
    for m in _DOT_ACTION.finditer(value):
        token = uuid.uuid4().hex
        value = value.replace(m.group(0), token)
        excluded[token] = m.group(0)
    out: str = render(value, ctx)
    for token, original in excluded.items():
        out = out.replace(token, original)
    return out


_VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def _parse_version(text: str) -> tuple[int, int, int, int] | None:
    m = _VERSION.match(text.strip())
    if not m:
        return None
    major, minor, patch = (int(g) if g else 0 for g in m.groups()[:3])
    # a pre-release sorts before its release
    return major, minor, patch, 0 if m.group(4) else 1


def _format_version(text: str) -> str:
    """hashicorp/go-version's String(): always three components."""
    m = _VERSION.match(text.strip())
    if not m:
        return text
    major, minor, patch = (g or "0" for g in m.groups()[:3])
    out = f"{int(major)}.{int(minor)}.{int(patch)}"
    if m.group(4):
        out += f"-{m.group(4)}"
    return out


def _abs(path: str) -> str:
    return os.path.abspath(path)


def glob_match(patterns: Sequence[str], name: str) -> bool:
    """HCL2 ``-only``/``-except`` matching (globs); JSON uses exact names."""
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)
