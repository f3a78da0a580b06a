"""Collection functions: cty's ``stdlib`` collection, sequence and set functions, go-cty-funcs' ``coalesce``,
and Packer's ``length``, ``index`` (newest), ``alltrue``/``anytrue``.

Return types are computed from argument types first (cty's ``Type`` callbacks), so the same messages appear
whatever the values: ``concat`` unifies lists, ``merge`` of differing maps/objects gives an object, ``setproduct``
gives a list when every argument is a list or tuple.
"""

from __future__ import annotations

from collections.abc import Sequence

from packer_py.interpolate.hcl.convert import ConversionError, convert, unify_unsafe
from packer_py.interpolate.hcl.functions.gocty import GoValueError, int_arg, to_int
from packer_py.interpolate.hcl.functions.spec import (
    Arg,
    FunctionCallError,
    HclFunction,
    Param,
    define,
    unknown_result,
    value,
    values,
)
from packer_py.interpolate.hcl.functions.strings import strlen
from packer_py.interpolate.hcl.types import (
    BOOL,
    DYNAMIC,
    EMPTY_OBJECT,
    EMPTY_TUPLE,
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
from packer_py.interpolate.hcl.values import (
    DYNAMIC_VAL,
    EMPTY_TUPLE_VAL,
    FALSE,
    TRUE,
    Value,
    add,
    equals,
    greater_than,
    has_index,
    index,
    less_than,
    list_val,
    list_val_empty,
    map_val,
    map_val_empty,
    null_val,
    number_int_val,
    object_val,
    set_val,
    set_val_empty,
    string_val,
    tuple_val,
    unknown_val,
)


def _sequence_val(ret: CtyType, elems: Sequence[Value]) -> Value:
    """The result of a function whose type callback chose a tuple (from tuple or object arguments) or a list: cty
    builds a ``TupleVal`` or a ``ListVal``, and an empty list keeps its element type (``ListValEmpty``)."""
    if ret.is_tuple:
        return tuple_val(elems)
    return list_val(elems) if elems else list_val_empty(ret.element_type())


def _length_type(args: Sequence[Arg]) -> CtyType:
    ty = value(args, 0).type
    if not (ty == STRING or ty.is_tuple or ty.is_object or ty.is_collection or isinstance(ty, DynamicPseudoType)):
        raise FunctionCallError(None, "argument must be a string, a collection type, or a structural type")
    return NUMBER


def _length(args: Sequence[Arg], ret: CtyType) -> Value:
    coll = value(args, 0)
    ty = coll.type
    if isinstance(ty, DynamicPseudoType):
        return unknown_val(NUMBER)
    if isinstance(ty, TupleType):
        return number_int_val(len(ty.elements))
    if isinstance(ty, ObjectType):
        return number_int_val(len(ty.attrs))
    if not coll.is_known:
        return unknown_val(NUMBER)
    if ty == STRING:
        return number_int_val(strlen(coll.as_string()))
    return number_int_val(coll.length_int())


def _index_legacy_type(args: Sequence[Arg]) -> CtyType:
    coll, key = value(args, 0), value(args, 1)
    cty, kty = coll.type, key.type
    dyn = isinstance(kty, DynamicPseudoType)
    if isinstance(cty, TupleType):
        if kty != NUMBER and not dyn:
            raise FunctionCallError(None, "key for tuple must be number")
        if not key.is_known:
            return DYNAMIC
        try:
            idx = to_int(key)
        except GoValueError as exc:
            raise FunctionCallError(None, f"invalid key for tuple: {exc}") from None
        if idx >= len(cty.elements) or idx < 0:
            raise FunctionCallError(None, f"key must be between 0 and {len(cty.elements)} inclusive")
        return cty.elements[idx]
    if isinstance(cty, ListType):
        if kty != NUMBER and not dyn:
            raise FunctionCallError(None, "key for list must be number")
        return cty.element
    if isinstance(cty, MapType):
        if kty != STRING and not dyn:
            raise FunctionCallError(None, "key for map must be string")
        return cty.element
    raise FunctionCallError(None, "collection must be a list, a map or a tuple")


def _index_legacy(args: Sequence[Arg], ret: CtyType) -> Value:
    coll, key = value(args, 0), value(args, 1)
    if not has_index(coll, key).true():
        raise FunctionCallError(None, "invalid index")
    return index(coll, key)


def _index_newest(args: Sequence[Arg], ret: CtyType) -> Value:
    lst, needle = value(args, 0), value(args, 1)
    if not (lst.type.is_list or lst.type.is_tuple):
        raise FunctionCallError(None, "argument must be a list or tuple")
    if not lst.is_known:
        return unknown_val(NUMBER)
    if lst.length_int() == 0:
        raise FunctionCallError(None, "cannot search an empty list")
    for i, elem in enumerate(lst.elements()):
        eq = equals(elem, needle)
        if not eq.is_known:
            return unknown_val(NUMBER)
        if eq.true():
            return number_int_val(i)
    raise FunctionCallError(None, "item not found")


def _element_type(args: Sequence[Arg]) -> CtyType:
    lst = value(args, 0)
    ty = lst.type
    if isinstance(ty, ListType):
        return ty.element
    if isinstance(ty, TupleType):
        if not value(args, 1).is_known:
            return DYNAMIC
        idx = int_arg(value(args, 1), None, "invalid index: ")
        if not ty.elements:
            raise FunctionCallError(None, "cannot use element function with an empty list")
        return ty.elements[_go_mod(idx, len(ty.elements))]
    raise FunctionCallError(None, f"cannot read elements from {ty.friendly_name()}")


def _go_mod(a: int, b: int) -> int:
    """Go's ``%`` (truncated): the sign follows the dividend."""
    r = abs(a) % b
    return -r if a < 0 else r


def _element(args: Sequence[Arg], ret: CtyType) -> Value:
    idx = int_arg(value(args, 1), None, "invalid index: ")
    lst = value(args, 0)
    if not lst.is_known:
        return unknown_result(ret)
    n = lst.length_int()
    if n == 0:
        raise FunctionCallError(None, "cannot use element function with an empty list")
    idx = _go_mod(idx, n)
    if idx < 0:
        raise FunctionCallError(
            None, "panic in function implementation: element key for list must be non-negative integer"
        )
    return lst.elements()[idx]


def _coalescelist_type(args: Sequence[Arg]) -> CtyType:
    vals = values(args)
    if not vals:
        raise FunctionCallError(None, "at least one argument is required")
    types = []
    for v in vals:
        if not v.is_known:
            return DYNAMIC
        if not (v.type.is_list or v.type.is_tuple):
            raise FunctionCallError(None, "coalescelist arguments must be lists or tuples")
        types.append(v.type)
    return types[0] if all(t == types[0] for t in types[1:]) else DYNAMIC


def _coalescelist(args: Sequence[Arg], ret: CtyType) -> Value:
    for v in values(args):
        if not v.is_known:
            return unknown_result(ret)
        if v.length_int() > 0:
            return v
    raise FunctionCallError(None, "no non-null arguments")


def _compact(args: Sequence[Arg], ret: CtyType) -> Value:
    lst = value(args, 0)
    if not lst.is_wholly_known():
        return unknown_val(ret)
    kept = [v for v in lst.elements() if not v.is_null and v.as_string() != ""]
    return list_val(kept) if kept else list_val_empty(STRING)


def _contains(args: Sequence[Arg], ret: CtyType) -> Value:
    coll, needle = value(args, 0), value(args, 1)
    ty = coll.type
    if not (ty.is_list or ty.is_tuple or ty.is_set):
        raise FunctionCallError(None, "argument must be list, tuple, or set")
    if coll.is_null:
        raise FunctionCallError(None, "cannot search a nil list or set")
    if coll.length_int() == 0:
        return FALSE
    if not coll.is_known or not needle.is_known:
        return unknown_val(BOOL)
    unknown = False
    for v in coll.elements():
        eq = equals(needle, v)
        if not eq.is_known:
            unknown = True
            continue
        if eq.true():
            return TRUE
    return unknown_val(BOOL) if unknown else FALSE


def _distinct(args: Sequence[Arg], ret: CtyType) -> Value:
    lst = value(args, 0)
    if not lst.is_wholly_known():
        return unknown_val(ret)
    out: list[Value] = []
    for v in lst.elements():
        if not any(equals(e, v).true() for e in out):
            out.append(v)
    return list_val(out) if out else list_val_empty(ret.element_type())


def _chunklist(args: Sequence[Arg], ret: CtyType) -> Value:
    lst = value(args, 0)
    if not lst.is_known:
        return unknown_val(ret)
    if lst.length_int() == 0:
        return list_val_empty(lst.type)
    size = int_arg(value(args, 1), None, "invalid index: ")
    if size < 0:
        raise FunctionCallError(None, "the size argument must be positive")
    if size == 0:
        return list_val([lst])
    elems = lst.elements()
    chunks = [list_val(elems[i : i + size]) for i in range(0, len(elems), size)]
    return list_val(chunks)


def _flatten_values(v: Value) -> tuple[list[Value], bool]:
    out: list[Value] = []
    for elem in v.elements():
        ty = elem.type
        if ty.is_list or ty.is_set or ty.is_tuple:
            if not elem.is_known:
                return out, False
            sub, known = _flatten_values(elem)
            if not known:
                return sub, False
            out.extend(sub)
        else:
            out.append(elem)
    return out, True


def _flatten_type(args: Sequence[Arg]) -> CtyType:
    v = value(args, 0)
    if not v.is_wholly_known():
        return DYNAMIC
    ty = v.type
    if not (ty.is_list or ty.is_set or ty.is_tuple):
        raise FunctionCallError(None, "can only flatten lists, sets and tuples")
    flat, known = _flatten_values(v)
    if not known:
        return DYNAMIC
    return TupleType(tuple(e.type for e in flat))


def _flatten(args: Sequence[Arg], ret: CtyType) -> Value:
    v = value(args, 0)
    if v.length_int() == 0:
        return EMPTY_TUPLE_VAL
    flat, known = _flatten_values(v)
    if not known:
        return unknown_result(ret)
    return tuple_val(flat)


def _keys_type(args: Sequence[Arg]) -> CtyType:
    ty = value(args, 0).type
    if isinstance(ty, MapType):
        return ListType(STRING)
    if isinstance(ty, ObjectType):
        return TupleType((STRING,) * len(ty.attrs)) if ty.attrs else EMPTY_TUPLE
    raise FunctionCallError(0, "must have map or object type")


def _keys(args: Sequence[Arg], ret: CtyType) -> Value:
    m = value(args, 0)
    if isinstance(m.type, ObjectType):
        return tuple_val(string_val(k) for k, _ in m.type.attrs)
    if not m.is_known:
        return unknown_val(ret)
    ks = [string_val(k) for k in m.attrs()]
    return list_val(ks) if ks else list_val_empty(STRING)


def _values_type(args: Sequence[Arg]) -> CtyType:
    ty = value(args, 0).type
    if isinstance(ty, MapType):
        return ListType(ty.element)
    if isinstance(ty, ObjectType):
        return TupleType(tuple(t for _, t in ty.attrs)) if ty.attrs else EMPTY_TUPLE
    raise FunctionCallError(None, "values() requires a map as the first argument")


def _values(args: Sequence[Arg], ret: CtyType) -> Value:
    return _sequence_val(ret, list(value(args, 0).attrs().values()))


def _lookup_type(args: Sequence[Arg]) -> CtyType:
    m, key = value(args, 0), value(args, 1)
    ty = m.type
    if isinstance(ty, ObjectType):
        if not key.is_known:
            return DYNAMIC
        name = key.as_string()
        if name in ty.attribute_types:
            return ty.attribute_types[name]
        if len(args) == 3:
            return value(args, 2).type
        raise FunctionCallError(0, f'the given object has no attribute "{name}"')
    if isinstance(ty, MapType):
        if len(args) == 3:
            try:
                convert(value(args, 2), ty.element)
            except ConversionError:
                raise FunctionCallError(2, "the default value must have the same type as the map elements") from None
        return ty.element
    raise FunctionCallError(0, "lookup() requires a map as the first argument")


def _lookup(args: Sequence[Arg], ret: CtyType) -> Value:
    m, key, default = value(args, 0), value(args, 1).as_string(), value(args, 2)
    if not m.is_wholly_known():
        return unknown_result(ret)
    if isinstance(m.type, ObjectType):
        if key in m.type.attribute_types:
            return m.attrs()[key]
    elif key in m.attrs():
        return m.attrs()[key]
    try:
        return convert(default, ret)
    except ConversionError as exc:
        raise FunctionCallError(None, str(exc)) from None


def _merge_type(args: Sequence[Arg]) -> CtyType:
    vals = values(args)
    if not vals:
        return EMPTY_OBJECT
    attrs: dict[str, CtyType] = {}
    first: CtyType | None = None
    matching = True
    attrs_known = True
    for i, arg in enumerate(vals):
        ty = arg.type
        if isinstance(ty, DynamicPseudoType):
            return DYNAMIC
        if not (ty.is_map or ty.is_object):
            raise FunctionCallError(None, f'arguments must be maps or objects, got "{ty.friendly_name()}"')
        if isinstance(ty, ObjectType) and not arg.is_null:
            attrs.update(ty.attribute_types)
        elif isinstance(ty, MapType):
            if arg.is_null:
                pass
            elif arg.is_known:
                for k in arg.attrs():
                    attrs[k] = ty.element
            else:
                attrs_known = False
        if i == 0:
            first = ty
            continue
        if ty != first:
            matching = False
    if matching:
        assert first is not None
        return first
    if not attrs_known:
        return DYNAMIC
    return ObjectType.of(attrs)


def _merge(args: Sequence[Arg], ret: CtyType) -> Value:
    out: dict[str, Value] = {}
    all_null = True
    for arg in values(args):
        if arg.is_null:
            continue
        all_null = False
        out.update(arg.attrs())
    if all_null:
        return null_val(ret)
    if ret.is_map:
        return map_val(out) if out else map_val_empty(ret.element_type())
    return object_val(out)


def _reverse_type(args: Sequence[Arg]) -> CtyType:
    ty = value(args, 0).type
    if isinstance(ty, TupleType):
        return TupleType(tuple(reversed(ty.elements)))
    if isinstance(ty, ListType | SetType):
        return ListType(ty.element)
    raise FunctionCallError(0, f"can only reverse list or tuple values, not {ty.friendly_name()}")


def _reverse(args: Sequence[Arg], ret: CtyType) -> Value:
    return _sequence_val(ret, list(reversed(value(args, 0).elements())))


def _set_op_type(args: Sequence[Arg]) -> CtyType:
    etys = [value(args, i).type.element_type() for i in range(len(args))]
    ety, _ = unify_unsafe(etys)
    if ety is None:
        raise FunctionCallError(None, "given sets must all have compatible element types")
    return SetType(ety)


def _set_op(kind: str) -> object:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        converted: list[Value] = []
        for i, arg in enumerate(values(args)):
            try:
                converted.append(convert(arg, ret))
            except ConversionError as exc:
                raise FunctionCallError(i, str(exc)) from None
        result = list(converted[0].elements())
        for other in converted[1:]:
            oelems = other.elements()
            if kind == "union":
                result = result + [e for e in oelems if not any(equals(e, r).true() for r in result)]
            else:
                result = [r for r in result if any(equals(r, e).true() for e in oelems)]
        return set_val(result) if result else set_val_empty(ret.element_type())

    return impl


def _setproduct_type(args: Sequence[Arg]) -> CtyType:
    vals = values(args)
    if len(vals) < 2:
        raise FunctionCallError(None, "at least two arguments are required")
    list_count = 0
    etys: list[CtyType] = []
    for i, arg in enumerate(vals):
        ty = arg.type
        if isinstance(ty, SetType):
            etys.append(ty.element)
        elif isinstance(ty, ListType):
            etys.append(ty.element)
            list_count += 1
        elif isinstance(ty, TupleType):
            if not ty.elements:
                etys.append(DYNAMIC)
            else:
                ety, _ = unify_unsafe(list(ty.elements))
                if ety is None:
                    raise FunctionCallError(i, "all elements must be of the same type")
                etys.append(ety)
            list_count += 1
        else:
            raise FunctionCallError(i, "a set or a list is required")
    tup = TupleType(tuple(etys))
    return ListType(tup) if list_count == len(vals) else SetType(tup)


def _setproduct(args: Sequence[Arg], ret: CtyType) -> Value:
    vals = values(args)
    ety = ret.element_type()
    assert isinstance(ety, TupleType)
    seqs = [v.elements() for v in vals]
    total = 1
    for s in seqs:
        total *= len(s)
    if total == 0:
        return list_val_empty(ety) if ret.is_list else set_val_empty(ety)
    product: list[Value] = []
    counters = [0] * len(seqs)
    for _ in range(total):
        row = []
        for j, n in enumerate(counters):
            v = seqs[j][n]
            if v.type != ety.elements[j]:
                v = convert(v, ety.elements[j])
            row.append(v)
        product.append(tuple_val(row))
        for j in range(len(counters) - 1, -1, -1):
            counters[j] += 1
            if counters[j] < len(seqs[j]):
                break
            counters[j] = 0
    return list_val(product) if ret.is_list else set_val(product)


def _slice_indexes(args: Sequence[Arg]) -> tuple[int, int, bool]:
    lst, start_v, end_v = value(args, 0), value(args, 1), value(args, 2)
    length = lst.length_int() if lst.type.is_tuple or lst.is_known else None
    start = _slice_index(start_v, 1, "start", length) if start_v.is_known else 0
    end = _slice_index(end_v, 2, "end", length) if end_v.is_known else 0
    known = start_v.is_known and end_v.is_known
    if known and start > end:
        raise FunctionCallError(1, "start index must not be greater than end index")
    return start, end, known


def _slice_index(val: Value, arg: int, which: str, length: int | None) -> int:
    """``slice``'s checks of its known start or end index (``length`` is ``None`` while the list is unknown)."""
    idx = int_arg(val, arg, f"invalid {which} index: ")
    if idx < 0:
        raise FunctionCallError(arg, f"{which} index must not be less than zero")
    if length is not None and idx > length:
        raise FunctionCallError(arg, f"{which} index must not be greater than the length of the list")
    return idx


def _slice_type(args: Sequence[Arg]) -> CtyType:
    ty = value(args, 0).type
    if ty.is_set:
        raise FunctionCallError(
            0,
            "cannot slice a set, because its elements do not have indices; explicitly convert to a list if the "
            "ordering of the result is not important",
        )
    if not (ty.is_list or ty.is_tuple):
        raise FunctionCallError(0, "must be a list or tuple value")
    start, end, known = _slice_indexes(args)
    if ty.is_list:
        return ty
    if not known:
        return DYNAMIC
    assert isinstance(ty, TupleType)
    return TupleType(ty.elements[start:end])


def _slice(args: Sequence[Arg], ret: CtyType) -> Value:
    if isinstance(ret, DynamicPseudoType):
        return DYNAMIC_VAL
    start, end, _ = _slice_indexes(args)
    elems = value(args, 0).elements()[start:end]
    return _sequence_val(ret, elems)


def _zipmap_type(args: Sequence[Arg]) -> CtyType:
    keys, vals = value(args, 0), value(args, 1)
    ty = vals.type
    if isinstance(ty, ListType):
        return MapType(ty.element)
    if isinstance(ty, TupleType):
        if not keys.is_wholly_known():
            return DYNAMIC
        raw = keys.elements()
        if len(raw) != len(ty.elements):
            raise FunctionCallError(
                None, f"number of keys ({len(raw)}) does not match number of values ({len(ty.elements)})"
            )
        atys: dict[str, CtyType] = {}
        for i, k in enumerate(raw):
            if k.is_null:
                raise FunctionCallError(None, f"keys list has null value at index {i}")
            atys[k.as_string()] = ty.elements[i]
        return ObjectType.of(atys)
    raise FunctionCallError(None, "values argument must be a list or tuple value")


def _zipmap(args: Sequence[Arg], ret: CtyType) -> Value:
    keys, vals = value(args, 0), value(args, 1)
    if not keys.is_wholly_known():
        return unknown_result(ret)
    if keys.length_int() != vals.length_int():
        raise FunctionCallError(
            None, f"number of keys ({keys.length_int()}) does not match number of values ({vals.length_int()})"
        )
    out: dict[str, Value] = {}
    for i, k in enumerate(keys.elements()):
        out[k.as_string()] = vals.elements()[i]
    if ret.is_map:
        return map_val(out) if out else map_val_empty(ret.element_type())
    return object_val(out)


def _concat_type(args: Sequence[Arg]) -> CtyType:
    vals = values(args)
    if not vals:
        raise FunctionCallError(None, "at least one argument is required")
    if vals[0].type.is_list and all(v.type.is_list for v in vals):
        common, _ = unify_unsafe([v.type for v in vals])
        if common is not None:
            return common
    etys: list[CtyType] = []
    for i, v in enumerate(vals):
        ty = v.type
        if isinstance(ty, TupleType):
            etys.extend(ty.elements)
        elif isinstance(ty, ListType):
            if not v.is_known:
                return DYNAMIC
            etys.extend([ty.element] * v.length_int())
        else:
            raise FunctionCallError(i, f"all arguments must be lists or tuples; got {ty.friendly_name()}")
    return TupleType(tuple(etys))


def _concat(args: Sequence[Arg], ret: CtyType) -> Value:
    out: list[Value] = []
    if ret.is_list:
        for i, lst in enumerate(values(args)):
            try:
                lst = convert(lst, ret)
            except ConversionError as exc:
                raise FunctionCallError(i, str(exc)) from None
            out.extend(lst.elements())
        return list_val(out) if out else list_val_empty(ret.element_type())
    for seq in values(args):
        out.extend(seq.elements())
    return tuple_val(out)


def _range(args: Sequence[Arg], ret: CtyType) -> Value:
    nums = values(args)
    one, minus_one, zero = number_int_val(1), number_int_val(-1), number_int_val(0)
    if len(nums) == 1:
        start, end = zero, nums[0]
        step = minus_one if less_than(nums[0], zero).true() else one
    elif len(nums) == 2:
        start, end = nums[0], nums[1]
        step = minus_one if less_than(nums[1], nums[0]).true() else one
    elif len(nums) == 3:
        start, end, step = nums
    else:
        raise FunctionCallError(None, "must have one, two, or three arguments")
    # cty compares the step with cty.Zero by identity, so a zero step is never rejected here: it just runs
    # into the 1024-element limit below.
    down = less_than(step, zero).true()
    if down:
        if greater_than(end, start).true():
            raise FunctionCallError(1, "end must be less than start when step is negative")
    elif less_than(end, start).true():
        raise FunctionCallError(1, "end must be greater than start when step is positive")
    out: list[Value] = []
    num = start
    while True:
        if down:
            if not greater_than(num, end).true():
                break
        elif not less_than(num, end).true():
            break
        if len(out) >= 1024:
            raise FunctionCallError(
                None,
                "more than 1024 values were generated; either decrease the difference between start and end or use "
                "a smaller step",
            )
        out.append(num)
        num = add(num, step)
    return list_val(out) if out else list_val_empty(NUMBER)


def _coalesce_type(args: Sequence[Arg]) -> CtyType:
    ty, _ = unify_unsafe([value(args, i).type for i in range(len(args))])
    if ty is None:
        raise FunctionCallError(None, "all arguments must have the same type")
    return ty


def _coalesce(args: Sequence[Arg], ret: CtyType) -> Value:
    for arg in values(args):
        try:
            arg = convert(arg, ret)
        except ConversionError:
            pass
        if not arg.is_known:
            return unknown_result(ret)
        if arg.is_null:
            continue
        if ret == STRING and arg.type == STRING and arg.as_string() == "":
            continue
        return arg
    raise FunctionCallError(None, "no non-null, non-empty-string arguments")


def _alltrue(args: Sequence[Arg], ret: CtyType) -> Value:
    for v in value(args, 0).elements():
        if not v.is_known:
            return unknown_val(BOOL)
        if v.is_null or not v.true():
            return FALSE
    return TRUE


def _anytrue(args: Sequence[Arg], ret: CtyType) -> Value:
    unknown = False
    for v in value(args, 0).elements():
        if not v.is_known:
            unknown = True
            continue
        if not v.is_null and v.true():
            return TRUE
    return unknown_val(BOOL) if unknown else FALSE


def functions(legacy_index: bool = True) -> dict[str, HclFunction]:
    dyn_list = ListType(DYNAMIC)
    index_fn = (
        define(
            "index",
            [Param("collection", DYNAMIC), Param("key", DYNAMIC, allow_dynamic_type=True)],
            _index_legacy_type,
            _index_legacy,
        )
        if legacy_index
        else define("index", [Param("list", DYNAMIC), Param("value", DYNAMIC)], NUMBER, _index_newest)
    )
    set_params = [Param("first_set", SetType(DYNAMIC), allow_dynamic_type=True)]
    set_var = Param("other_sets", SetType(DYNAMIC), allow_dynamic_type=True)
    fns = [
        define(
            "length",
            [Param("value", DYNAMIC, allow_dynamic_type=True, allow_unknown=True)],
            _length_type,
            _length,
        ),
        index_fn,
        define("element", [Param("list", DYNAMIC), Param("index", NUMBER)], _element_type, _element),
        define(
            "coalescelist",
            [],
            _coalescelist_type,
            _coalescelist,
            var_param=Param("vals", DYNAMIC, allow_null=True, allow_unknown=True, allow_dynamic_type=True),
        ),
        define(
            "coalesce",
            [],
            _coalesce_type,
            _coalesce,
            var_param=Param("vals", DYNAMIC, allow_null=True, allow_unknown=True, allow_dynamic_type=True),
        ),
        define("compact", [Param("list", ListType(STRING))], ListType(STRING), _compact),
        define("contains", [Param("list", DYNAMIC), Param("value", DYNAMIC)], BOOL, _contains),
        define("distinct", [Param("list", dyn_list)], lambda a: value(a, 0).type, _distinct),
        define(
            "chunklist",
            [Param("list", dyn_list), Param("size", NUMBER)],
            lambda a: ListType(value(a, 0).type),
            _chunklist,
        ),
        define("flatten", [Param("list", DYNAMIC)], _flatten_type, _flatten),
        define("keys", [Param("inputMap", DYNAMIC, allow_unknown=True)], _keys_type, _keys),
        define("values", [Param("values", DYNAMIC)], _values_type, _values),
        define(
            "lookup",
            [Param("inputMap", DYNAMIC), Param("key", STRING), Param("default", DYNAMIC)],
            _lookup_type,
            _lookup,
        ),
        define(
            "merge",
            [],
            _merge_type,
            _merge,
            var_param=Param("maps", DYNAMIC, allow_null=True, allow_dynamic_type=True),
        ),
        define("reverse", [Param("list", DYNAMIC)], _reverse_type, _reverse),
        define("setunion", set_params, _set_op_type, _set_op("union"), var_param=set_var),  # type: ignore[arg-type]
        define("setintersection", set_params, _set_op_type, _set_op("intersection"), var_param=set_var),  # type: ignore[arg-type]
        define("setproduct", [], _setproduct_type, _setproduct, var_param=Param("sets", DYNAMIC)),
        define(
            "slice",
            [Param("list", DYNAMIC), Param("start_index", NUMBER), Param("end_index", NUMBER)],
            _slice_type,
            _slice,
        ),
        define("zipmap", [Param("keys", ListType(STRING)), Param("values", DYNAMIC)], _zipmap_type, _zipmap),
        define("concat", [], _concat_type, _concat, var_param=Param("seqs", DYNAMIC)),
        define("range", [], ListType(NUMBER), _range, var_param=Param("params", NUMBER)),
        define("alltrue", [Param("list", ListType(BOOL))], BOOL, _alltrue),
        define("anytrue", [Param("list", ListType(BOOL))], BOOL, _anytrue),
    ]
    return {f.name: f for f in fns}
