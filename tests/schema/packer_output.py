"""Read ``packer validate`` output and turn templates into builds, for the prepare goldens.

``validate`` prints its diagnostics through HCL's text writer: ``Error: <summary>\\n\\n<detail wrapped at 80
columns>\\n\\n`` per diagnostic, then one more newline from the UI. ``wrap`` reproduces mitchellh/go-wordwrap so
an unwrapped ``error_detail`` can be compared with what Packer printed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packer_py.diagnostics import wordwrap
from packer_py.gofmt import quote
from packer_py.schema import BuildPrepareResult, ComponentInput, PrepareContext, prepare_build
from packer_py.schema.registry import check_decoded
from packer_py.template.positions import PositionMap

from .tiny_render import TinyRenderer


def wrap(text: str, limit: int = 80) -> str:
    return wordwrap(text, limit)


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    summary: str
    detail: str

    def loosely(self) -> Diagnostic:
        """Whitespace collapsed: for texts holding a path whose length differs from the recording's."""
        return Diagnostic(self.severity, self.summary, " ".join(self.detail.split()))


_HEADER = re.compile(r"(?:^|(?<=\n\n))(Error|Warning): ([^\n]*)\n\n")


def diagnostics(output: str) -> list[Diagnostic]:
    """Split validate output into diagnostics; each detail loses the ``\\n\\n`` the writer appends."""
    if not output:
        return []
    assert output.endswith("\n"), output
    body = output[:-1]
    headers = list(_HEADER.finditer(body))
    result = []
    for index, match in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(body)
        chunk = body[match.end() : end]
        assert chunk.endswith("\n\n"), chunk
        result.append(Diagnostic(match.group(1), match.group(2), chunk[:-2]))
    return result


@dataclass
class Build:
    name: str
    type: str
    builder: ComponentInput
    provisioners: list[ComponentInput]
    cleanup: ComponentInput | None
    post_processors: list[list[ComponentInput]]


def _selected(component: dict[str, Any], name: str) -> bool:
    only, exclude = component.get("only") or [], component.get("except") or []
    if only and name not in only:
        return False
    return name not in exclude


def template_builds(template: dict[str, Any]) -> list[Build]:
    """The builds of a JSON template in the order Packer prepares them (sorted by name), as the core forms them."""
    builds = []
    for index, builder in enumerate(template.get("builders", [])):
        name = builder.get("name") or builder["type"]
        provisioners = []
        for p_index, provisioner in enumerate(template.get("provisioners", []) or []):
            if not _selected(provisioner, name):
                continue
            configs = [provisioner]
            override = (provisioner.get("override") or {}).get(name)
            if override is not None:
                configs.append(override)
            provisioners.append(ComponentInput("provisioner", provisioner["type"], configs, ("provisioners", p_index)))
        cleanup_raw = template.get("error-cleanup-provisioner")
        cleanup = (
            ComponentInput("provisioner", cleanup_raw["type"], [cleanup_raw], ("error-cleanup-provisioner",))
            if cleanup_raw
            else None
        )
        sequences = []
        for s_index, raw in enumerate(template.get("post-processors", []) or []):
            elements = raw if isinstance(raw, list) else [raw]
            sequence = []
            for e_index, element in enumerate(elements):
                config = {"type": element} if isinstance(element, str) else element
                if not _selected(config, name):
                    continue
                path = ("post-processors", s_index, e_index) if isinstance(raw, list) else ("post-processors", s_index)
                sequence.append(ComponentInput("post-processor", config["type"], [config], path))
            if sequence:
                sequences.append(sequence)
        builder_input = ComponentInput("builder", builder["type"], [builder], ("builders", index))
        builds.append(Build(name, builder["type"], builder_input, provisioners, cleanup, sequences))
    return sorted(builds, key=lambda b: b.name)


def _check_decoded(build: Build, prepared: BuildPrepareResult) -> None:
    """Every config a successful prepare returns has the types its component schema declares."""
    assert prepared.builder is not None
    pairs = [(build.builder, prepared.builder), *zip(build.provisioners, prepared.provisioners, strict=True)]
    if build.cleanup is not None:
        assert prepared.cleanup_provisioner is not None
        pairs.append((build.cleanup, prepared.cleanup_provisioner))
    for inputs, outputs in zip(build.post_processors, prepared.post_processors, strict=True):
        pairs.extend(zip(inputs, outputs, strict=True))
    for component, config in pairs:
        assert check_decoded(component.kind, component.type, config) == [], component.path


def user_variables(template: dict[str, Any], var_args: list[str], cwd: Path, environ: dict[str, str]) -> dict[str, str]:
    """Variable values as Packer 1.6.6 resolves them for JSON: defaults, then -var-file, then -var, then render."""
    values: dict[str, str] = {k: ("" if v is None else v) for k, v in (template.get("variables") or {}).items()}
    args = iter(var_args)
    for arg in args:
        if arg == "-var":
            key, _, value = next(args).partition("=")
            values[key] = value
        elif arg.startswith("-var-file="):
            values.update(json.loads((cwd / arg.split("=", 1)[1]).read_text()))
        elif arg == "-var-file":
            values.update(json.loads((cwd / next(args)).read_text()))
    values = {k: ("" if v is None else v) for k, v in values.items()}
    for _ in range(100):
        renderer = TinyRenderer(values, env=environ)
        changed = False
        for key in sorted(values):
            rendered = renderer(values[key])
            if rendered != values[key]:
                values[key] = rendered
                changed = True
        if not changed:
            break
    return values


def prepare_diagnostics(
    template: dict[str, Any], template_path: Path, var_args: list[str], work: Path, environ: dict[str, str]
) -> list[Diagnostic]:
    """What packer-py's prepare says about every build, laid out as Packer's ``validate`` lays it out.

    ``work`` is the directory Packer runs in; ``template_path`` the template file (for ``template_dir``)."""
    variables = user_variables(template, var_args, work, environ)
    result: list[Diagnostic] = []
    for build in template_builds(template):
        common = {
            "user_vars": variables,
            "build_name": build.name,
            "build_type": build.type,
            "template_dir": str(template_path.resolve().parent),
            "pwd": str(work),
        }
        ctx = PrepareContext(
            render=TinyRenderer(**common),
            render_build_data=TinyRenderer(**common, build_data=True),
            build_name=build.name,
            builder_type=build.type,
            positions=PositionMap(template_path.name),
            cwd=work,
            environ=environ,
            user_variables=variables,
        )
        prepared = prepare_build(build.builder, build.provisioners, build.cleanup, build.post_processors, ctx)
        if prepared.error_detail is not None:
            summary = f"Failed to prepare build: {quote(build.name)}"
            result.append(Diagnostic("Error", summary, wrap(prepared.error_detail)))
            for finding in prepared.findings:
                assert finding.message in prepared.error_detail
        else:
            _check_decoded(build, prepared)
            result.extend(
                Diagnostic("Warning", f"Warning when preparing build: {quote(build.name)}", wrap(w))
                for w in prepared.warnings
            )
    return result
