"""Evaluation of HCL expressions with hclsyntax v2.6.0's semantics and diagnostics.

``evaluate(expr, ctx)`` returns ``(value, diagnostics)`` as ``Expression.Value`` does: evaluation goes on after an
error where HCL goes on (so one expression can report several problems) and yields ``DynamicVal`` for the failed
part. Summaries and details are HCL's (``Unsupported attribute``, ``Invalid index``, ``Call to unknown function``,
``Invalid function argument``, ``Invalid operand``, ...), each with the subject/context ranges HCL gives, because
Packer prints them verbatim.

Functions follow the registry contract of ``packer_py.interpolate.hcl.functions`` (``HclFunction``: ``params``,
``var_param``, ``call``); ``try``/``can`` receive an ``ExpressionThunk`` and ``convert`` a type, as HCL's custom
expression decoders do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl import values as v
from packer_py.interpolate.hcl.convert import ConversionError, convert, get_conversion_unsafe, unify_unsafe
from packer_py.interpolate.hcl.jsonsyntax import JsonExpression, json_value
from packer_py.interpolate.hcl.numbers import NaNError
from packer_py.interpolate.hcl.syntax import HclDiagnostic, Range, between
from packer_py.interpolate.hcl.types import (
    BOOL,
    DYNAMIC,
    NUMBER,
    STRING,
    CtyType,
    DynamicPseudoType,
    ListType,
    MapType,
    ObjectType,
    SetType,
    TupleType,
)
from packer_py.interpolate.hcl.values import DYNAMIC_VAL, Value


@dataclass
class EvalContext:
    """``hcl.EvalContext``: variables and functions, with a parent for ``for`` scopes. ``None`` maps mean
    "not allowed here" (``Variables not allowed``, ``Function calls not allowed``)."""

    variables: dict[str, Value] | None = None
    functions: Mapping[str, Any] | None = None
    parent: EvalContext | None = None
    anon: dict[int, Value] = field(default_factory=dict)

    def child(self) -> EvalContext:
        return EvalContext(None, None, self)


def _scopes(ctx: EvalContext | None) -> Iterator[EvalContext]:
    """``ctx`` and its parents, innermost first: the order in which hcl looks up variables, functions and splat
    symbols (a context whose variable or function table is nil is passed over; all nil means "not allowed here")."""
    while ctx is not None:
        yield ctx
        ctx = ctx.parent


def _diag(
    summary: str,
    detail: str,
    subject: Range | None,
    context: Range | None = None,
    expression: object | None = None,
    ctx: EvalContext | None = None,
) -> HclDiagnostic:
    return HclDiagnostic("error", summary, detail, subject, context, expression, ctx)


def _part_diag(summary: str, detail: str, part: s.Expr, whole: s.Expr, ctx: EvalContext | None) -> HclDiagnostic:
    """A diagnostic about ``part``, a sub-expression of ``whole``, as hclsyntax reports one: the subject is the part,
    the context the whole, and the part's variables are shown (``with var.x as ...``) as ``ctx`` gives them."""
    return _diag(summary, detail, part.range, whole.range, part, ctx)


def _has_errors(diags: list[HclDiagnostic]) -> bool:
    return any(d.is_error for d in diags)


def _conv(val: Value, ty: CtyType) -> Value:
    return convert(val, ty)


# ---------------------------------------------------------------------------------------------------------------
# traversals (hcl.Index / hcl.GetAttr)


def index_value(coll: Value, key: Value, rng: Range | None) -> tuple[Value, list[HclDiagnostic]]:
    """``hcl.Index``."""
    if coll.is_null:
        return DYNAMIC_VAL, [
            _diag("Attempt to index null value", "This value is null, so it does not have any indices.", rng)
        ]
    if key.is_null:
        return DYNAMIC_VAL, [_diag("Invalid index", "Can't use a null value as an indexing key.", rng)]
    ty, kty = coll.type, key.type
    if isinstance(kty, DynamicPseudoType) or isinstance(ty, DynamicPseudoType):
        return DYNAMIC_VAL, []
    if isinstance(ty, ListType | TupleType | MapType):
        want = STRING if isinstance(ty, MapType) else NUMBER
        try:
            key = _conv(key, want)
        except ConversionError as exc:
            return _no_such_element(rng, str(exc))
        has = v.has_index(coll, key)
        if not has.is_known:
            if isinstance(ty, TupleType):
                return DYNAMIC_VAL, []
            return v.unknown_val(ty.element_type()), []
        if not has.true():
            if isinstance(ty, ListType | TupleType) and key.is_known and not key.is_null:
                bf = key.as_bigfloat()
                if not bf.is_int() and not bf.is_inf:
                    from packer_py.interpolate.hcl.numbers import format_go_float64

                    return _no_such_element(
                        rng,
                        "indexing a sequence requires a whole number, but the given index "
                        f"({format_go_float64(bf.to_float())}) has a fractional part",
                    )
            return _no_such_element(rng)
        return v.index(coll, key), []
    if isinstance(ty, ObjectType):
        try:
            key = _conv(key, STRING)
        except ConversionError as exc:
            return _no_such_element(rng, str(exc))
        if not coll.is_known or not key.is_known:
            return DYNAMIC_VAL, []
        name = key.as_string()
        if name not in ty.attribute_types:
            return _no_such_element(rng)
        return v.get_attr(coll, name), []
    return DYNAMIC_VAL, [_diag("Invalid index", "This value does not have any indices.", rng)]


def _no_such_element(rng: Range | None, reason: str | None = None) -> tuple[Value, list[HclDiagnostic]]:
    """``hcl.Index``'s error for a key that names no element of the collection, with cty's reason when it gives one."""
    detail = "The given key does not identify an element in this collection value"
    return DYNAMIC_VAL, [_diag("Invalid index", f"{detail}." if reason is None else f"{detail}: {reason}.", rng)]


def get_attr(obj: Value, name: str, rng: Range | None) -> tuple[Value, list[HclDiagnostic]]:
    """``hcl.GetAttr``."""
    if obj.is_null:
        return DYNAMIC_VAL, [
            _diag(
                "Attempt to get attribute from null value",
                "This value is null, so it does not have any attributes.",
                rng,
            )
        ]
    ty = obj.type
    if isinstance(ty, ObjectType):
        if name not in ty.attribute_types:
            return DYNAMIC_VAL, [
                _diag("Unsupported attribute", f"This object does not have an attribute named {_q(name)}.", rng)
            ]
        return v.get_attr(obj, name), []
    if isinstance(ty, MapType):
        if not obj.is_known:
            return v.unknown_val(ty.element), []
        if name not in obj.attrs():
            return DYNAMIC_VAL, [
                _diag("Missing map element", f"This map does not have an element with the key {_q(name)}.", rng)
            ]
        return obj.attrs()[name], []
    if isinstance(ty, DynamicPseudoType):
        return DYNAMIC_VAL, []
    return DYNAMIC_VAL, [_diag("Unsupported attribute", "This value does not have any attributes.", rng)]


def traverse_rel(val: Value, steps: list[s.Traverser]) -> tuple[Value, list[HclDiagnostic]]:
    for step in steps:
        if isinstance(step, s.TraverseAttr):
            val, diags = get_attr(val, step.name, step.range)
        else:
            assert isinstance(step, s.TraverseIndex)
            val, diags = index_value(val, step.key, step.range)
        if _has_errors(diags):
            return DYNAMIC_VAL, diags
    return val, []


def traverse_abs(trav: list[s.Traverser], ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    root = trav[0]
    assert isinstance(root, s.TraverseRoot)
    tables = [scope.variables for scope in _scopes(ctx) if scope.variables is not None]
    if not tables:
        return DYNAMIC_VAL, [_diag("Variables not allowed", "Variables may not be used here.", root.range)]
    for table in tables:
        if root.name in table:
            return traverse_rel(table[root.name], trav[1:])
    suggestion = s.name_suggestion(root.name, [name for table in tables for name in table])
    suggestion = f" Did you mean {_q(suggestion)}?" if suggestion else ""
    return DYNAMIC_VAL, [
        _diag("Unknown variable", f"There is no variable named {_q(root.name)}.{suggestion}", root.range)
    ]


def _q(text: str) -> str:
    from packer_py.gofmt import quote as go_quote

    return go_quote(text)


def _set_ctx(diags: list[HclDiagnostic], expr: s.Expr, ctx: EvalContext | None) -> list[HclDiagnostic]:
    """``setDiagEvalContext``."""
    for d in diags:
        if d.expression is None:
            d.expression = expr
            d.eval_ctx = ctx
    return diags


# ---------------------------------------------------------------------------------------------------------------
# operators (cty stdlib functions)

_OP_FAIL = {
    "+": "can't compute sum of opposing infinities",
    "-": "can't subtract infinity from itself",
    "*": "can't multiply zero by infinity",
    "/": "can't divide zero by zero or infinity by infinity",
    "%": "can't use modulo with zero and infinity",
}
_OP_IMPL = {
    "||": v.or_,
    "&&": v.and_,
    "==": v.equals,
    "!=": lambda a, b: v.not_(v.equals(a, b)),
    ">": v.greater_than,
    ">=": v.greater_than_or_equal,
    "<": v.less_than,
    "<=": v.less_than_or_equal,
    "+": v.add,
    "-": v.subtract,
    "*": v.multiply,
    "/": v.divide,
    "%": v.modulo,
}
_OP_PARAM = {"||": BOOL, "&&": BOOL, "==": DYNAMIC, "!=": DYNAMIC}
_OP_RESULT = {"+": NUMBER, "-": NUMBER, "*": NUMBER, "/": NUMBER, "%": NUMBER}


# ---------------------------------------------------------------------------------------------------------------
# the evaluator


class _Thunk:
    """``customdecode.ExpressionClosure`` for ``try``/``can``."""

    def __init__(self, expr: s.Expr, ctx: EvalContext | None) -> None:
        self.expr = expr
        self.ctx = ctx

    def evaluate(self) -> Value:
        val, diags = evaluate(self.expr, self.ctx)
        errors = [d for d in diags if d.is_error]
        if errors:
            from packer_py.interpolate.hcl.functions.spec import ExpressionFailed, ThunkDiagnostic

            raise ExpressionFailed(
                [ThunkDiagnostic(d.summary, d.detail, str(d.subject) if d.subject else None) for d in errors]
            )
        return val

    def depends_on_unknowns(self) -> bool:
        for trav in s.walk_traversals(self.expr):
            val, diags = traverse_abs(trav.traversal, self.ctx)
            if not diags and not val.is_wholly_known():
                return True
        return False


def evaluate(expr: s.Expr, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    """``Expression.Value(ctx)``."""
    fn = _DISPATCH.get(type(expr))
    if fn is None:  # pragma: no cover - every node type is registered
        raise TypeError(f"cannot evaluate {type(expr).__name__}")
    result: tuple[Value, list[HclDiagnostic]] = fn(expr, ctx)
    return result


def _literal(e: s.LiteralValue, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    return e.val, []


def _scope_traversal(e: s.ScopeTraversal, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    val, diags = traverse_abs(e.traversal, ctx)
    return val, _set_ctx(diags, e, ctx)


def _relative_traversal(e: s.RelativeTraversal, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    src, diags = evaluate(e.source, ctx)
    ret, tdiags = traverse_rel(src, e.traversal)
    return ret, diags + _set_ctx(tdiags, e, ctx)


def _anon(e: s.AnonSymbol, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    for scope in _scopes(ctx):
        if id(e) in scope.anon:
            return scope.anon[id(e)], []
    return DYNAMIC_VAL, []


def _template(e: s.Template, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    out: list[str] = []
    diags: list[HclDiagnostic] = []
    known = True
    for part in e.parts:
        pv, pdiags = evaluate(part, ctx)
        diags += pdiags
        if pv.is_null:
            diags.append(
                _part_diag(
                    "Invalid template interpolation value",
                    "The expression result is null. Cannot include a null value in a string template.",
                    part,
                    e,
                    ctx,
                )
            )
            continue
        if not pv.is_known:
            known = False
            continue
        try:
            sv = _conv(pv, STRING)
        except ConversionError as exc:
            diags.append(
                _part_diag(
                    "Invalid template interpolation value",
                    f"Cannot include the given value in a string template: {exc}.",
                    part,
                    e,
                    ctx,
                )
            )
            continue
        if not sv.is_known:
            known = False
            continue
        out.append(sv.as_string())
    if not known:
        return v.unknown_val(STRING), diags
    return v.string_val("".join(out)), diags


def _template_wrap(e: s.TemplateWrap, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    return evaluate(e.wrapped, ctx)


def _template_join(e: s.TemplateJoin, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    tup, diags = evaluate(e.tuple, ctx)
    if isinstance(tup.type, DynamicPseudoType) or not tup.is_known:
        return v.unknown_val(STRING), diags
    out: list[str] = []
    for _, item in tup.iter_items():
        if item.is_null:
            diags.append(
                _diag(
                    "Invalid template interpolation value",
                    "An iteration result is null. Cannot include a null value in a string template.",
                    e.range,
                    None,
                    e,
                    ctx,
                )
            )
            continue
        if isinstance(item.type, DynamicPseudoType):
            return v.unknown_val(STRING), diags
        try:
            sv = _conv(item, STRING)
        except ConversionError as exc:
            diags.append(
                _diag(
                    "Invalid template interpolation value",
                    f"Cannot include one of the interpolation results into the string template: {exc}.",
                    e.range,
                    None,
                    e,
                    ctx,
                )
            )
            continue
        if not item.is_known:
            return v.unknown_val(STRING), diags
        out.append(sv.as_string())
    return v.string_val("".join(out)), diags


def _tuple_cons(e: s.TupleCons, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    vals: list[Value] = []
    diags: list[HclDiagnostic] = []
    for sub in e.exprs:
        val, d = evaluate(sub, ctx)
        vals.append(val)
        diags += d
    return v.tuple_val(vals), diags


def _object_key(e: s.ObjectConsKey, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    if not e.force_non_literal:
        w = e.wrapped
        if isinstance(w, s.ScopeTraversal) and len(w.traversal) > 1:
            return DYNAMIC_VAL, [
                _diag(
                    "Ambiguous attribute key",
                    "If this expression is intended to be a reference, wrap it in parentheses. If it's instead "
                    "intended as a literal name containing periods, wrap it in quotes to create a string literal.",
                    e.range,
                )
            ]
        name = s.expr_as_keyword(w)
        if name:
            return v.string_val(name), []
    return evaluate(e.wrapped, ctx)


def _object_cons(e: s.ObjectCons, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    vals: dict[str, Value] = {}
    diags: list[HclDiagnostic] = []
    known = True
    for kexpr, vexpr in e.items:
        key, kdiags = evaluate(kexpr, ctx)
        diags += kdiags
        val, vdiags = evaluate(vexpr, ctx)
        diags += vdiags
        if _has_errors(kdiags):
            known = False
            continue
        if key.is_null:
            diags.append(_diag("Null value as key", "Can't use a null value as a key.", vexpr.range, None, kexpr, ctx))
            known = False
            continue
        try:
            key = _conv(key, STRING)
        except ConversionError as exc:
            diags.append(
                _diag("Incorrect key type", f"Can't use this value as a key: {exc}.", kexpr.range, None, kexpr, ctx)
            )
            known = False
            continue
        if not key.is_known:
            known = False
            continue
        vals[key.as_string()] = val
    if not known:
        return DYNAMIC_VAL, diags
    return v.object_val(vals), diags


def _conditional(e: s.Conditional, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    tr, tdiags = evaluate(e.true_result, ctx)
    fr, fdiags = evaluate(e.false_result, ctx)
    diags: list[HclDiagnostic] = []
    null_dyn = v.null_val(DYNAMIC)
    result_type: CtyType | None = DYNAMIC
    convs: list[Any] = [None, None]
    if tr == null_dyn:
        result_type = fr.type
        convs[0] = get_conversion_unsafe(DYNAMIC, result_type)
    elif fr == null_dyn:
        result_type = tr.type
        convs[1] = get_conversion_unsafe(DYNAMIC, result_type)
    elif isinstance(tr.type, DynamicPseudoType) or isinstance(fr.type, DynamicPseudoType):
        pass
    else:
        result_type, convs = unify_unsafe([tr.type, fr.type])
    if result_type is None:
        return DYNAMIC_VAL, [
            _diag(
                "Inconsistent conditional result types",
                "The true and false result expressions must have consistent types. The given expressions are "
                f"{tr.type.friendly_name()} and {fr.type.friendly_name()}, respectively.",
                between(e.true_result.range, e.false_result.range),
                e.range,
                e,
                ctx,
            )
        ]
    cond, cdiags = evaluate(e.condition, ctx)
    diags += cdiags
    if cond.is_null:
        diags.append(
            _part_diag(
                "Null condition",
                "The condition value is null. Conditions must either be true or false.",
                e.condition,
                e,
                ctx,
            )
        )
        return v.unknown_val(result_type), diags
    if not cond.is_known:
        return v.unknown_val(result_type), diags
    try:
        cond = _conv(cond, BOOL)
    except ConversionError:
        diags.append(
            _part_diag(
                "Incorrect condition type", "The condition expression must be of type bool.", e.condition, e, ctx
            )
        )
        return v.unknown_val(result_type), diags
    if not cond.is_known:
        return v.unknown_val(result_type), diags
    pick, pdiags, conv, which, sub = (
        (tr, tdiags, convs[0], "true", e.true_result)
        if cond.true()
        else (fr, fdiags, convs[1], "false", e.false_result)
    )
    diags += pdiags
    if conv is not None:
        try:
            pick = conv(pick, ())
        except ConversionError as exc:
            diags.append(
                _part_diag(
                    "Inconsistent conditional result types",
                    f"The {which} result value has the wrong type: {exc}.",
                    sub,
                    e,
                    ctx,
                )
            )
            pick = v.unknown_val(result_type)
    return pick, diags


def _binary(e: s.BinaryOp, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    param = _OP_PARAM.get(e.op, NUMBER)
    result_ty = BOOL if e.op not in _OP_RESULT else NUMBER
    lv, ldiags = evaluate(e.lhs, ctx)
    rv, rdiags = evaluate(e.rhs, ctx)
    diags = ldiags + rdiags
    lv = _operand(lv, param, "left", e.lhs, e, ctx, diags)
    rv = _operand(rv, param, "right", e.rhs, e, ctx, diags)
    if _has_errors(diags):
        return v.unknown_val(result_ty), diags
    if param != DYNAMIC:
        for val in (lv, rv):
            if val.is_null:
                diags.append(_operation_failed("argument must not be null", e, ctx))
                return v.unknown_val(result_ty), diags
        if not lv.is_known or not rv.is_known:
            return v.unknown_val(result_ty), diags
    try:
        return _OP_IMPL[e.op](lv, rv), diags
    except (NaNError, ArithmeticError, ValueError):
        diags.append(_operation_failed(_OP_FAIL.get(e.op, "failed"), e, ctx))
        return v.unknown_val(result_ty), diags


def _operand(
    val: Value,
    param: CtyType,
    which: str,
    part: s.Expr,
    whole: s.BinaryOp | s.UnaryOp,
    ctx: EvalContext | None,
    diags: list[HclDiagnostic],
) -> Value:
    """An operand converted to the operator's parameter type; an unsuitable one is reported (as ``which`` operand)
    and left as it is, for the caller to stop on the error."""
    try:
        return _conv(val, param)
    except ConversionError as exc:
        diags.append(_part_diag("Invalid operand", f"Unsuitable value for {which} operand: {exc}.", part, whole, ctx))
        return val


def _operation_failed(reason: str, e: s.BinaryOp | s.UnaryOp, ctx: EvalContext | None) -> HclDiagnostic:
    """cty's operation errors, which hclsyntax reports on the whole operation."""
    return _diag("Operation failed", f"Error during operation: {reason}.", e.range, None, e, ctx)


def _unary(e: s.UnaryOp, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    param = NUMBER if e.op == "neg" else BOOL
    val, diags = evaluate(e.val, ctx)
    val = _operand(val, param, "unary", e.val, e, ctx, diags)
    if _has_errors(diags):
        return v.unknown_val(param), diags
    if val.is_null:
        diags.append(_operation_failed("argument must not be null", e, ctx))
        return v.unknown_val(param), diags
    if not val.is_known:
        return v.unknown_val(param), diags
    return (v.negate(val) if e.op == "neg" else v.not_(val)), diags


def _index(e: s.IndexExpr, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    coll, cdiags = evaluate(e.collection, ctx)
    key, kdiags = evaluate(e.key, ctx)
    val, idiags = index_value(coll, key, e.bracket_range)
    return val, cdiags + kdiags + _set_ctx(idiags, e, ctx)


def _for(e: s.ForExpr, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    coll, diags = evaluate(e.coll, ctx)
    if coll.is_null:
        diags.append(
            _part_diag(
                "Iteration over null value",
                "A null value cannot be used as the collection in a 'for' expression.",
                e.coll,
                e,
                ctx,
            )
        )
        return DYNAMIC_VAL, diags
    if isinstance(coll.type, DynamicPseudoType):
        return DYNAMIC_VAL, diags
    if not coll.can_iterate_elements():
        diags.append(
            _part_diag(
                "Iteration over non-iterable value",
                f"A value of type {coll.type.friendly_name()} cannot be used as the collection in a 'for' expression.",
                e.coll,
                e,
                ctx,
            )
        )
        return DYNAMIC_VAL, diags
    if not coll.is_known:
        return DYNAMIC_VAL, diags

    def scope(k: Value, val: Value) -> EvalContext:
        child = EvalContext({}, None, ctx or EvalContext())
        assert child.variables is not None
        if e.key_var:
            child.variables[e.key_var] = k
        child.variables[e.val_var] = val
        return child

    if e.cond is not None:
        result, cdiags = evaluate(e.cond, scope(DYNAMIC_VAL, DYNAMIC_VAL))
        diags += cdiags
        if result.is_null:
            diags.append(
                _part_diag("Condition is null", "The value of the 'if' clause must not be null.", e.cond, e, ctx)
            )
            return DYNAMIC_VAL, diags
        try:
            _conv(result, BOOL)
        except ConversionError as exc:
            diags.append(
                _part_diag("Invalid 'for' condition", f"The 'if' clause value is invalid: {exc}.", e.cond, e, ctx)
            )
            return DYNAMIC_VAL, diags
        if _has_errors(cdiags):
            return DYNAMIC_VAL, diags

    known = True
    tuple_vals: list[Value] = []
    obj_vals: dict[str, Value] = {}
    groups: dict[str, list[Value]] = {}

    def skip_item(summary: str, detail: str, part: s.Expr, child: EvalContext) -> None:
        """An item whose condition or key is unusable makes the result unknown; only the first is reported."""
        nonlocal known
        if known:
            diags.append(_part_diag(summary, detail, part, e, child))
        known = False

    for k, item in coll.iter_items():
        child = scope(k, item)
        if e.cond is not None:
            inc, cdiags = evaluate(e.cond, child)
            diags += cdiags
            if inc.is_null:
                skip_item("Invalid 'for' condition", "The value of the 'if' clause must not be null.", e.cond, child)
                continue
            if e.key is None and not inc.is_known:
                known = False
                continue
            try:
                inc = _conv(inc, BOOL)
            except ConversionError as exc:
                skip_item("Invalid 'for' condition", f"The 'if' clause value is invalid: {exc}.", e.cond, child)
                continue
            if not inc.is_known:
                known = False
                continue
            if not inc.true():
                continue
        if e.key is None:
            val, vdiags = evaluate(e.val, child)
            diags += vdiags
            tuple_vals.append(val)
            continue
        kraw, kdiags = evaluate(e.key, child)
        diags += kdiags
        if kraw.is_null:
            skip_item(
                "Invalid object key", "Key expression in 'for' expression must not produce a null value.", e.key, child
            )
            continue
        if not kraw.is_known:
            known = False
            continue
        try:
            key = _conv(kraw, STRING)
        except ConversionError as exc:
            skip_item("Invalid object key", f"The key expression produced an invalid result: {exc}.", e.key, child)
            continue
        val, vdiags = evaluate(e.val, child)
        diags += vdiags
        ks = key.as_string()
        if e.group:
            groups.setdefault(ks, []).append(val)
        elif ks in obj_vals:
            diags.append(
                _part_diag(
                    "Duplicate object key",
                    f"Two different items produced the key {_q(ks)} in this 'for' expression. If duplicates are "
                    "expected, use the ellipsis (...) after the value expression to enable grouping by key.",
                    e.key,
                    e,
                    child,
                )
            )
        else:
            obj_vals[ks] = val
    if not known:
        return DYNAMIC_VAL, diags
    if e.key is None:
        return v.tuple_val(tuple_vals), diags
    if e.group:
        obj_vals = {k: v.tuple_val(g) for k, g in groups.items()}
    return v.object_val(obj_vals), diags


def _splat(e: s.Splat, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    src, diags = evaluate(e.source, ctx)
    if _has_errors(diags):
        return DYNAMIC_VAL, diags
    ty = src.type
    if isinstance(ty, DynamicPseudoType):
        return DYNAMIC_VAL, diags
    upgrade = not isinstance(ty, TupleType | ListType | SetType)
    if src.is_null:
        if upgrade:
            return v.tuple_val([]), diags
        diags.append(
            _diag(
                "Splat of null value",
                "Splat expressions (with the * symbol) cannot be applied to null sequences.",
                e.source.range,
                between(e.source.range, e.marker_range),
                e.source,
                ctx,
            )
        )
        return DYNAMIC_VAL, diags
    if upgrade:
        src = v.tuple_val([src])
        ty = src.type
    base = ctx or EvalContext()

    def each(item: Value) -> tuple[Value, list[HclDiagnostic]]:
        child = EvalContext(None, None, base)
        child.anon[id(e.item)] = item
        return evaluate(e.each, child)

    def result_type() -> tuple[CtyType, list[HclDiagnostic]]:
        if isinstance(ty, ListType | SetType):
            val, d = each(v.unknown_val(ty.element))
            return ListType(val.type), d
        if isinstance(ty, TupleType):
            tys, ds = [], []
            for ety in ty.elements:
                val, d = each(v.unknown_val(ety))
                tys.append(val.type)
                ds += d
            return TupleType(tuple(tys)), ds
        return DYNAMIC, []

    if not src.is_known:
        rty, rd = result_type()
        return v.unknown_val(rty), diags + rd
    vals: list[Value] = []
    ok = True
    for _, item in src.iter_items():
        nv, idiags = each(item)
        diags += idiags
        if _has_errors(idiags):
            ok = False
        vals.append(nv)
    if not ok:
        rty, _ = result_type()
        return v.unknown_val(rty), diags
    if isinstance(ty, ListType | SetType):
        if not vals:
            rty, rd = result_type()
            assert isinstance(rty, ListType)
            return v.list_val_empty(rty.element), diags + rd
        return v.list_val(vals), diags
    return v.tuple_val(vals), diags


def _type_node(expr: s.Expr) -> Any:
    """The ``TypeNode`` tree of ``typeexpr`` for an expression used as a type (``convert``'s second argument)."""
    from packer_py.interpolate.hcl import typeexpr as t
    from packer_py.interpolate.hcl.jsonsyntax import JString

    if isinstance(expr, JsonExpression):
        # HCL JSON spells a type as a string holding native syntax ("string", "list(string)")
        if not isinstance(expr.node, JString):
            return t.TOther(type(expr.node).__name__)
        native, diags = s.parse_expression(expr.node.value, expr.node.src_range.filename, expr.node.src_range.start)
        if any(d.is_error for d in diags):
            return t.TOther("invalid")
        return _type_node(native)
    if isinstance(expr, s.ScopeTraversal) and len(expr.traversal) == 1:
        return t.TKeyword(expr.traversal[0].name)  # type: ignore[union-attr]
    if isinstance(expr, s.FunctionCall):
        return t.TCall(expr.name, tuple(_type_node(a) for a in expr.args))
    if isinstance(expr, s.ObjectCons):
        return t.TMap(tuple((_type_node(k.wrapped), _type_node(val)) for k, val in expr.items))
    if isinstance(expr, s.TupleCons):
        return t.TList(tuple(_type_node(x) for x in expr.exprs))
    return t.TOther(type(expr).__name__)


def _call(e: s.FunctionCall, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    diags: list[HclDiagnostic] = []
    tables = [scope.functions for scope in _scopes(ctx) if scope.functions is not None]
    f = None
    for table in tables:
        f = table.get(e.name)
        if f is not None:
            break
    if f is None:
        if not tables:
            return DYNAMIC_VAL, [
                _diag("Function calls not allowed", "Functions may not be called here.", e.range, None, e, ctx)
            ]
        avail = sorted(ctx.functions or ()) if ctx else []
        suggestion = s.name_suggestion(e.name, avail)
        suggestion = f" Did you mean {_q(suggestion)}?" if suggestion else ""
        return DYNAMIC_VAL, [
            _diag(
                "Call to unknown function",
                f"There is no function named {_q(e.name)}.{suggestion}",
                e.name_range,
                e.range,
                e,
                ctx,
            )
        ]
    params = list(f.params)
    var_param = f.var_param
    args: list[s.Expr] = list(e.args)
    if e.expand_final:
        last = args[-1]
        ev, ediags = evaluate(last, ctx)
        diags += ediags
        if _has_errors(ediags):
            return DYNAMIC_VAL, diags
        ety = ev.type
        if isinstance(ety, DynamicPseudoType) or isinstance(ety, TupleType | ListType | SetType):
            if ev.is_null:
                diags.append(
                    _part_diag(
                        "Invalid expanding argument value",
                        "The expanding argument (indicated by ...) must not be null.",
                        last,
                        e,
                        ctx,
                    )
                )
                return DYNAMIC_VAL, diags
            if isinstance(ety, DynamicPseudoType) or not ev.is_known:
                return DYNAMIC_VAL, diags
            args = args[:-1] + [s.LiteralValue(item, last.range) for _, item in ev.iter_items()]
        else:
            diags.append(
                _part_diag(
                    "Invalid expanding argument value",
                    "The expanding argument (indicated by ...) must be of a tuple, list, or set type.",
                    last,
                    e,
                    ctx,
                )
            )
            return DYNAMIC_VAL, diags
    if len(args) < len(params):
        qual = " at least" if var_param is not None else ""
        return DYNAMIC_VAL, [
            _diag(
                "Not enough function arguments",
                f"Function {_q(e.name)} expects{qual} {len(params)} argument(s). Missing value for "
                f"{_q(params[len(args)].name)}.",
                e.close_range,
                e.range,
                e,
                ctx,
            )
        ]
    if var_param is None and len(args) > len(params):
        return DYNAMIC_VAL, [
            _diag(
                "Too many function arguments",
                f"Function {_q(e.name)} expects only {len(params)} argument(s).",
                args[len(params)].start_range,
                e.range,
                e,
                ctx,
            )
        ]
    arg_vals: list[Any] = []
    for i, aexpr in enumerate(args):
        param = params[i] if i < len(params) else var_param
        kind = getattr(param, "kind", "value")
        if kind == "expression":
            arg_vals.append(_Thunk(aexpr, ctx))
            continue
        if kind == "type":
            from packer_py.interpolate.hcl.typeexpr import TypeSpecError, type_constraint

            try:
                arg_vals.append(type_constraint(_type_node(aexpr)))
            except TypeSpecError as exc:
                diags.append(_diag(exc.summary, exc.detail, aexpr.range))
                arg_vals.append(DYNAMIC)
            continue
        val, adiags = evaluate(aexpr, ctx)
        diags += adiags
        try:
            val = _conv(val, param.type)
        except ConversionError as exc:
            diags.append(
                _diag(
                    "Invalid function argument",
                    f"Invalid value for {_q(param.name)} parameter: {exc}.",
                    aexpr.start_range,
                    e.range,
                    aexpr,
                    ctx,
                )
            )
        arg_vals.append(val)
    if _has_errors(diags):
        return DYNAMIC_VAL, diags
    from packer_py.interpolate.hcl.functions.spec import FunctionCallError

    try:
        return f.call(arg_vals), diags
    except FunctionCallError as exc:
        if exc.arg_index is not None:
            i = exc.arg_index
            param = params[i] if i < len(params) else var_param
            name = param.name if param is not None else ""
            expression: s.Expr
            if i > len(e.args) - 1:
                subject, expression = args[min(len(params), len(args) - 1)].start_range, e
            else:
                subject, expression = e.args[i].start_range, e.args[i]
            diags.append(
                _diag(
                    "Invalid function argument",
                    f"Invalid value for {_q(name)} parameter: {exc.message}.",
                    subject,
                    e.range,
                    expression,
                    ctx,
                )
            )
        else:
            diags.append(
                _diag(
                    "Error in function call",
                    f"Call to function {_q(e.name)} failed: {exc.message}.",
                    e.start_range,
                    e.range,
                    e,
                    ctx,
                )
            )
        return DYNAMIC_VAL, diags


def _json(e: JsonExpression, ctx: EvalContext | None) -> tuple[Value, list[HclDiagnostic]]:
    return json_value(e, ctx)


_DISPATCH: dict[type, Any] = {
    JsonExpression: _json,
    s.LiteralValue: _literal,
    s.ScopeTraversal: _scope_traversal,
    s.RelativeTraversal: _relative_traversal,
    s.AnonSymbol: _anon,
    s.Template: _template,
    s.TemplateWrap: _template_wrap,
    s.TemplateJoin: _template_join,
    s.TupleCons: _tuple_cons,
    s.ObjectConsKey: _object_key,
    s.ObjectCons: _object_cons,
    s.Conditional: _conditional,
    s.BinaryOp: _binary,
    s.UnaryOp: _unary,
    s.IndexExpr: _index,
    s.ForExpr: _for,
    s.Splat: _splat,
    s.FunctionCall: _call,
}


def evaluate_text(
    text: str, ctx: EvalContext | None, filename: str = "<console-input>"
) -> tuple[Value, list[HclDiagnostic]]:
    """Parse and evaluate one expression (what ``packer console`` does with a line)."""
    expr, diags = s.parse_expression(text, filename)
    if _has_errors(diags):
        return DYNAMIC_VAL, diags
    val, more = evaluate(expr, ctx)
    return val, diags + more
