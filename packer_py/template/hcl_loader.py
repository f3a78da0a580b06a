"""HCL2 templates (``*.pkr.hcl`` files or a folder of them), loaded as Packer 1.6.6's ``hcl2template`` does.

``parse_hcl`` is Packer's ``Parser.Parse`` (what ``validate -syntax-only`` runs): read the files, sniff the ``packer``
blocks and check ``required_version``, check every file's top level against the config schema (once while reading
variables and once more while reading locals — which is why 1.6.6 reports each unexpected ``data`` block twice),
decode ``variable``/``variables`` blocks, collect locals, read var-files and collect variable values.

``HclConfig.initialize`` is ``PackerConfig.Initialize`` (what ``inspect``, ``console`` and full ``validate`` run
next): evaluate locals, then decode ``source`` and ``build`` blocks. ``HclConfig.template()`` turns the result into
the format-independent model (sources as plain data; Go-template actions such as ``{{ .SourceAMIName }}`` stay in
the strings for the builder to render).

Packer 1.6.6 versus newer Packer: 1.6.6 rejects ``required_plugins``, ``data`` blocks, ``local`` blocks and
``error-cleanup-provisioner``. ``strict_1_6_6=True`` (the default, so that ``validate -syntax-only`` verdicts equal
1.6.6's) reproduces those rejections; ``strict_1_6_6=False`` follows the newest Packer and accepts them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from packer_py import PACKER_VERSION
from packer_py.components import PACKER_1_6_6
from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl.evaluator import EvalContext, evaluate
from packer_py.interpolate.hcl.syntax import HclDiagnostic, err
from packer_py.interpolate.hcl.types import STRING
from packer_py.interpolate.hcl.values import Value, object_val, string_val, unknown_val
from packer_py.template.hcl_schema import AnyBody, Schema, content, just_attributes, partial_content, remain
from packer_py.template.hcl_variables import (
    HclVariable,
    collect_values,
    decode_variable_block,
    decode_variables_attribute,
)

HCL_EXT, JSON_EXT = ".pkr.hcl", ".pkr.json"
AUTO_HCL_EXT, AUTO_JSON_EXT = ".auto.pkrvars.hcl", ".auto.pkrvars.json"


def config_schema(strict: bool) -> Schema:
    blocks: list[tuple[str, tuple[str, ...]]] = [
        ("packer", ()),
        ("source", ("type", "name")),
        ("variables", ()),
        ("variable", ("name",)),
        ("locals", ()),
        ("build", ()),
        ("communicator", ("type", "name")),
    ]
    if not strict:
        blocks += [("data", ("type", "name")), ("local", ("name",)), ("hcp_packer_registry", ())]
    return Schema(blocks=tuple(blocks))


def packer_block_schema(strict: bool) -> Schema:
    return Schema(attrs=("required_version",), blocks=() if strict else (("required_plugins", ()),))


def build_schema(strict: bool) -> Schema:
    blocks: list[tuple[str, tuple[str, ...]]] = [
        ("from", ("type",)),
        ("source", ("reference",)),
        ("provisioner", ("type",)),
        ("post-processor", ("type",)),
        ("post-processors", ()),
    ]
    if not strict:
        blocks += [("error-cleanup-provisioner", ("type",)), ("hcp_packer_registry", ())]
    return Schema(blocks=tuple(blocks))


@dataclass
class SourceBlock:
    type: str
    name: str
    block: s.Block


@dataclass
class SourceRef:
    type: str
    name: str
    addition: AnyBody | None = None
    local_name: str = ""

    def __str__(self) -> str:
        return f"{self.type}.{self.name}"


@dataclass
class ProvisionerBlock:
    type: str
    name: str
    block: s.Block
    rest: AnyBody
    only: list[str] = field(default_factory=list)
    except_: list[str] = field(default_factory=list)
    override: dict[str, dict[str, object]] = field(default_factory=dict)
    pause_before: str = ""
    max_retries: int = 0
    timeout: str = ""
    keep_input_artifact: bool | None = None


@dataclass
class BuildBlock:
    name: str
    description: str
    sources: list[SourceRef]
    provisioners: list[ProvisionerBlock]
    post_processors: list[list[ProvisionerBlock]]
    error_cleanup: ProvisionerBlock | None
    block: s.Block


@dataclass
class DataBlock:
    type: str
    name: str
    block: s.Block


@dataclass
class HclConfig:
    """Packer's ``PackerConfig``: everything read from the files, plus what ``initialize`` decodes."""

    path: str
    basedir: str
    cwd: str
    files: dict[str, str]
    bodies: list[tuple[str, AnyBody]]
    strict: bool
    environ: Mapping[str, str]
    variables: dict[str, HclVariable] = field(default_factory=dict)
    local_exprs: list[tuple[str, s.Attribute]] = field(default_factory=list)
    locals: dict[str, Value] = field(default_factory=dict)
    sources: dict[tuple[str, str], SourceBlock] = field(default_factory=dict)
    builds: list[BuildBlock] = field(default_factory=list)
    data: list[DataBlock] = field(default_factory=list)
    initialized: bool = False
    clock: Callable[[], datetime] | None = None
    """``timestamp()``'s clock (None: the real one); tests fix it to compare runs."""

    # -- evaluation contexts --------------------------------------------------------------------------------

    def functions(self, allow_env: bool = False) -> Mapping[str, object]:
        from dataclasses import replace

        from packer_py.interpolate.hcl.functions import FunctionContext, functions_for

        fctx = FunctionContext(base_dir=self.basedir, allow_env=allow_env, environ=self.environ)
        if self.clock is not None:
            fctx = replace(fctx, clock=self.clock)
        return functions_for(fctx)

    def variable_values(self) -> tuple[dict[str, Value], list[HclDiagnostic]]:
        out: dict[str, Value] = {}
        diags: list[HclDiagnostic] = []
        funcs = self.functions()
        for name, var in self.variables.items():
            val, more = var.value(funcs)
            out[name] = val
            diags += more
        return out, diags

    def eval_context(self, extra: Mapping[str, Value] | None = None) -> EvalContext:
        """``PackerConfig.EvalContext``: var, local, source (unknown), build (unknown), packer, path."""
        from packer_py.interpolate.hcl.types import EMPTY_OBJECT

        var_vals, _ = self.variable_values()
        variables = {
            "var": object_val(var_vals),
            "local": object_val(self.locals),
            "source": object_val({"type": unknown_val(STRING), "name": unknown_val(STRING)}),
            "build": unknown_val(EMPTY_OBJECT),
            "packer": object_val({"version": string_val(PACKER_VERSION)}),
            "path": object_val(
                {"cwd": string_val(self.cwd.replace("\\", "/")), "root": string_val(self.basedir.replace("\\", "/"))}
            ),
        }
        if extra:
            variables.update(extra)
        return EvalContext(variables, self.functions())

    def sensitive_strings(self) -> list[str]:
        """Strings Packer adds to its secret filter: every known string inside a sensitive variable's value."""
        out: list[str] = []

        def walk(val: Value) -> None:
            if not val.is_known or val.is_null:
                return
            if val.type == STRING:
                out.append(val.as_string())
            elif val.can_iterate_elements():
                for _, item in val.iter_items():
                    walk(item)

        for var in self.variables.values():
            if var.sensitive:
                val, _ = var.value()
                walk(val)
        return out

    # -- Initialize ------------------------------------------------------------------------------------------

    def initialize(self) -> list[HclDiagnostic]:
        """``PackerConfig.Initialize``: variable values, locals, then sources and builds."""
        if self.initialized:
            return []
        self.initialized = True
        _, diags = self.variable_values()
        diags += self._evaluate_locals()
        for _filename, body in self.bodies:
            diags += self._decode_config(body)
        return diags

    def _evaluate_locals(self) -> list[HclDiagnostic]:
        diags: list[HclDiagnostic] = []
        pending = list(self.local_exprs)
        retry = 0
        previous = 0
        while pending:
            name, attr = pending[0]
            val, more = evaluate(attr.expr, self.eval_context())
            if any(d.is_error for d in more):
                if len(pending) == 1:
                    return diags + more
                if previous == len(pending):
                    if retry == 100:
                        return diags + more
                    retry += 1
                previous = len(pending)
                pending.append(pending[0])
            else:
                retry = 0
                diags += more
                self.locals[name] = val
            pending.pop(0)
        return diags

    def _decode_config(self, body: AnyBody) -> list[HclDiagnostic]:
        _, blocks, diags = content(body, config_schema(self.strict))
        for block in blocks:
            if block.type == "source":
                src = SourceBlock(block.labels[0], block.labels[1], block)
                if src.type not in PACKER_1_6_6["builder"] and self.strict:
                    diags.append(
                        err(
                            f"Unknown source type {src.type}",
                            f"known builders: {_go_list(sorted(PACKER_1_6_6['builder']))}",
                            block.label_ranges[0],
                        )
                    )
                    continue
                key = (src.type, src.name)
                if key in self.sources:
                    existing = self.sources[key]
                    diags.append(
                        err(
                            "Duplicate source block",
                            "This source block has the same builder type and name as a previous block declared at "
                            f"{existing.block.def_range}. Each source must have a unique name per builder type.",
                            block.def_range,
                        )
                    )
                    continue
                self.sources[key] = src
            elif block.type == "build":
                build, more = self._decode_build(block)
                diags += more
                if build is not None and not any(d.is_error for d in more):
                    self.builds.append(build)
            elif block.type == "data":
                self.data.append(DataBlock(block.labels[0], block.labels[1], block))
        return diags

    def _decode_build(self, block: s.Block) -> tuple[BuildBlock | None, list[HclDiagnostic]]:
        head = Schema(attrs=("name", "description", "sources"))
        attrs, _, diags = partial_content(block.body, head)
        name = _decode_string(attrs.get("name"), None, diags)
        description = _decode_string(attrs.get("description"), None, diags)
        sources: list[SourceRef] = []
        if "sources" in attrs:
            for text in _decode_string_list(attrs["sources"], None, diags):
                ref = _source_ref(text)
                if ref is None or not s.is_valid_identifier(ref.type) or not s.is_valid_identifier(ref.name):
                    diags.append(
                        err(
                            "Invalid source reference",
                            "A source type is made of three parts that aresplit by a dot `.`; each part must start "
                            "with a letter and may contain only letters, digits, underscores, and dashes.A valid "
                            "source reference looks like: `source.type.name`",
                            block.def_range,
                        )
                    )
                    continue
                sources.append(ref)
        if any(d.is_error for d in diags):
            return None, diags
        rest = remain(block.body, head)
        _, blocks, more = content(rest, build_schema(self.strict))
        diags += more
        if any(d.is_error for d in diags):
            return None, diags
        build = BuildBlock(name, description, sources, [], [], None, block)
        for sub in blocks:
            if sub.type == "source":
                ref, more = self._decode_build_source(sub)
                diags += more
                if ref is not None and not any(d.is_error for d in more):
                    build.sources.append(ref)
            elif sub.type in ("provisioner", "error-cleanup-provisioner"):
                prov, more = self._decode_provisioner(sub)
                diags += more
                if prov is None or any(d.is_error for d in more):
                    continue
                if sub.type == "provisioner":
                    build.provisioners.append(prov)
                else:
                    build.error_cleanup = prov
            elif sub.type == "post-processor":
                pp, more = self._decode_post_processor(sub)
                diags += more
                if pp is not None and not any(d.is_error for d in more):
                    build.post_processors.append([pp])
            elif sub.type == "post-processors":
                _, pblocks, more = content(sub.body, Schema(blocks=(("post-processor", ("type",)),)))
                diags += more
                if any(d.is_error for d in more):
                    continue
                chain: list[ProvisionerBlock] = []
                ok = True
                for pblock in pblocks:
                    pp, more = self._decode_post_processor(pblock)
                    diags += more
                    if pp is None or any(d.is_error for d in more):
                        ok = False
                        break
                    chain.append(pp)
                if ok:
                    build.post_processors.append(chain)
        return build, diags

    def _decode_build_source(self, block: s.Block) -> tuple[SourceRef | None, list[HclDiagnostic]]:
        ref = _source_ref(block.labels[0]) or SourceRef("", "")
        head = Schema(attrs=("name",))
        attrs, _, diags = partial_content(block.body, head)
        ref.local_name = _decode_string(attrs.get("name"), None, diags)
        ref.addition = remain(block.body, head)
        return ref, diags

    def _decode_provisioner(self, block: s.Block) -> tuple[ProvisionerBlock | None, list[HclDiagnostic]]:
        head = Schema(attrs=("name", "pause_before", "max_retries", "timeout", "only", "except", "override"))
        attrs, _, diags = partial_content(block.body, head)
        ctx = self.eval_context()
        prov = ProvisionerBlock(block.labels[0], "", block, remain(block.body, head))
        prov.name = _decode_string(attrs.get("name"), ctx, diags)
        prov.pause_before = _decode_string(attrs.get("pause_before"), ctx, diags)
        prov.timeout = _decode_string(attrs.get("timeout"), ctx, diags)
        prov.only = _decode_string_list(attrs.get("only"), ctx, diags)
        prov.except_ = _decode_string_list(attrs.get("except"), ctx, diags)
        if "max_retries" in attrs:
            from packer_py.interpolate.hcl.pydata import to_python

            val, more = evaluate(attrs["max_retries"].expr, ctx)
            diags += more
            if val.is_known and not val.is_null and not more:
                try:
                    prov.max_retries = int(str(to_python(val)))
                except ValueError:
                    pass
        if "override" in attrs:
            from packer_py.interpolate.hcl.pydata import to_python

            val, more = evaluate(attrs["override"].expr, ctx)
            diags += more
            if val.is_wholly_known() and not val.is_null:
                data = to_python(val)
                if isinstance(data, dict):
                    prov.override = {k: dict(o) for k, o in data.items() if isinstance(o, dict)}
        if prov.only and prov.except_:
            diags.append(HclDiagnostic("error", "only one of 'only' or 'except' may be specified"))
            return None, diags
        if any(d.is_error for d in diags):
            return None, diags
        if self.strict and prov.type not in PACKER_1_6_6["provisioner"]:
            diags.append(
                err(
                    f"Unknown provisioner type {go_quote(prov.type)}",
                    f"known provisioners: {_go_list(sorted(PACKER_1_6_6['provisioner']))}",
                    block.label_ranges[0],
                )
            )
            return None, diags
        return prov, diags

    def _decode_post_processor(self, block: s.Block) -> tuple[ProvisionerBlock | None, list[HclDiagnostic]]:
        head = Schema(attrs=("name", "only", "except", "keep_input_artifact"))
        attrs, _, diags = partial_content(block.body, head)
        pp = ProvisionerBlock(block.labels[0], "", block, remain(block.body, head))
        pp.name = _decode_string(attrs.get("name"), None, diags)
        pp.only = _decode_string_list(attrs.get("only"), None, diags)
        pp.except_ = _decode_string_list(attrs.get("except"), None, diags)
        if "keep_input_artifact" in attrs:
            val, more = evaluate(attrs["keep_input_artifact"].expr, None)
            diags += more
            if not more and val.is_known and not val.is_null and val.type.__repr__() == "bool":
                pp.keep_input_artifact = val.true()
        if pp.only and pp.except_:
            diags.append(HclDiagnostic("error", "only one of 'only' or 'except' may be specified"))
            return None, diags
        if any(d.is_error for d in diags):
            return None, diags
        if self.strict and pp.type not in PACKER_1_6_6["post-processor"]:
            diags.append(
                err(
                    f"Unknown post-processor type {go_quote(pp.type)}",
                    f"known post-processors: {_go_list(sorted(PACKER_1_6_6['post-processor']))}",
                    block.label_ranges[0],
                )
            )
            return None, diags
        return pp, diags

    # -- model -----------------------------------------------------------------------------------------------

    def template(self) -> object:
        """The format-independent ``Template`` (call ``initialize`` first)."""
        from packer_py.template.hcl_model import to_template

        return to_template(self)


def _go_list(items: Sequence[str]) -> str:
    return "[" + " ".join(items) + "]"


def _source_ref(text: str) -> SourceRef | None:
    parts = text.split(".")
    if len(parts) < 2:
        return None
    if len(parts) > 2:
        parts = parts[1:]
    return SourceRef(parts[0], parts[1])


def _decode_string(attr: s.Attribute | None, ctx: EvalContext | None, diags: list[HclDiagnostic]) -> str:
    """``gohcl`` decoding of an optional string attribute."""
    if attr is None:
        return ""
    from packer_py.interpolate.hcl.convert import ConversionError, convert

    val, more = evaluate(attr.expr, ctx)
    diags += more
    if any(d.is_error for d in more):
        return ""
    try:
        val = convert(val, STRING)
    except ConversionError as exc:
        diags.append(err("Unsuitable value type", f"Unsuitable value: {exc}", attr.expr.range))
        return ""
    if val.is_null or not val.is_known:
        return ""
    return val.as_string()


def _decode_string_list(attr: s.Attribute | None, ctx: EvalContext | None, diags: list[HclDiagnostic]) -> list[str]:
    if attr is None:
        return []
    from packer_py.interpolate.hcl.convert import ConversionError, convert
    from packer_py.interpolate.hcl.types import ListType

    val, more = evaluate(attr.expr, ctx)
    diags += more
    if any(d.is_error for d in more):
        return []
    try:
        val = convert(val, ListType(STRING))
    except ConversionError as exc:
        diags.append(err("Unsuitable value type", f"Unsuitable value: {exc}", attr.expr.range))
        return []
    if val.is_null or not val.is_wholly_known():
        return []
    return [e.as_string() for e in val.elements() if not e.is_null]


# ---------------------------------------------------------------------------------------------------------------
# Parse


def _hcl_files(path: str, hcl_ext: str, json_ext: str) -> tuple[list[str], list[str], list[HclDiagnostic]]:
    """``GetHCL2Files``: a file matching a suffix, or the matching files of a folder in name order."""
    if path == "":
        return [], [], []
    if not os.path.exists(path):
        return (
            [],
            [],
            [
                HclDiagnostic(
                    "error", f"Cannot tell wether {path} is a directory", f"stat {path}: no such file or directory"
                )
            ],
        )
    if not os.path.isdir(path):
        if path.endswith(json_ext):
            return [], [path], []
        if path.endswith(hcl_ext):
            return [path], [], []
        return [], [], []
    hcl_files: list[str] = []
    json_files: list[str] = []
    for name in sorted(os.listdir(path)):
        full = os.path.normpath(os.path.join(path, name))  # Go's filepath.Join cleans the path
        if os.path.isdir(full):
            continue
        if full.endswith(hcl_ext):
            hcl_files.append(full)
        elif full.endswith(json_ext):
            json_files.append(full)
    return hcl_files, json_files, []


def _read(filename: str, files: dict[str, str]) -> tuple[AnyBody | None, list[HclDiagnostic]]:
    try:
        with open(filename, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return None, [
            HclDiagnostic(
                "error", "Failed to read file", f"The configuration file {go_quote(filename)} could not be read."
            )
            if exc.errno
            else HclDiagnostic("error", "Failed to read file", str(exc))
        ]
    text = raw.decode("utf-8", errors="replace")
    files[filename] = text
    if filename.endswith(".json"):
        from packer_py.interpolate.hcl.jsonsyntax import parse_json_config

        return parse_json_config(text, filename)
    return s.parse_config(text, filename)


def parse_hcl(
    path: str,
    var_files: Sequence[str] = (),
    vars: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    strict_1_6_6: bool = True,
    files: dict[str, str] | None = None,
) -> tuple[HclConfig | None, list[HclDiagnostic]]:
    """``Parser.Parse``. Returns the config (None when the files do not parse) and every diagnostic."""
    environ = dict(os.environ) if environ is None else dict(environ)
    files = {} if files is None else files
    bodies: list[tuple[str, AnyBody]] = []
    diags: list[HclDiagnostic] = []
    hcl_files, json_files, more = _hcl_files(path, HCL_EXT, JSON_EXT)
    diags += more
    if path and not hcl_files and not json_files:
        diags.append(
            HclDiagnostic(
                "error",
                f"Could not find any config file in {path}",
                "A config file must be suffixed with `.pkr.hcl` or `.pkr.json`. A folder can be referenced.",
            )
        )
    for filename in hcl_files + json_files:
        body, more = _read(filename, files)
        diags += more
        if body is not None:
            bodies.append((filename, body))
    if any(d.is_error for d in diags):
        return None, diags

    basedir = path if os.path.isdir(path) else os.path.dirname(path)
    cfg = HclConfig(path, basedir, os.getcwd(), files, bodies, strict_1_6_6, environ)

    constraints: list[tuple[str, s.Attribute]] = []
    for _, body in bodies:
        _, pblocks, more = partial_content(body, Schema(blocks=(("packer", ()),)))  # sniffCoreVersionRequirements
        diags += more
        for block in pblocks:
            attrs, _, more = content(block.body, packer_block_schema(strict_1_6_6))
            diags += more
            attr = attrs.get("required_version")
            if attr is None:
                continue
            text, more = _version_constraint(attr)
            diags += more
            if text is not None and not more:
                constraints.append((text, attr))
    version_diags = []
    for text, attr in constraints:
        if not version_satisfies(PACKER_VERSION, text):
            version_diags.append(
                err(
                    "Unsupported Packer Core version",
                    f"This configuration does not support Packer version {PACKER_VERSION}. To proceed, either choose "
                    "another supported Packer version or update this version constraint. Version constraints are "
                    "normally set for good reason, so updating the constraint may lead to other errors or unexpected "
                    "behavior.",
                    attr.range,
                )
            )
    diags += version_diags
    if version_diags:
        return cfg, diags

    default_ctx = EvalContext(None, cfg.functions(allow_env=True))
    if strict_1_6_6 and default_ctx.functions is not None:
        default_ctx.functions = {k: f for k, f in default_ctx.functions.items() if k == "env"}
    schema = config_schema(strict_1_6_6)
    for _, body in bodies:
        _, blocks, more = content(body, schema)
        diags += more
        for block in blocks:
            if block.type == "variable":
                diags += decode_variable_block(cfg.variables, block, default_ctx)
            elif block.type == "variables":
                attrs, more = just_attributes(block.body)
                diags += more
                for attr in attrs.values():
                    diags += decode_variables_attribute(cfg.variables, attr, default_ctx)
    for _, body in bodies:
        _, blocks, more = content(body, schema)
        diags += more
        seen: set[str] = {n for n, _ in cfg.local_exprs}
        stop = False
        for block in blocks:
            if block.type == "locals":
                attrs, more = just_attributes(block.body)
                diags += more
                for name, attr in attrs.items():
                    if name in seen:
                        diags.append(
                            err(
                                "Duplicate value in locals",
                                f"Duplicate {name} definition found.",
                                attr.name_range,
                                block.def_range,
                            )
                        )
                        stop = True
                        break
                    seen.add(name)
                    cfg.local_exprs.append((name, attr))
            elif block.type == "local":
                attrs, _, more = content(block.body, Schema(attrs=("expression", "sensitive")))
                diags += more
                if "expression" in attrs:
                    cfg.local_exprs.append((block.labels[0], attrs["expression"]))
            if stop:
                break

    auto_hcl, auto_json, more = _hcl_files(path, AUTO_HCL_EXT, AUTO_JSON_EXT)
    diags += more
    given_hcl: list[str] = []
    given_json: list[str] = []
    for vf in var_files:
        ext = os.path.splitext(vf)[1]
        if ext == ".hcl":
            given_hcl.append(vf)
        elif ext == ".json":
            given_json.append(vf)
        else:
            diags.append(
                HclDiagnostic(
                    "error", f"Could not guess format of {vf}", "A var file must be suffixed with `.hcl` or `.json`."
                )
            )
    vf_bodies: list[tuple[str, AnyBody]] = []
    for filename in auto_hcl + given_hcl:
        body, more = _read(filename, files)
        diags += more
        if body is not None and not any(d.is_error for d in more):
            vf_bodies.append((filename, body))
    for filename in auto_json + given_json:
        body, more = _read_json_var_file(filename, files)
        diags += more
        if body is not None and not any(d.is_error for d in more):
            vf_bodies.append((filename, body))
    diags += collect_values(cfg.variables, environ, vf_bodies, vars or {})
    return cfg, diags


def _read_json_var_file(filename: str, files: dict[str, str]) -> tuple[AnyBody | None, list[HclDiagnostic]]:
    """A JSON var-file, read with HCL's JSON syntax (``ParseJSONFile``): its properties are the values."""
    return _read(filename, files)


def _version_constraint(attr: s.Attribute) -> tuple[str | None, list[HclDiagnostic]]:
    from packer_py.interpolate.hcl.convert import ConversionError, convert

    val, diags = evaluate(attr.expr, None)
    if any(d.is_error for d in diags):
        return None, diags
    try:
        val = convert(val, STRING)
    except ConversionError:
        return None, [
            err("Invalid version constraint", f"A string value is required for {attr.name}.", attr.expr.range)
        ]
    if val.is_null or not val.is_wholly_known():
        return None, []
    text = val.as_string()
    if parse_constraints(text) is None:
        return None, [
            err(
                "Invalid version constraint",
                "This string does not use correct version constraint syntax. Check out the docs: "
                "https://packer.io/docs/from-1.5/blocks/packer#version-constraints",
                attr.expr.range,
            )
        ]
    return text, []


_CONSTRAINT_RE = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+)*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$")


def parse_constraints(text: str) -> list[tuple[str, tuple[int, ...], int]] | None:
    """hashicorp/go-version constraints: ``>= 1.2, < 2``; ``~>`` pins all but the last given segment."""
    out = []
    for part in text.split(","):
        m = _CONSTRAINT_RE.match(part)
        if not m:
            return None
        segs = tuple(int(x) for x in m.group(2).split("."))
        out.append((m.group(1) or "=", segs, len(segs)))
    return out


def version_satisfies(version: str, constraint: str) -> bool:
    have = tuple(int(x) for x in version.split("."))
    parsed = parse_constraints(constraint) or []

    def pad(t: tuple[int, ...]) -> tuple[int, ...]:
        return (t + (0, 0, 0))[:3] if len(t) <= 3 else t

    for op, segs, n in parsed:
        want = pad(segs)
        h = pad(have)
        ok = {
            "=": h == want,
            "!=": h != want,
            ">": h > want,
            "<": h < want,
            ">=": h >= want,
            "<=": h <= want,
        }.get(op)
        if op == "~>":
            prefix = max(n - 1, 1)
            ok = h >= want and h[:prefix] == want[:prefix]
        if not ok:
            return False
    return True
