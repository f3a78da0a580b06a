"""AWSTOE component documents: load the YAML, check it against the format, and find the variables it uses.

The format's shape is a JSON Schema kept beside this module (``awstoe-document.schema.json``, every rule with its
source). What a schema cannot say is checked here, each with its source:

* step names are unique within a phase, phase names within the document (toe-use-documents.md);
* a chaining expression (``{{ build.Download.inputs[0].destination }}``) names a step that ran before it, in the
  same stage: build and validate run on the build instance, test on a new one, so a test step cannot read a build
  step (manage-components.md; toe-use-documents.md, "Input and output chaining");
* every ``{{ Name }}`` is a declared parameter or constant, or a loop variable inside a looping step
  (toe-user-defined-variables.md; image-builder-looping-constructs.md);
* a parameter name is not also a constant (toe-user-defined-variables.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from packer_py.imagebuilder.errors import DocumentError

IMAGE_BUILDER_PHASES = ("build", "validate", "test")
"""The phases Image Builder runs (manage-components.md); AWSTOE accepts other names, Image Builder ignores them."""

STAGE_OF_PHASE = {"build": "build", "validate": "build", "test": "test"}
"""Build and validate run in one AWSTOE execution on the build instance; test on a new test instance."""

EXPRESSION = re.compile(r"{{\s*(.*?)\s*}}")
CHAINING = re.compile(
    r"^(?P<phase>[A-Za-z0-9_-]+)\.(?P<step>[A-Za-z0-9_-]+)\.(?P<kind>inputs|outputs)(?:\[(?P<index>\d+)\])?"
    r"(?:\.(?P<key>[A-Za-z0-9_-]+))?$"
)

Document = dict[str, Any]


@dataclass(frozen=True)
class ComponentDocument:
    """A loaded document and what it declares."""

    source: str
    data: Document
    text: str
    parameters: dict[str, str | None] = field(default_factory=dict)
    """Parameter name -> default (None: must be given at run time)."""
    constants: dict[str, str] = field(default_factory=dict)

    @property
    def phases(self) -> list[dict[str, Any]]:
        return list(self.data["phases"])


@lru_cache(maxsize=1)
def document_schema() -> dict[str, Any]:
    path = Path(__file__).with_name("awstoe-document.schema.json")
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def load_document(text: str, source: str = "<document>") -> ComponentDocument:
    """Parse and check a component document; raises ``DocumentError`` listing every problem."""
    import yaml  # type: ignore[import-untyped]

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DocumentError(source, [f"YAML: {exc}"]) from None
    findings = check_document(data)
    if findings:
        raise DocumentError(source, findings)
    parameters: dict[str, str | None] = {}
    for item in data.get("parameters") or []:
        for name, spec in item.items():
            parameters[name] = spec.get("default")
    constants = {name: spec["value"] for item in data.get("constants") or [] for name, spec in item.items()}
    return ComponentDocument(source, data, text, parameters, constants)


def load_document_file(path: str | Path) -> ComponentDocument:
    from packer_py.errors import TemplateError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"open {path}: {exc.strerror or exc}") from None
    return load_document(text, str(path))


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def check_document(data: object) -> list[str]:
    """Every problem of ``data`` (a parsed document), schema first, then the rules a schema cannot express."""
    import jsonschema  # type: ignore[import-untyped]

    validator = jsonschema.Draft202012Validator(document_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    findings = [f"{_where(e.absolute_path)}: {_best(e)}" for e in errors]
    if findings or not isinstance(data, dict):
        return findings
    return _semantic_findings(data)


def _best(error: Any) -> str:
    """The most specific message of a (possibly nested ``if``/``then``) schema error."""
    import jsonschema

    if error.context:
        deepest = jsonschema.exceptions.best_match(error.context)
        if deepest is not None and list(deepest.absolute_path) != list(error.absolute_path):
            return f"{_where(deepest.absolute_path)}: {deepest.message}"
        if deepest is not None:
            return str(deepest.message)
    return str(error.message)


def _semantic_findings(doc: Document) -> list[str]:
    findings: list[str] = []
    declared: set[str] = set()
    for kind in ("parameters", "constants"):
        for item in doc.get(kind) or []:
            for name in item:
                if name in declared:
                    findings.append(f"{kind}: {name!r} is declared twice (parameters and constants share a namespace)")
                declared.add(name)
    seen_phases: set[str] = set()
    done: dict[str, set[str]] = {}  # stage -> "phase.step" that ran before
    for p_index, phase in enumerate(doc["phases"]):
        pname = phase["name"]
        if pname in seen_phases:
            findings.append(f"phases[{p_index}]: phase name {pname!r} is used twice")
        seen_phases.add(pname)
        stage = STAGE_OF_PHASE.get(pname, pname)
        before = done.setdefault(stage, set())
        names: set[str] = set()
        for s_index, step in enumerate(phase["steps"]):
            where = f"phases[{p_index}].steps[{s_index}]"
            if step["name"] in names:
                findings.append(f"{where}: step name {step['name']!r} is used twice in phase {pname!r}")
            names.add(step["name"])
            loop_names = {"loop"}
            if isinstance(step.get("loop"), dict) and step["loop"].get("name"):
                loop_names.add(step["loop"]["name"])
            for expr in expressions(step.get("inputs")) + expressions(step.get("loop")):
                problem = _check_expression(expr, before, declared, loop_names if "loop" in step else set(), stage)
                if problem:
                    findings.append(f"{where}: {problem}")
            before.add(f"{pname}.{step['name']}")
    return findings


def expressions(value: object) -> list[str]:
    """The ``{{ ... }}`` expressions in a value (strings inside maps and lists)."""
    if isinstance(value, str):
        return EXPRESSION.findall(value)
    if isinstance(value, dict):
        return [e for v in value.values() for e in expressions(v)]
    if isinstance(value, list):
        return [e for v in value for e in expressions(v)]
    return []


def _check_expression(expr: str, before: set[str], declared: set[str], loops: set[str], stage: str) -> str | None:
    match = CHAINING.match(expr)
    if match:
        ref = f"{match['phase']}.{match['step']}"
        if ref in before:
            return None
        if STAGE_OF_PHASE.get(match["phase"], match["phase"]) != stage:
            return f"{{{{ {expr} }}}} refers to another stage (test runs on a new instance): no chaining across"
        return f"{{{{ {expr} }}}} refers to step {ref!r}, which does not run before this step"
    head = expr.split(".", 1)[0]
    if expr in declared or head in loops:
        return None
    if expr.startswith("imagebuilder:"):
        return None
    return f"{{{{ {expr} }}}} is neither a declared parameter or constant nor a chaining expression"
