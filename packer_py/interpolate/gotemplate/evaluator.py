"""Stage 4: executing a tree, a port of Go 1.19's ``text/template/exec.go``.

Go records the node being evaluated (``state.at``) and names it in every execution error; which node that is
depends on the exact order of evaluation (``{{ upper 1 }}`` fails ``at <1>``, ``{{ split "a" }}`` fails
``at <split>``, a failing call ``at <env `HOME`>``). The methods below follow Go's functions one for one, so the
``at`` calls, and therefore the messages, are the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from packer_py.interpolate.gotemplate import nodes as n
from packer_py.interpolate.gotemplate.builtins import BUILTINS, truth
from packer_py.interpolate.gotemplate.exceptions import ExecError
from packer_py.interpolate.gotemplate.gofmt import sprint, sprintf
from packer_py.interpolate.gotemplate.gostrings import go_quote
from packer_py.interpolate.gotemplate.lexer import byte_column
from packer_py.interpolate.gotemplate.parser import Tree
from packer_py.interpolate.gotemplate.values import (
    MISSING,
    Boxed,
    GoFunc,
    indirect,
    indirect_interface,
    is_true,
    kind,
    type_name,
)

__all__ = ["MAX_TEMPLATE_DEPTH", "execute"]

MAX_TEMPLATE_DEPTH = 100_000
"""Go's maxExecDepth, as printed in its error."""

_PY_TEMPLATE_DEPTH = 150  # Python's stack ends long before Go's; deeper recursion reports Go's error early.

_GO_TYPES = {"string": "string", "int": "int", "bool": "bool", "float64": "float64", "any": "interface {}"}


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _is_hex_int(text: str) -> bool:
    return len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")


class _State:
    """Go's ``state``: the template being run, the output, the current node and the variable stack."""

    def __init__(self, tree: Tree, name: str, funcs: Mapping[str, GoFunc], out: list[str], depth: int) -> None:
        self.tree = tree
        self.name = name
        self.funcs = funcs
        self.out = out
        self.depth = depth
        self.node: n.Node | None = None
        self.vars: list[tuple[str, object]] = []

    # -- errors and variables --

    def at(self, node: n.Node) -> None:
        self.node = node

    def errorf(self, message: str) -> ExecError:
        """Build Go's ExecError for the current node (raise the result)."""
        if self.node is None:
            return ExecError(f"template: {self.name}: {message}")
        line, col = byte_column(self.tree.text, self.node.pos)
        location = f"{self.tree.parse_name}:{line}:{col}"
        return ExecError(f"template: {location}: executing {go_quote(self.name)} at <{self.node}>: {message}")

    def push(self, name: str, value: object) -> None:
        self.vars.append((name, value))

    def mark(self) -> int:
        return len(self.vars)

    def pop(self, mark: int) -> None:
        del self.vars[mark:]

    def set_var(self, name: str, value: object) -> None:
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                self.vars[i] = (name, value)
                return
        raise self.errorf(f"undefined variable: {name}")

    def set_top_var(self, depth: int, value: object) -> None:
        name, _ = self.vars[len(self.vars) - depth]
        self.vars[len(self.vars) - depth] = (name, value)

    def var_value(self, name: str) -> object:
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                return self.vars[i][1]
        raise self.errorf(f"undefined variable: {name}")

    # -- walking --

    def walk(self, dot: object, node: n.Node) -> None:
        self.at(node)
        if isinstance(node, n.ActionNode):
            value = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.print_value(node, value)
        elif isinstance(node, n.BreakNode):
            raise _Break
        elif isinstance(node, n.ContinueNode):
            raise _Continue
        elif isinstance(node, n.CommentNode):
            pass
        elif isinstance(node, (n.IfNode, n.WithNode)):
            self.walk_if_or_with(isinstance(node, n.WithNode), dot, node)
        elif isinstance(node, n.ListNode):
            for child in node.nodes:
                self.walk(dot, child)
        elif isinstance(node, n.RangeNode):
            self.walk_range(dot, node)
        elif isinstance(node, n.TemplateNode):
            self.walk_template(dot, node)
        elif isinstance(node, n.TextNode):
            self.out.append(node.text)
        else:
            raise self.errorf(f"unknown node: {node}")

    def walk_if_or_with(self, is_with: bool, dot: object, node: n.BranchNode) -> None:
        mark = self.mark()
        try:
            value = self.eval_pipeline(dot, node.pipe)
            truth_value, ok = is_true(indirect_interface(value))
            if not ok:
                raise self.errorf(sprintf("if/with can't use %v", [value]))
            if truth_value:
                self.walk(value if is_with else dot, node.list)
            elif node.else_list is not None:
                self.walk(dot, node.else_list)
        finally:
            self.pop(mark)

    def walk_range(self, dot: object, node: n.RangeNode) -> None:
        self.at(node)
        outer = self.mark()
        try:
            value, _ = indirect(self.eval_pipeline(dot, node.pipe))
            mark = self.mark()

            def one_iteration(index: object, element: object) -> None:
                if node.pipe.decl:
                    self.set_top_var(1, element)
                if len(node.pipe.decl) > 1:
                    self.set_top_var(2, index)
                try:
                    self.walk(element, node.list)
                except _Continue:
                    pass
                finally:
                    self.pop(mark)

            k = kind(value)
            if k == "slice":
                assert isinstance(value, Sequence)
                if len(value):
                    for i, element in enumerate(value):
                        one_iteration(i, Boxed(element))
                    return
            elif k == "map":
                assert isinstance(value, Mapping)
                if len(value):
                    from packer_py.interpolate.gotemplate.gofmt import _sort_key

                    for key in sorted(value, key=_sort_key):
                        one_iteration(key, Boxed(value[key]))
                    return
            elif k != "invalid":
                raise self.errorf(sprintf("range can't iterate over %v", [value]))
            if node.else_list is not None:
                self.walk(dot, node.else_list)
        except _Break:
            pass
        finally:
            self.pop(outer)

    def walk_template(self, dot: object, node: n.TemplateNode) -> None:
        self.at(node)
        body = self.tree.templates.get(node.name)
        if body is None:
            raise self.errorf(f"template {go_quote(node.name)} not defined")
        if self.depth >= _PY_TEMPLATE_DEPTH:
            raise self.errorf(f"exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})")
        dot = self.eval_pipeline(dot, node.pipe)
        inner = _State(self.tree, node.name, self.funcs, self.out, self.depth + 1)
        inner.node = self.node
        inner.vars = [("$", dot)]
        inner.walk(dot, body)

    # -- evaluation --

    def eval_pipeline(self, dot: object, pipe: n.PipeNode | None) -> object:
        if pipe is None:
            return None
        self.at(pipe)
        value: object = MISSING
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
            if isinstance(value, Boxed):
                value = value.value
        for variable in pipe.decl:
            if pipe.is_assign:
                self.set_var(variable.ident[0], value)
            else:
                self.push(variable.ident[0], value)
        return value

    def not_a_function(self, args: Sequence[n.Node], final: object) -> None:
        if len(args) > 1 or final is not MISSING:
            raise self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: object, cmd: n.CommandNode, final: object) -> object:
        first = cmd.args[0]
        if isinstance(first, n.FieldNode):
            return self.eval_field_node(dot, first, cmd.args, final)
        if isinstance(first, n.ChainNode):
            return self.eval_chain_node(dot, first, cmd.args, final)
        if isinstance(first, n.IdentifierNode):
            return self.eval_function(dot, first, cmd, cmd.args, final)
        if isinstance(first, n.PipeNode):
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)
        if isinstance(first, n.VariableNode):
            return self.eval_variable_node(dot, first, cmd.args, final)
        self.at(first)
        self.not_a_function(cmd.args, final)
        if isinstance(first, n.BoolNode):
            return first.value
        if isinstance(first, n.DotNode):
            return dot
        if isinstance(first, n.NilNode):
            raise self.errorf("nil is not a command")
        if isinstance(first, n.NumberNode):
            return self.ideal_constant(first)
        if isinstance(first, n.StringNode):
            return first.text
        raise self.errorf(f"can't evaluate command {go_quote(str(first))}")

    def ideal_constant(self, constant: n.NumberNode) -> object:
        self.at(constant)
        text = constant.text
        if constant.is_complex:
            return constant.complex128
        if constant.is_float and not _is_hex_int(text) and not text.startswith("'") and any(c in text for c in ".eEpP"):
            return constant.float64
        if constant.is_int:
            return constant.int64
        if constant.is_uint:
            raise self.errorf(f"{text} overflows int")
        return None

    def eval_field_node(self, dot: object, field: n.FieldNode, args: Sequence[n.Node] | None, final: object) -> object:
        self.at(field)
        return self.eval_field_chain(dot, dot, field, field.ident, args, final)

    def eval_chain_node(self, dot: object, chain: n.ChainNode, args: Sequence[n.Node] | None, final: object) -> object:
        self.at(chain)
        if not chain.field:
            raise self.errorf("internal error: no fields in evalChainNode")
        if isinstance(chain.node, n.NilNode):
            raise self.errorf(f"indirection through explicit nil in {chain}")
        pipe = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, pipe, chain, chain.field, args, final)

    def eval_variable_node(
        self, dot: object, variable: n.VariableNode, args: Sequence[n.Node] | None, final: object
    ) -> object:
        self.at(variable)
        value = self.var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self.not_a_function(args or (variable,), final)
            return value
        return self.eval_field_chain(dot, value, variable, variable.ident[1:], args, final)

    def eval_field_chain(
        self,
        dot: object,
        receiver: object,
        node: n.Node,
        ident: Sequence[str],
        args: Sequence[n.Node] | None,
        final: object,
    ) -> object:
        for name in ident[:-1]:
            receiver = self.eval_field(dot, name, node, None, MISSING, receiver)
        return self.eval_field(dot, ident[-1], node, args, final, receiver)

    def eval_function(
        self, dot: object, node: n.IdentifierNode, cmd: n.Node, args: Sequence[n.Node] | None, final: object
    ) -> object:
        self.at(node)
        name = node.ident
        function = self.funcs.get(name)
        is_builtin = False
        if function is None:
            function = BUILTINS.get(name)
            is_builtin = function is not None
        if function is None:
            raise self.errorf(f"{go_quote(name)} is not a defined function")
        return self.eval_call(dot, function, is_builtin, cmd, name, args, final)

    def eval_field(
        self,
        dot: object,
        field_name: str,
        node: n.Node,
        args: Sequence[n.Node] | None,
        final: object,
        receiver: object,
    ) -> object:
        if receiver is None:
            return None
        typ = type_name(receiver)
        receiver, is_nil = indirect(receiver)
        if isinstance(receiver, Boxed) and is_nil:
            raise self.errorf(f"nil pointer evaluating {typ}.{field_name}")
        has_args = (args is not None and len(args) > 1) or final is not MISSING
        if isinstance(receiver, Mapping):
            if has_args:
                raise self.errorf(f"{field_name} is not a method but has arguments")
            if field_name in receiver:
                return Boxed(receiver[field_name])
            return None
        raise self.errorf(f"can't evaluate field {field_name} in type {typ}")

    def eval_call(
        self,
        dot: object,
        fun: GoFunc,
        is_builtin: bool,
        node: n.Node,
        name: str,
        args: Sequence[n.Node] | None,
        final: object,
    ) -> object:
        call_args: Sequence[n.Node] = args[1:] if args is not None else ()
        num_in = len(call_args) + (1 if final is not MISSING else 0)
        num_fixed = len(call_args)
        if fun.variadic:
            num_fixed = len(fun.params)
            if num_in < num_fixed:
                raise self.errorf(f"wrong number of args for {name}: want at least {num_fixed} got {len(call_args)}")
        elif num_in != fun.num_in:
            raise self.errorf(f"wrong number of args for {name}: want {fun.num_in} got {num_in}")

        if is_builtin and name in ("and", "or"):
            value: object = None
            for arg in call_args:
                value = self.eval_arg(dot, "value", arg)
                if truth(value) == (name == "or"):
                    return value
            if final is not MISSING:
                value = self.validate_type(final, "value")
            return value

        argv: list[object] = []
        i = 0
        while i < num_fixed and i < len(call_args):
            argv.append(self.eval_arg(dot, fun.params[i], call_args[i]))
            i += 1
        if fun.variadic:
            while i < len(call_args):
                argv.append(self.eval_arg(dot, fun.variadic, call_args[i]))
                i += 1
        if final is not MISSING:
            param = fun.params[-1] if fun.params else (fun.variadic or "any")
            if fun.variadic:
                param = fun.params[num_in - 1] if num_in - 1 < num_fixed else fun.variadic
            argv.append(self.validate_type(final, param))
        types = list(fun.params) + [fun.variadic or "any"] * (len(argv) - len(fun.params))
        plain = [
            value if typ == "value" else indirect_interface(value) for value, typ in zip(argv, types, strict=False)
        ]
        try:
            result = fun.impl(*plain)
        except (_Break, _Continue, ExecError):
            raise
        except RecursionError:
            raise
        except Exception as exc:
            self.at(node)
            raise self.errorf(f"error calling {name}: {exc}") from exc
        return result

    def validate_type(self, value: object, typ: str | None) -> object:
        if value is None:
            if typ is None or typ == "value":
                return None
            if typ == "any":
                return Boxed(None)
            raise self.errorf(f"invalid value; expected {_GO_TYPES.get(typ, typ)}")
        if typ is None or typ in ("value", "any"):
            return value
        if not _assignable(value, typ):
            if isinstance(value, Boxed) and value.value is not None:
                value = value.value
                if _assignable(value, typ):
                    return value
            raise self.errorf(f"wrong type for value; expected {_GO_TYPES.get(typ, typ)}; got {type_name(value)}")
        return value

    def eval_arg(self, dot: object, typ: str | None, node: n.Node) -> object:
        self.at(node)
        if isinstance(node, n.DotNode):
            return self.validate_type(dot, typ)
        if isinstance(node, n.NilNode):
            if typ in ("any", "value"):
                return None
            raise self.errorf(f"cannot assign nil to {_GO_TYPES.get(typ or '', typ)}")
        if isinstance(node, n.FieldNode):
            return self.validate_type(self.eval_field_node(dot, node, (node,), MISSING), typ)
        if isinstance(node, n.VariableNode):
            return self.validate_type(self.eval_variable_node(dot, node, None, MISSING), typ)
        if isinstance(node, n.PipeNode):
            return self.validate_type(self.eval_pipeline(dot, node), typ)
        if isinstance(node, n.IdentifierNode):
            return self.validate_type(self.eval_function(dot, node, node, None, MISSING), typ)
        if isinstance(node, n.ChainNode):
            return self.validate_type(self.eval_chain_node(dot, node, None, MISSING), typ)
        if typ == "bool":
            if isinstance(node, n.BoolNode):
                return node.value
            raise self.errorf(f"expected bool; found {node}")
        if typ == "float64":
            if isinstance(node, n.NumberNode) and node.is_float:
                return node.float64
            raise self.errorf(f"expected float; found {node}")
        if typ == "int":
            if isinstance(node, n.NumberNode) and node.is_int:
                return node.int64
            raise self.errorf(f"expected integer; found {node}")
        if typ in ("any", "value"):
            return self.eval_empty_interface(dot, node)
        if typ == "string":
            if isinstance(node, n.StringNode):
                return node.text
            raise self.errorf(f"expected string; found {node}")
        raise self.errorf(f"can't handle {node} for arg of type {typ}")

    def eval_empty_interface(self, dot: object, node: n.Node) -> object:
        self.at(node)
        if isinstance(node, n.BoolNode):
            return node.value
        if isinstance(node, n.NumberNode):
            return self.ideal_constant(node)
        if isinstance(node, n.StringNode):
            return node.text
        raise self.errorf(f"can't handle assignment of {node} to empty interface argument")

    def print_value(self, node: n.Node, value: object) -> None:
        self.at(node)
        if value is None:
            self.out.append("<no value>")
            return
        if kind(value) == "func":
            raise self.errorf(f"can't print {node} of type {type_name(value)}")
        self.out.append(sprint([value]))


def _assignable(value: object, typ: str) -> bool:
    k = kind(value)
    return {"string": k == "string", "int": k == "int", "bool": k == "bool", "float64": k == "float"}.get(typ, False)


def execute(tree: Tree, data: object, funcs: Mapping[str, GoFunc]) -> str:
    """Run ``tree`` with ``.`` = ``data``; raises :class:`ExecError` with Go's message."""
    out: list[str] = []
    state = _State(tree, tree.name, funcs, out, 0)
    state.vars = [("$", data)]
    state.walk(data, tree.root)
    return "".join(out)
