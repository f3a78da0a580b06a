"""``inspect``: what a template defines, printed as Packer 1.6.6 prints it (JSON mode).

Quirks kept on purpose (they are Packer's output): required variables come in map order (we use the file's order;
Packer's is random, the conformance runner compares them as a set); a variable whose default equals the default of
any sensitive variable prints ``<sensitive>``; names are padded to the longest variable name, including required
ones; builder names are shown raw (user variables are not rendered).
"""

from __future__ import annotations

from dataclasses import dataclass

from packer_py.template.model import Template
from packer_py.ui import SENSITIVE, Ui

NOTE = (
    "\nNote: If your build names contain user variables or template\n"
    "functions such as 'timestamp', these are processed at build time,\n"
    "and therefore only show in their raw form here."
)


@dataclass(frozen=True)
class InspectedVariable:
    name: str
    default: str
    required: bool


@dataclass(frozen=True)
class InspectedBuilder:
    name: str
    type: str


@dataclass(frozen=True)
class Inspection:
    description: str | None
    variables: list[InspectedVariable]
    builders: list[InspectedBuilder]
    provisioners: list[str]

    def render(self, ui: Ui) -> None:
        ui.say("Packer Inspect: JSON mode")
        if self.description:
            ui.say("Description:\n")
            ui.say(self.description + "\n")
        if not self.variables:
            ui.say("Variables:\n")
            ui.say("  <No variables>")
        else:
            required = [v for v in self.variables if v.required]
            if required:
                ui.say("Required variables:\n")
                for v in required:
                    ui.machine("template-variable", v.name, v.default, "1")
                    ui.say("  " + v.name)
                ui.say("")
            ui.say("Optional variables and their defaults:\n")
            width = max(len(v.name) for v in self.variables)
            for v in sorted(self.variables, key=lambda v: v.name):
                if v.required:
                    continue
                ui.machine("template-variable", v.name, v.default, "0")
                ui.say(f"  {v.name.ljust(width)} = {v.default}")
        ui.say("")
        ui.say("Builders:\n")
        if not self.builders:
            ui.say("  <No builders>")
        else:
            width = max(len(b.name) for b in self.builders)
            for b in sorted(self.builders, key=lambda b: b.name):
                line = f"  {b.name.ljust(width)}"
                if b.name != b.type:
                    line += f" ({b.type})"
                ui.machine("template-builder", b.name, b.type)
                ui.say(line)
        ui.say("")
        ui.say("Provisioners:\n")
        if not self.provisioners:
            ui.say("  <No provisioners>")
        else:
            for p in self.provisioners:
                ui.machine("template-provisioner", p)
                ui.say(f"  {p}")
        ui.say(NOTE)


def inspect_template(template: Template) -> Inspection:
    # Packer compares defaults, and a required variable's default is "": one required sensitive variable masks every
    # variable whose default is empty.
    sensitive_defaults = {
        template.variables[n].default or "" for n in template.sensitive_variables if n in template.variables
    }
    variables = []
    for v in template.variables.values():
        default = v.default if isinstance(v.default, str) else ""
        if default in sensitive_defaults:
            default = SENSITIVE
        variables.append(InspectedVariable(v.name, default, v.required))
    builders = [InspectedBuilder(s.name, s.type) for s in template.sources.values()]
    provisioners = [p.type for p in template.provisioners]
    return Inspection(template.description, variables, builders, provisioners)
