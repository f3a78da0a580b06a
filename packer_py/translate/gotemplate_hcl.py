"""Go-template strings of a JSON template as HCL2 template strings, action by action.

``hcl2_upgrade`` hands every string of a JSON template to :func:`translate_string` together with a
:class:`Scope` (where the string sits: a variable default, a builder, a provisioner or a post-processor) and a
:class:`Resolver` (how the HCL2 file names things: ``var.x`` or ``local.x``, the timestamp locals, the template
directory). The string is parsed with packer-py's Go-template parser (the same one the JSON engine executes) and
walked node by node:

* text becomes literal HCL text, escaped later (``${`` → ``$${``);
* an action becomes an HCL2 expression that evaluates to what the JSON engine prints: ``user`` → ``var.x``,
  ``timestamp`` → ``local.timestamp`` (seconds since the epoch, as JSON prints it), ``isotime``/``strftime`` →
  ``formatdate`` (see ``go_layout``), ``uuid`` → ``uuidv4()``, ``split``/``replace``/``replace_all``/``lower``/
  ``upper`` → HCL2 functions with Go's semantics, ``clean_resource_name`` → ``regex_replace`` with the builder's own
  rule, ``build_name``/``build_type`` → the build's name and type, known when upgrading, ``template_dir`` →
  ``abspath(path.root)``, ``pwd`` → ``path.cwd``, ``packer_version`` → ``packer.version``, ``build `X``` →
  ``build.X`` (provisioners and post-processors), ``env``/``consul_key``/``vault``/``aws_secretsmanager`` (variables)
  → the HCL2 functions of the same names; ``{{if}}`` over those values becomes ``%{ if }`` directives;
* build-time data (``{{ .Path }}``, ``{{ .SourceAMIName }}``, ``{{if .Sudo}}``) stays a Go template: the component
  renders it while building, in HCL2 mode as in JSON mode;
* anything else stays as it was, marked by a :class:`Problem` that the upgrade reports with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, Union

from packer_py.interpolate.gotemplate import DEFAULT_FUNCTIONS, ParseError, parse
from packer_py.interpolate.gotemplate import nodes as n
from packer_py.translate.go_layout import UntranslatableLayout, layout_parts, strftime_parts
from packer_py.translate.hclwrite import number_literal, object_key, quote_literal, template_text

__all__ = [
    "BuildRef",
    "IfDirective",
    "Interp",
    "Kept",
    "Problem",
    "Resolver",
    "Scope",
    "StringTranslation",
    "Text",
    "clean_resource_name_expr",
    "translate_string",
]

Where = Literal["variable", "builder", "provisioner", "post-processor"]


@dataclass(frozen=True)
class BuildRef:
    """One build of the JSON template: its name there, and the HCL2 source it becomes."""

    name: str
    type: str
    source_name: str


@dataclass(frozen=True)
class Scope:
    where: Where
    builds: tuple[BuildRef, ...] = ()
    """The builds whose components see this string (one for a builder; those a provisioner applies to)."""


class Resolver(Protocol):
    """How the HCL2 file being written names what a template refers to."""

    def user(self, name: str) -> str:
        """``var.NAME`` or ``local.NAME`` (or another name when NAME is not an HCL2 identifier)."""
        ...

    def timestamp(self) -> str:
        """The local holding ``{{timestamp}}`` (Unix seconds of the run's start)."""
        ...

    def run_time(self) -> str:
        """The local holding the run's start as an RFC 3339 string (``{{isotime}}``)."""
        ...

    def template_dir(self) -> str:
        """An expression for the JSON template's absolute directory."""
        ...


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Interp:
    expr: str


@dataclass(frozen=True)
class Kept:
    """Go-template text left for the component to render while building."""

    text: str


@dataclass(frozen=True)
class IfDirective:
    cond: str
    then: tuple[Part, ...]
    otherwise: tuple[Part, ...]


Part = Union[Text, Interp, Kept, IfDirective]


@dataclass(frozen=True)
class Problem:
    """Something the translation could not do exactly; ``fatal`` when Go-template code was left untranslated."""

    message: str
    fatal: bool = True


@dataclass
class StringTranslation:
    source: str
    parts: list[Part] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    variable_safe: bool = True
    """Only literals and ``env()``: allowed in an HCL2 variable default."""
    single: Interp | None = None
    """Set when the whole string is one action: its expression, to write without quotes."""

    @property
    def ok(self) -> bool:
        return not any(p.fatal for p in self.problems)

    @property
    def has_actions(self) -> bool:
        return any(not isinstance(p, Text) for p in self.parts)

    def literal(self) -> str | None:
        """The string's value when it has no HCL2 expression in it (text and kept Go templates only)."""
        if any(isinstance(p, (Interp, IfDirective)) for p in self.parts):
            return None
        return "".join(p.text for p in self.parts)  # type: ignore[union-attr]

    def hcl(self) -> str:
        """The HCL2 expression: a bare expression when the string was one action, else a quoted template."""
        if self.single is not None:
            return self.single.expr
        return '"' + _render_parts(self.parts) + '"'


def _render_parts(parts: Sequence[Part]) -> str:
    out: list[str] = []
    for p in parts:
        if isinstance(p, (Text, Kept)):
            out.append(template_text(p.text))
        elif isinstance(p, Interp):
            out.append("${" + p.expr + "}")
        else:
            out.append("%{ if " + p.cond + " }" + _render_parts(p.then))
            if p.otherwise:
                out.append("%{ else }" + _render_parts(p.otherwise))
            out.append("%{ endif }")
    return "".join(out)


# -- values ------------------------------------------------------------------------------------------------------
Kind = Literal["string", "number", "bool"]


@dataclass(frozen=True)
class _Value:
    expr: str
    kind: Kind = "string"
    literal: str | int | float | bool | None = None
    """The Python value when the expression is a constant."""
    atomic: bool = True
    """A literal, reference or call: needs no parentheses as an operand."""
    var_safe: bool = True

    def operand(self) -> str:
        return self.expr if self.atomic else f"({self.expr})"


def _lit(value: str) -> _Value:
    return _Value(quote_literal(value), "string", value)


class _Untranslatable(Exception):
    pass


_GO_BUILTINS_UNSUPPORTED = frozenset(
    {"call", "html", "index", "js", "len", "println", "slice", "urlquery", "lt", "le", "gt", "ge"}
)


def clean_resource_name_expr(builder_type: str, arg: str) -> str | None:
    """``clean_resource_name`` of the builder ``builder_type`` as an HCL2 expression over ``arg`` (None: the builder
    has no such function). Each rule is the builder's own (Packer 1.6.6 ``template_funcs.go``):

    * amazon, osc: every character outside ``A-Za-z0-9()[] ./-'@_`` becomes ``-``;
    * googlecompute, yandex: lower-cased, then every character outside ``a-z0-9`` becomes ``-`` (names already
      valid are returned unchanged by Go, which is the same result);
    * azure: every character outside ``A-Za-z0-9._-`` becomes ``-``, then trailing ``-``, ``_`` and ``.`` go.

    Go replaces bytes, ``regex_replace`` characters: a non-ASCII character becomes one ``-`` here and one per UTF-8
    byte in JSON (``docs/migration.md``).
    """
    if builder_type.startswith(("amazon-", "osc-")):
        return f'regex_replace({arg}, "[^a-zA-Z0-9()\\\\[\\\\] ./\'@_-]", "-")'
    if builder_type in ("googlecompute", "yandex"):
        return f'regex_replace(lower({arg}), "[^a-z0-9]", "-")'
    if builder_type.startswith("azure-"):
        return f'regex_replace(regex_replace({arg}, "[^a-zA-Z0-9._-]", "-"), "[-_.]+$", "")'
    return None


def _action_spans(text: str) -> list[tuple[int, int]]:
    """Where each ``{{ ... }}`` starts and ends in the text, from the lexer's delimiter tokens."""
    from packer_py.interpolate.gotemplate.lexer import TokenType, lex

    spans: list[tuple[int, int]] = []
    start = -1
    for tok in lex(text):
        if tok.type == TokenType.LEFT_DELIM:
            start = tok.pos
        elif tok.type == TokenType.RIGHT_DELIM and start >= 0:
            spans.append((start, tok.pos + len(tok.value)))
            start = -1
    return spans


class _Translator:
    def __init__(self, text: str, scope: Scope, resolver: Resolver) -> None:
        self.text = text
        self.scope = scope
        self.resolver = resolver
        self.problems: list[Problem] = []
        self.var_safe = True
        self._spans: list[tuple[int, int]] | None = None

    def original(self, pos: int, fallback: str) -> str:
        """The action around offset ``pos`` as the template wrote it (``{{ .SourceAMIName }}``, spacing kept), minus
        trim markers, whose work the parser has done already."""
        if self._spans is None:
            self._spans = _action_spans(self.text)
        for start, end in self._spans:
            if start <= pos < end:
                text = self.text[start:end]
                text = re.sub(r"^\{\{-(?=\s)", "{{", text)
                return re.sub(r"(?<=\s)-\}\}$", "}}", text)
        return fallback

    # -- structure ---------------------------------------------------------------------------------------------
    def nodes(self, nodes: Sequence[n.Node]) -> list[Part]:
        out: list[Part] = []
        for node in nodes:
            out.extend(self.node(node))
        return out

    def node(self, node: n.Node) -> list[Part]:
        if isinstance(node, n.TextNode):
            return [Text(node.text)]
        if isinstance(node, n.CommentNode):
            return []
        if isinstance(node, n.ActionNode):
            return self.action(node)
        if isinstance(node, n.IfNode):
            return self.branch_if(node)
        if isinstance(node, (n.RangeNode, n.WithNode)) and _uses_dot(node.pipe):
            return self.kept_branch(node)
        self.problems.append(Problem(f"{_short(str(node))}: {type(node).__name__[:-4].lower()} is not translated"))
        return [Kept(str(node))]

    def action(self, node: n.ActionNode) -> list[Part]:
        pipe = node.pipe
        try:
            if pipe.decl:
                raise _Untranslatable("variable declarations are not translated")
            build = self.build_data_ref(pipe)
            if build is not None:
                return [Interp(build)]
            if _uses_dot(pipe):
                if not _only_dot(pipe):
                    self.problems.append(
                        Problem(
                            f"{_short(str(node))} uses build-time data in a function call: kept as a Go template, "
                            "which the component renders while building",
                            fatal=False,
                        )
                    )
                return [Kept(self.original(pipe.pos, str(node)))]
            value = self.pipe(pipe)
        except _Untranslatable as exc:
            self.problems.append(Problem(f"{_short(str(node))}: {exc}"))
            return [Kept(self.original(pipe.pos, str(node)))]
        if value.literal is not None and not isinstance(value.literal, bool):
            text = value.literal if isinstance(value.literal, str) else number_literal(value.literal)
            if "{{" not in text:
                return [Text(text)]
            return [Kept(self.original(pipe.pos, str(node)))]  # {{ "{{" }}: Go must still print it
        self.var_safe = self.var_safe and value.var_safe
        return [Interp(value.expr)]

    def build_data_ref(self, pipe: n.PipeNode) -> str | None:
        """``{{ build `X` }}`` in a provisioner or post-processor: HCL2's ``build.X``, filled in while building."""
        if self.scope.where not in ("provisioner", "post-processor") or len(pipe.cmds) != 1:
            return None
        args = pipe.cmds[0].args
        if len(args) == 2 and isinstance(args[0], n.IdentifierNode) and args[0].ident == "build":
            if isinstance(args[1], n.StringNode) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", args[1].text):
                return f"build.{args[1].text}"
        return None

    def branch_if(self, node: n.IfNode) -> list[Part]:
        if _uses_dot(node.pipe):
            return self.kept_branch(node)
        try:
            cond = self.truthy(self.pipe(node.pipe, condition=True))
        except _Untranslatable as exc:
            self.problems.append(Problem(f"{_short(str(node))}: {exc}"))
            return [Kept(str(node))]
        otherwise = self.nodes(node.else_list.nodes) if node.else_list is not None else []
        return [IfDirective(cond, tuple(self.nodes(node.list.nodes)), tuple(otherwise))]

    def kept_branch(self, node: n.BranchNode) -> list[Part]:
        """A branch on build-time data stays Go; what is inside it is still translated."""
        if not _only_dot(node.pipe):
            self.problems.append(
                Problem(
                    f"{_short('{{' + node.keyword + ' ' + str(node.pipe) + '}}')} mixes build-time data with "
                    "template functions: kept as a Go template",
                    fatal=False,
                )
            )
        out: list[Part] = [Kept(self.original(node.pipe.pos, "{{" + node.keyword + " " + str(node.pipe) + "}}"))]
        out += self.nodes(node.list.nodes)
        if node.else_list is not None:
            out.append(Kept("{{else}}"))
            out += self.nodes(node.else_list.nodes)
        out.append(Kept("{{end}}"))
        return out

    # -- pipelines -----------------------------------------------------------------------------------------------
    def pipe(self, pipe: n.PipeNode, condition: bool = False) -> _Value:
        value: _Value | None = None
        for cmd in pipe.cmds:
            value = self.command(cmd, value, condition)
        assert value is not None
        return value

    def command(self, cmd: n.CommandNode, piped: _Value | None, condition: bool) -> _Value:
        head = cmd.args[0]
        if isinstance(head, n.IdentifierNode):
            args = [self.arg(a) for a in cmd.args[1:]]
            if piped is not None:
                args.append(piped)
            return self.call(head.ident, args, condition)
        if piped is not None or len(cmd.args) > 1:
            raise _Untranslatable(f"{head} cannot take arguments")
        return self.arg(head)

    def arg(self, node: n.Node) -> _Value:
        if isinstance(node, n.StringNode):
            return _lit(node.text)
        if isinstance(node, n.BoolNode):
            return _Value("true" if node.value else "false", "bool", node.value)
        if isinstance(node, n.NumberNode):
            if node.is_int:
                return _Value(str(node.int64), "number", node.int64)
            if node.is_float:
                return _Value(number_literal(node.float64), "number", node.float64)
            raise _Untranslatable(f"the number {node.text} is not translated")
        if isinstance(node, n.IdentifierNode):
            return self.call(node.ident, [], False)
        if isinstance(node, n.PipeNode):
            if node.decl:
                raise _Untranslatable("variable declarations are not translated")
            return self.pipe(node)
        if isinstance(node, n.NilNode):
            raise _Untranslatable("nil has no HCL2 value")
        raise _Untranslatable(f"{node} is not translated")

    # -- functions -----------------------------------------------------------------------------------------------
    def call(self, name: str, args: list[_Value], condition: bool) -> _Value:
        method = getattr(self, "fn_" + name, None)
        if method is None:
            if name in _GO_BUILTINS_UNSUPPORTED:
                raise _Untranslatable(f"the Go template function {name!r} has no HCL2 translation")
            raise _Untranslatable(f"the function {name!r} has no HCL2 translation here")
        result: _Value = method(args, condition) if name in ("and", "or") else method(args)
        return result

    def _need(self, name: str, args: list[_Value], count: int) -> None:
        if len(args) != count:
            raise _Untranslatable(f"wrong number of args for {name}: want {count} got {len(args)}")

    def _strings(self, name: str, args: list[_Value]) -> None:
        for a in args:
            if a.kind != "string":
                raise _Untranslatable(f"{name} expects strings")

    def fn_user(self, args: list[_Value]) -> _Value:
        self._need("user", args, 1)
        if not isinstance(args[0].literal, str):
            raise _Untranslatable("user with a computed variable name")
        self.var_safe = False
        return _Value(self.resolver.user(args[0].literal), var_safe=False)

    def fn_env(self, args: list[_Value]) -> _Value:
        self._need("env", args, 1)
        if self.scope.where != "variable":
            raise _Untranslatable("env is only allowed in variable defaults (Packer: env vars are not allowed here)")
        return _Value(f"env({args[0].expr})", var_safe=args[0].var_safe)

    def fn_timestamp(self, args: list[_Value]) -> _Value:
        self._need("timestamp", args, 0)
        return _Value(self.resolver.timestamp(), var_safe=False)

    def fn_isotime(self, args: list[_Value]) -> _Value:
        if not args:
            return _Value(self.resolver.run_time(), var_safe=False)
        if len(args) > 1 or not isinstance(args[0].literal, str):
            raise _Untranslatable("isotime takes one literal layout")
        return self._layout(layout_parts, args[0].literal)

    def fn_strftime(self, args: list[_Value]) -> _Value:
        self._need("strftime", args, 1)
        if not isinstance(args[0].literal, str):
            raise _Untranslatable("strftime takes a literal format")
        return self._layout(strftime_parts, args[0].literal)

    def _layout(self, translate, layout: str) -> _Value:  # type: ignore[no-untyped-def]
        try:
            result = translate(layout, self.resolver.run_time())
        except UntranslatableLayout as exc:
            raise _Untranslatable(str(exc)) from None
        self.problems.extend(Problem(w, fatal=False) for w in result.warnings)
        parts: list[tuple[str, str]] = result.parts
        if len(parts) == 1 and parts[0][0] == "expr":
            return _Value(parts[0][1], var_safe=False)
        body = "".join(template_text(t) if k == "text" else "${" + t + "}" for k, t in parts)
        return _Value('"' + body + '"', var_safe=False)

    def fn_uuid(self, args: list[_Value]) -> _Value:
        self._need("uuid", args, 0)
        return _Value("uuidv4()", var_safe=False)

    def fn_pwd(self, args: list[_Value]) -> _Value:
        self._need("pwd", args, 0)
        return _Value("path.cwd", var_safe=False)

    def fn_template_dir(self, args: list[_Value]) -> _Value:
        self._need("template_dir", args, 0)
        return _Value(self.resolver.template_dir(), var_safe=False)

    def fn_packer_version(self, args: list[_Value]) -> _Value:
        self._need("packer_version", args, 0)
        return _Value("packer.version", var_safe=False)

    def fn_build_name(self, args: list[_Value]) -> _Value:
        self._need("build_name", args, 0)
        builds = self.scope.builds
        if not builds:
            raise _Untranslatable("build_name is not available here")
        if len(builds) == 1:
            return _lit(builds[0].name)
        if all(b.name == b.source_name for b in builds):
            return _Value("source.name", var_safe=False)
        table = ", ".join(f"{object_key(b.source_name)} = {quote_literal(b.name)}" for b in builds)
        return _Value("{" + table + "}[source.name]", var_safe=False)

    def fn_build_type(self, args: list[_Value]) -> _Value:
        self._need("build_type", args, 0)
        builds = self.scope.builds
        if not builds:
            raise _Untranslatable("build_type is not available here")
        if len({b.type for b in builds}) == 1:
            return _lit(builds[0].type)
        return _Value("source.type", var_safe=False)

    def fn_build(self, args: list[_Value]) -> _Value:
        raise _Untranslatable("build data is only available to provisioners and post-processors")

    def fn_lower(self, args: list[_Value]) -> _Value:
        self._need("lower", args, 1)
        self._strings("lower", args)
        return _Value(f"lower({args[0].expr})", var_safe=False)

    def fn_upper(self, args: list[_Value]) -> _Value:
        self._need("upper", args, 1)
        self._strings("upper", args)
        return _Value(f"upper({args[0].expr})", var_safe=False)

    def fn_split(self, args: list[_Value]) -> _Value:
        """Go: ``strings.Split(s, sep)[index]``; HCL2's ``split(sep, s)`` is the same ``strings.Split``."""
        self._need("split", args, 3)
        s, sep, index = args
        if index.kind != "number":
            raise _Untranslatable(
                f"split's third argument (the index) is {index.expr}, not a number: the JSON engine fails here too"
            )
        if not isinstance(index.literal, int) or isinstance(index.literal, bool):
            raise _Untranslatable("split takes a literal index")
        return _Value(f"split({sep.expr}, {s.expr})[{index.literal}]", var_safe=False)

    def fn_replace_all(self, args: list[_Value]) -> _Value:
        """Go: ``strings.Replace(src, old, new, -1)``: cty's ``replace`` is exactly that call."""
        self._need("replace_all", args, 3)
        old, new, src = args
        self._strings("replace_all", args)
        return _Value(f"replace({src.expr}, {old.expr}, {new.expr})", var_safe=False)

    def fn_replace(self, args: list[_Value]) -> _Value:
        """Go: ``strings.Replace(src, old, new, n)``, the first ``n`` matches (all when n < 0)."""
        self._need("replace", args, 4)
        old, new, count, src = args
        if count.kind != "number":
            raise _Untranslatable(
                f"replace's third argument (the count) is {count.expr}, not a number: the JSON engine fails here too"
            )
        if not isinstance(count.literal, int) or isinstance(count.literal, bool):
            raise _Untranslatable("replace takes a literal count")
        k = count.literal
        if k < 0:
            return self.fn_replace_all([old, new, src])
        if all(isinstance(a.literal, str) for a in (old, new, src)):
            return _lit(str(src.literal).replace(str(old.literal), str(new.literal), k))
        if k == 0:
            return src
        if not isinstance(old.literal, str) or old.literal == "":
            raise _Untranslatable("replace with a computed or empty search string")
        parts = f"split({old.expr}, {src.expr})"
        head = f"join({new.expr}, slice({parts}, 0, {k + 1}))"
        tail = f"join({old.expr}, slice({parts}, {k + 1}, length({parts})))"
        expr = (
            f"length({parts}) <= {k + 1} ? join({new.expr}, {parts}) : "
            f'"${{{head}}}{template_text(old.literal)}${{{tail}}}"'
        )
        return _Value(expr, atomic=False, var_safe=False)

    def fn_clean_resource_name(self, args: list[_Value]) -> _Value:
        self._need("clean_resource_name", args, 1)
        (arg,) = args
        rules = {clean_resource_name_expr(b.type, arg.expr) for b in self.scope.builds}
        if len(rules) != 1:
            raise _Untranslatable("clean_resource_name differs between the builders this applies to")
        if self.scope.where != "builder":
            self.problems.append(
                Problem("clean_resource_name outside a builder fails in a JSON template; translated for HCL2", False)
            )
        btype = self.scope.builds[0].type
        expr = rules.pop()
        if expr is None:
            raise _Untranslatable(f"the {btype} builder has no clean_resource_name")
        return _Value(expr, var_safe=False)

    def fn_consul_key(self, args: list[_Value]) -> _Value:
        self._need("consul_key", args, 1)
        self._secret_scope("consul_key")
        return _Value(f"consul_key({args[0].expr})", var_safe=False)

    def fn_vault(self, args: list[_Value]) -> _Value:
        self._need("vault", args, 2)
        self._secret_scope("vault")
        return _Value(f"vault({args[0].expr}, {args[1].expr})", var_safe=False)

    def fn_aws_secretsmanager(self, args: list[_Value]) -> _Value:
        self._secret_scope("aws_secretsmanager")
        if len(args) == 1:
            return _Value(f"aws_secretsmanager({args[0].expr}, null)", var_safe=False)
        self._need("aws_secretsmanager", args, 2)
        return _Value(f"aws_secretsmanager({args[0].expr}, {args[1].expr})", var_safe=False)

    def _secret_scope(self, name: str) -> None:
        """JSON allows secrets only in variable defaults (elsewhere its validate fails); HCL2 allows the functions
        everywhere, so they are translated wherever they are, with a note."""
        if self.scope.where != "variable":
            self.problems.append(
                Problem(f"{name} outside the variables fails in a JSON template; translated for HCL2", fatal=False)
            )

    # Go builtins used in conditions and formatting
    def fn_eq(self, args: list[_Value]) -> _Value:
        if len(args) < 2:
            raise _Untranslatable("eq needs two arguments")
        first = args[0].operand()
        tests = [f"{first} == {a.operand()}" for a in args[1:]]
        return _Value(" || ".join(tests), "bool", atomic=False, var_safe=False)

    def fn_ne(self, args: list[_Value]) -> _Value:
        self._need("ne", args, 2)
        return _Value(f"{args[0].operand()} != {args[1].operand()}", "bool", atomic=False, var_safe=False)

    def fn_not(self, args: list[_Value]) -> _Value:
        self._need("not", args, 1)
        inner = self.truthy(args[0])
        return _Value(f"!({inner})" if not _is_atomic(inner) else f"!{inner}", "bool", var_safe=False)

    def fn_and(self, args: list[_Value], condition: bool) -> _Value:
        return self._logic("and", " && ", args, condition)

    def fn_or(self, args: list[_Value], condition: bool) -> _Value:
        return self._logic("or", " || ", args, condition)

    def _logic(self, name: str, op: str, args: list[_Value], condition: bool) -> _Value:
        if not condition:
            raise _Untranslatable(f"{name} outside an if condition prints one of its arguments: not translated")
        if len(args) < 2:
            raise _Untranslatable(f"{name} needs two arguments")
        terms = [self.truthy(a) for a in args]
        return _Value(op.join(t if _is_atomic(t) else f"({t})" for t in terms), "bool", atomic=False, var_safe=False)

    def fn_printf(self, args: list[_Value]) -> _Value:
        if not args or not isinstance(args[0].literal, str):
            raise _Untranslatable("printf takes a literal format")
        if re.search(r"%(?![sdv%])", args[0].literal):
            raise _Untranslatable("printf verbs other than %s, %d and %v are not translated")
        return _Value(f"format({', '.join(a.expr for a in args)})", var_safe=False)

    def fn_print(self, args: list[_Value]) -> _Value:
        self._strings("print", args)
        if len(args) == 1:
            return args[0]
        return _Value('"' + "".join("${" + a.expr + "}" for a in args) + '"', var_safe=False)

    def truthy(self, value: _Value) -> str:
        """Go's truth of a value in ``{{if}}``: a non-empty string, a true bool, a non-zero number."""
        if value.kind == "bool":
            return value.expr
        if value.kind == "number":
            return f"{value.operand()} != 0"
        return f'{value.operand()} != ""'


def _is_atomic(expr: str) -> bool:
    return re.fullmatch(r"[\w.\-\[\]\"()]+", expr) is not None and " " not in expr


def _uses_dot(node: n.Node) -> bool:
    """Whether the node reads the template's data (``.``, ``.Field``, ``$``, ``$.Field``): build-time data."""
    if isinstance(node, (n.DotNode, n.FieldNode, n.ChainNode)):
        return True
    if isinstance(node, n.VariableNode):
        return node.ident[0] == "$"
    if isinstance(node, n.PipeNode):
        return any(_uses_dot(c) for c in node.cmds)
    return any(_uses_dot(child) for child in node.children())


def _only_dot(pipe: n.PipeNode) -> bool:
    """``.Field`` (or ``.``) alone: a plain reference to build-time data."""
    if len(pipe.cmds) != 1 or len(pipe.cmds[0].args) != 1:
        return False
    return isinstance(pipe.cmds[0].args[0], (n.DotNode, n.FieldNode))


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


_FUNCTIONS = DEFAULT_FUNCTIONS | {"clean_resource_name"}


def translate_string(text: str, scope: Scope, resolver: Resolver) -> StringTranslation:
    """One JSON template string as HCL2 (see the module docstring)."""
    result = StringTranslation(text)
    if "{{" not in text:
        result.parts = [Text(text)] if text else []
        return result
    try:
        tree = parse(text, functions=_FUNCTIONS)
    except ParseError as exc:
        result.parts = [Kept(text)]
        result.problems.append(Problem(f"the Go template does not parse ({exc}): kept as it is"))
        return result
    tr = _Translator(text, scope, resolver)
    result.parts = _merge(tr.nodes(tree.root.nodes))
    result.problems = tr.problems
    result.variable_safe = tr.var_safe and not any(isinstance(p, IfDirective) for p in result.parts)
    if len(result.parts) == 1 and isinstance(result.parts[0], Interp):
        result.single = result.parts[0]
    return result


def _merge(parts: list[Part]) -> list[Part]:
    out: list[Part] = []
    for p in parts:
        if isinstance(p, Text) and not p.text:
            continue
        if out and isinstance(p, Text) and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + p.text)
        elif out and isinstance(p, Kept) and isinstance(out[-1], Kept):
            out[-1] = Kept(out[-1].text + p.text)
        else:
            out.append(p)
    return out


_ACTION = re.compile(r"\{\{(.*?)\}\}", re.S)
_GO_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\'(?:[^\'\\]|\\.)*\'')
_GO_WORD = re.compile(r"(?<![.$\w])([A-Za-z_]\w*)")
_GO_KEYWORDS = frozenset(
    {"if", "else", "end", "with", "range", "template", "define", "block", "break", "continue", "nil", "true", "false"}
)
_GO_BUILTINS = frozenset(
    {"and", "call", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or", "print", "printf"}
    | {"println", "slice", "urlquery"}
)


def untranslated_calls(hcl_text: str) -> list[str]:
    """Go-template function calls left in HCL2 text (comments excluded): what ``hcl2_upgrade`` should have
    translated. Build-time references are not counted: field access (``{{ .Path }}``, ``{{if .Sudo}}``) and Go's
    builtins applied to build-time data (``{{if ne .HieraConfigPath ""}}``), which the component renders while
    building."""
    found: list[str] = []
    for line in hcl_text.splitlines():
        if line.lstrip().startswith(("#", "//")):
            continue
        for m in _ACTION.finditer(line):
            body = m.group(1).strip().lstrip("-").rstrip("-")
            bare = _GO_STRING.sub('""', body)
            calls = [w for w in _GO_WORD.findall(bare) if w not in _GO_KEYWORDS]
            if not calls:
                continue
            uses_dot = re.search(r"(^|[\s(|])\.", bare) is not None
            if uses_dot and all(c in _GO_BUILTINS for c in calls):
                continue
            found.append(m.group(0))
    return found
