"""Template values carried over to Image Builder: times, build-time variables and names.

Packer renders ``ami_name`` once per run (``"httpd {{timestamp}}"`` becomes ``"httpd 1714000000"``) and fills the
build-time variables (``{{ .SourceAMI }}``, ``{{ build `SourceAMIName` }}``) while the build runs. An Image Builder
pipeline builds many times, so:

* ``{{timestamp}}``, ``{{isotime ...}}`` and ``{{strftime ...}}`` actions (with any pipeline after them, such as
  ``| clean_resource_name``) become ``{{imagebuilder:buildDate}}``, the service's own build-time date. The Go-template
  parse tree finds them, so quoting, spacing and trim markers do not matter.
* A build-time variable whose value is known before the build (``SourceAMI`` when ``source_ami`` is given,
  ``BuildRegion``) is filled in; any other one has no Image Builder equivalent, and the caller is told which.
* Everything else renders as Packer would (user variables, ``build_name``, ``clean_resource_name``...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from packer_py.imagebuilder.requests import BUILD_DATE
from packer_py.interpolate.gotemplate.functions import PLACEHOLDER_MSG

if TYPE_CHECKING:
    from packer_py.interpolate.gotemplate import RenderContext

TIME_FUNCTIONS = frozenset({"timestamp", "isotime", "strftime"})
_DATE_MARK = "\x00PACKER_PY_BUILD_DATE\x00"
_UNKNOWN_MARK = re.compile("\x00PACKER_PY_UNKNOWN:(\\w+)\x00")
_PLACEHOLDER = re.compile(r"Build_(\w+)\. " + re.escape(PLACEHOLDER_MSG) + r"|{{\.(\w+)}}")
"""What build data in a provisioner renders to at prepare time: ``{{ .X }}`` gives ``Build_X. <PlaceholderMsg>``,
``{{ build `X` }}`` gives ``{{.X}}`` (to be rendered again at provision time, as Packer does)."""

AMI_NAME_MAX = 127
_AMI_NAME_BAD = re.compile(r"[^-_A-Za-z0-9\s:{}.]")
_RESOURCE_NAME_BAD = re.compile(r"[^-_A-Za-z0-9 ]")


@dataclass(frozen=True)
class Translated:
    value: str
    unknown: tuple[str, ...] = ()
    """Build-time variables with no Image Builder equivalent (``SourceAMIName``, ...), in order of appearance."""
    has_build_date: bool = False


@dataclass(frozen=True)
class BuildValues:
    """How one build's template strings are rendered for Image Builder."""

    context: RenderContext
    known: Mapping[str, str] = field(default_factory=dict)
    """Build-time variables known at export time (``SourceAMI``, ``BuildRegion``)."""
    generated_keys: tuple[str, ...] = ()

    def translate(self, text: str) -> Translated:
        """Render ``text`` with times turned into the build-date placeholder (see the module docstring)."""
        from packer_py.interpolate.gotemplate import InterpolationError, render

        if "{{" not in text:
            return Translated(text)
        rewritten, dated = _replace_time_actions(text)
        data: dict[str, object] = {key: f"\x00PACKER_PY_UNKNOWN:{key}\x00" for key in self.generated_keys}
        data.update(self.known)
        ctx = replace(self.context, data=data, build_data=data)
        try:
            out = render(rewritten, ctx)
        except InterpolationError:
            out = render(rewritten.replace(_DATE_MARK, ""), ctx) if dated else render(text, ctx)
        unknown = tuple(dict.fromkeys(_UNKNOWN_MARK.findall(out)))
        out = _UNKNOWN_MARK.sub("", out).replace(_DATE_MARK, BUILD_DATE)
        return Translated(out, unknown, BUILD_DATE in out)

    def fill_placeholders(self, text: str) -> Translated:
        """A prepared provisioner string: prepare-time placeholders of build data become known values or nothing."""
        unknown: list[str] = []

        def sub(match: re.Match[str]) -> str:
            key = match.group(1) or match.group(2)
            if key in self.known:
                return self.known[key]
            unknown.append(key)
            return ""

        out = _PLACEHOLDER.sub(sub, text)
        return Translated(out, tuple(dict.fromkeys(unknown)))


def _replace_time_actions(text: str) -> tuple[str, bool]:
    """Replace each top-level action whose pipeline starts with a time function by a marker (parse-tree based)."""
    from packer_py.interpolate.gotemplate import DEFAULT_FUNCTIONS, ParseError, parse
    from packer_py.interpolate.gotemplate import nodes as n

    try:
        tree = parse(text, functions=DEFAULT_FUNCTIONS | {"clean_resource_name"})
    except ParseError:
        return text, False
    parts: list[str] = []
    dated = False
    for node in tree.root.nodes:
        if isinstance(node, n.ActionNode) and not node.pipe.decl and node.pipe.cmds:
            first = node.pipe.cmds[0].args[0] if node.pipe.cmds[0].args else None
            if isinstance(first, n.IdentifierNode) and first.ident in TIME_FUNCTIONS:
                parts.append(_DATE_MARK)
                dated = True
                continue
        parts.append(str(node))
    return "".join(parts), dated


def ami_name(translated: Translated) -> tuple[str, list[str]]:
    """An ``amiDistributionConfiguration.name`` from a translated ``ami_name``, and notes on what was changed.

    The service requires ``{{imagebuilder:buildDate}}`` (appended when the name has none), allows letters, digits,
    ``-_.:{}`` and whitespace (Packer's EC2 names also allow ``()[]/'@``, which become ``-``), and 127 characters.
    """
    notes: list[str] = []
    name = translated.value.strip()
    if BUILD_DATE not in name:
        name = f"{name} {BUILD_DATE}".strip()
        notes.append(f"added {BUILD_DATE}: Image Builder requires it in an AMI name")
    head, _, tail = name.partition(BUILD_DATE)
    cleaned = [_AMI_NAME_BAD.sub("-", head), _AMI_NAME_BAD.sub("-", tail)]
    if cleaned != [head, tail]:
        notes.append("characters outside [-_A-Za-z0-9 :{}.] became '-'")
    name = cleaned[0] + BUILD_DATE + cleaned[1]
    if len(name) > AMI_NAME_MAX:
        keep = AMI_NAME_MAX - len(BUILD_DATE) - len(cleaned[1])
        name = cleaned[0][: max(keep, 0)] + BUILD_DATE + cleaned[1][: AMI_NAME_MAX - len(BUILD_DATE)]
        name = name[:AMI_NAME_MAX]
        notes.append(f"shortened to {AMI_NAME_MAX} characters")
    if not re.match(r"[-_A-Za-z0-9{]", name[0]):
        name = "ami-" + name
    return name, notes


def resource_name(text: str) -> str:
    """An Image Builder resource name: 3-128 of ``[-_A-Za-z0-9 ]``, not starting or ending with a space."""
    name = _RESOURCE_NAME_BAD.sub("-", text).strip()
    name = re.sub(r"-{2,}", "-", name)[:128].strip()
    while len(name) < 3:
        name += "-ib"
    return name


def shell_quote(value: str) -> str:
    """Single-quote for a POSIX shell, as Packer's ``env_var_format`` (``'`` becomes ``'"'"'``)."""
    return "'" + value.replace("'", "'\"'\"'") + "'"
