"""HCL2 input variables and locals, as Packer 1.6.6's ``hcl2template`` declares, collects and checks them.

Precedence (last wins): the ``default`` < ``PKR_VAR_name`` < ``*.auto.pkrvars.*`` (lexical order) < ``-var-file``
(in the order given) < ``-var``. Values from the environment and ``-var`` are strings unless the variable has a
non-primitive type, in which case they are parsed as HCL expressions. Undeclared names: ignored from the
environment, ``Warning: Undefined variable`` from var-files, ``Error: Undefined -var variable`` from ``-var``.
An unset variable is only an error when its value is asked for (``Unset variable "x"``); validation blocks run
then too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl.convert import ConversionError, convert
from packer_py.interpolate.hcl.evaluator import EvalContext, evaluate
from packer_py.interpolate.hcl.syntax import HclDiagnostic, Range, err
from packer_py.interpolate.hcl.types import BOOL, NUMBER, STRING, CtyType
from packer_py.interpolate.hcl.values import DYNAMIC_VAL, Value, string_val, unknown_val
from packer_py.template.hcl_schema import AnyBody, Schema, content, just_attributes, partial_content

BAD_IDENTIFIER = (
    "A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes."
)
VAR_ENV_PREFIX = "PKR_VAR_"


@dataclass
class Assignment:
    source: str  # "default" | "env" | "varfile" | "cmd"
    value: Value
    expr: s.Expr | None


@dataclass
class Validation:
    condition: s.Expr | None
    error_message: str
    decl_range: Range


@dataclass
class HclVariable:
    name: str
    range: Range
    values: list[Assignment] = field(default_factory=list)
    type: CtyType | None = None
    description: str = ""
    sensitive: bool = False
    validations: list[Validation] = field(default_factory=list)

    def value(self, functions: Mapping[str, object] | None = None) -> tuple[Value, list[HclDiagnostic]]:
        """``Variable.Value``: the last assignment (validated), or unknown + ``Unset variable``."""
        if not self.values:
            from packer_py.interpolate.hcl.types import DYNAMIC

            return unknown_val(self.type or DYNAMIC), [
                HclDiagnostic(
                    "error",
                    f"Unset variable {go_quote(self.name)}",
                    "A used variable must be set or have a default value; see "
                    "https://packer.io/docs/configuration/from-1.5/syntax for details.",
                    None,
                    self.range,
                )
            ]
        last = self.values[-1]
        return last.value, self._validate(last, functions)

    def _validate(self, assignment: Assignment, functions: Mapping[str, object] | None) -> list[HclDiagnostic]:
        from packer_py.interpolate.hcl.values import object_val

        diags: list[HclDiagnostic] = []
        ctx = EvalContext({"var": object_val({self.name: assignment.value})}, functions)
        for rule in self.validations:
            if rule.condition is None:
                continue
            result, more = evaluate(rule.condition, ctx)
            diags += more
            if not result.is_known:
                continue
            if result.is_null:
                diags.append(
                    err(
                        "Invalid variable validation result",
                        "Validation condition expression must return either true or false, not null.",
                        rule.condition.range,
                    )
                )
                continue
            try:
                result = convert(result, BOOL)
            except ConversionError as exc:
                diags.append(
                    err(
                        "Invalid variable validation result",
                        f"Invalid validation condition result value: {exc}.",
                        rule.condition.range,
                    )
                )
                continue
            if not result.true():
                subject = assignment.expr.range if assignment.expr is not None else rule.decl_range
                diags.append(
                    err(
                        f"Invalid value for {assignment.source} variable",
                        f"{rule.error_message}\n\nThis was checked by the validation rule at {rule.decl_range}.",
                        subject,
                    )
                )
        return diags


VARIABLE_SCHEMA = Schema(attrs=("description", "default", "type", "sensitive"), blocks=(("validation", ()),))
VALIDATION_SCHEMA = Schema(attrs=(), required=("condition", "error_message"))


def _literal_string(expr: s.Expr, what: str) -> tuple[str, list[HclDiagnostic]]:
    """``gohcl.DecodeExpression(expr, nil, &string)``."""
    val, diags = evaluate(expr, None)
    if any(d.is_error for d in diags):
        return "", diags
    try:
        val = convert(val, STRING)
    except ConversionError as exc:
        return "", [err("Unsuitable value type", f"Unsuitable value: {exc}", expr.range)]
    if val.is_null or not val.is_known:
        return "", []
    return val.as_string(), []


def _literal_bool(expr: s.Expr) -> tuple[bool, list[HclDiagnostic]]:
    val, diags = evaluate(expr, None)
    if any(d.is_error for d in diags):
        return False, diags
    try:
        val = convert(val, BOOL)
    except ConversionError as exc:
        return False, [err("Unsuitable value type", f"Unsuitable value: {exc}", expr.range)]
    if val.is_null or not val.is_known:
        return False, []
    return val.true(), []


def decode_variable_block(variables: dict[str, HclVariable], block: s.Block, ctx: EvalContext) -> list[HclDiagnostic]:
    name = block.labels[0]
    if name in variables:
        return [
            HclDiagnostic(
                "error", "Duplicate variable", f"Duplicate {name} variable definition found.", None, block.def_range
            )
        ]
    attrs, blocks, diags = content(block.body, VARIABLE_SCHEMA)
    if not s.is_valid_identifier(name):
        diags.append(err("Invalid variable name", BAD_IDENTIFIER, block.label_ranges[0]))
    var = HclVariable(name, block.def_range)
    if "description" in attrs:
        var.description, more = _literal_string(attrs["description"].expr, "description")
        diags += more
    if "type" in attrs:
        from packer_py.interpolate.hcl.evaluator import _type_node
        from packer_py.interpolate.hcl.typeexpr import TypeSpecError, type_constraint

        try:
            var.type = type_constraint(_type_node(attrs["type"].expr))
        except TypeSpecError as exc:
            diags.append(err(exc.summary, exc.detail, attrs["type"].expr.range))
            return diags
    if "sensitive" in attrs:
        var.sensitive, more = _literal_bool(attrs["sensitive"].expr)
        diags += more
    if "default" in attrs:
        dexpr = attrs["default"].expr
        val, more = evaluate(dexpr, ctx)
        diags += more
        if any(d.is_error for d in more):
            return diags
        val = _typed(val, var, diags, dexpr.range, "Invalid default value for variable", "This default value")
        var.values.append(Assignment("default", val, dexpr))
        if var.type is None:
            var.type = val.type
    for vblock in blocks:
        rule, more = _decode_validation(name, vblock)
        diags += more
        var.validations.append(rule)
    variables[name] = var
    return diags


def _decode_validation(var_name: str, block: s.Block) -> tuple[Validation, list[HclDiagnostic]]:
    attrs, _, diags = content(block.body, VALIDATION_SCHEMA)
    rule = Validation(None, "", block.def_range)
    if "condition" in attrs:
        cond = attrs["condition"].expr
        rule.condition = cond
        good = 0
        for trav in s.walk_traversals(cond):
            steps = trav.traversal
            if (
                len(steps) >= 2
                and isinstance(steps[0], s.TraverseRoot)
                and steps[0].name == "var"
                and isinstance(steps[1], s.TraverseAttr)
                and steps[1].name == var_name
            ):
                good += 1
                continue
            diags.append(
                err(
                    "Invalid reference in variable validation",
                    f"The condition for variable {go_quote(var_name)} can only refer to the variable itself, using "
                    f"var.{var_name}.",
                    trav.range,
                )
            )
        if good < 1:
            diags.append(
                err(
                    "Invalid variable validation condition",
                    f"The condition for variable {go_quote(var_name)} must refer to var.{var_name} in order to test "
                    "incoming values.",
                    cond.range,
                )
            )
    if "error_message" in attrs:
        expr = attrs["error_message"].expr
        msg, more = _literal_string(expr, "error_message")
        diags += more
        if not more:
            rule.error_message = msg
            if msg == "":
                diags.append(
                    err(
                        "Invalid validation error message",
                        "An empty string is not a valid nor useful error message.",
                        expr.range,
                    )
                )
            elif not _looks_like_sentences(msg):
                diags.append(
                    err(
                        "Invalid validation error message",
                        "Validation error message must be at least one full sentence starting with an uppercase "
                        "letter ( if the alphabet permits it ) and ending with a period or question mark.",
                        expr.range,
                    )
                )
    return rule, diags


def _looks_like_sentences(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    first, last = text[0], text[-1]
    if first.isalpha() and not first.isupper():
        return False
    return last in ".?!"


def decode_variables_attribute(
    variables: dict[str, HclVariable], attr: s.Attribute, ctx: EvalContext
) -> list[HclDiagnostic]:
    """An attribute of a ``variables {}`` block."""
    if attr.name in variables:
        return [err("Duplicate variable", f"Duplicate {attr.name} variable definition found.", attr.name_range)]
    val, diags = evaluate(attr.expr, ctx)
    if any(d.is_error for d in diags):
        return diags
    variables[attr.name] = HclVariable(attr.name, attr.range, [Assignment("default", val, attr.expr)], val.type)
    return diags


def _typed(val: Value, var: HclVariable, diags: list[HclDiagnostic], rng: Range, summary: str, subject: str) -> Value:
    """``val`` converted to the variable's type; if it does not convert, a diagnostic (``subject`` "is not compatible
    with the variable's type constraint") is added and the value is unknown, as Packer's variable decoding does."""
    if var.type is None:
        return val
    try:
        return convert(val, var.type)
    except ConversionError as exc:
        diags.append(err(summary, f"{subject} is not compatible with the variable's type constraint: {exc}.", rng))
        return DYNAMIC_VAL


def _from_definition(filename: str, text: str, ty: CtyType | None) -> tuple[s.Expr | None, list[HclDiagnostic]]:
    """``expressionFromVariableDefinition``: strings stay literal unless the type is not primitive-ish."""
    if ty is None or ty in (STRING, NUMBER):
        start = s.SrcPos()
        return s.LiteralValue(string_val(text), Range(filename, start, start)), []
    return s.parse_expression(text, filename)


def collect_values(
    variables: dict[str, HclVariable],
    environ: Mapping[str, str],
    var_files: list[tuple[str, AnyBody]],
    argv: Mapping[str, str],
    strict: bool = False,
) -> list[HclDiagnostic]:
    """``collectInputVariableValues``."""
    diags: list[HclDiagnostic] = []
    for raw_name, raw_value in environ.items():
        if not raw_name.startswith(VAR_ENV_PREFIX):
            continue
        name = raw_name[len(VAR_ENV_PREFIX) :]
        var = variables.get(name)
        if var is None:
            continue
        expr, more = _from_definition(f"<value for var.{name} from env>", raw_value, var.type)
        diags += more
        if expr is None or any(d.is_error for d in more):
            continue
        val, more = evaluate(expr, None)
        diags += more
        val = _typed(val, var, diags, expr.range, "Invalid value for variable", f"The value for {name}")
        var.values.append(Assignment("env", val, expr))

    for _filename, body in var_files:
        _, vblocks, _ = partial_content(body, Schema(blocks=(("variable", ("name",)),)))
        for block in vblocks:
            name = block.labels[0]
            diags.append(
                err(
                    "Variable declaration in a .pkrvar file",
                    "A .pkrvar file is used to assign values to variables that have already been declared in .pkr "
                    f"files, not to declare new variables. To declare variable {go_quote(name)}, place this block in "
                    f"one of your .pkr files, such as variables.pkr.hcl\n\nTo set a value for this variable in "
                    f"{block.type_range.filename}, use the definition syntax instead:\n    {name} = <value>",
                    block.type_range,
                )
            )
        if any(d.is_error for d in diags):
            return diags
        attrs, more = just_attributes(body)
        diags += more
        for name, attr in attrs.items():
            var = variables.get(name)
            if var is None:
                diags.append(
                    HclDiagnostic(
                        "error" if strict else "warning",
                        "Undefined variable",
                        f"A {go_quote(name)} variable was set but was not found in known variables. To declare "
                        f"variable {go_quote(name)}, place this block in one of your .pkr files, such as "
                        "variables.pkr.hcl",
                        None,
                        attr.range,
                    )
                )
                continue
            val, more = evaluate(attr.expr, None)
            diags += more
            val = _typed(val, var, diags, attr.expr.range, "Invalid value for variable", f"The value for {name}")
            var.values.append(Assignment("varfile", val, attr.expr))

    for name, text in argv.items():
        var = variables.get(name)
        if var is None:
            diags.append(
                err(
                    "Undefined -var variable",
                    f"A {go_quote(name)} variable was passed in the command line but was not found in known "
                    f"variables. To declare variable {go_quote(name)}, place this block in one of your .pkr files, "
                    "such as variables.pkr.hcl",
                )
            )
            continue
        expr, more = _from_definition(f"<value for var.{name} from arguments>", text, var.type)
        diags += more
        if expr is None or any(d.is_error for d in more):
            continue
        val, more = evaluate(expr, None)
        diags += more
        summary, subject = "Invalid argument value for -var variable", f"The received arg value for {name}"
        val = _typed(val, var, diags, expr.range, summary, subject)
        var.values.append(Assignment("cmd", val, expr))
    return diags
