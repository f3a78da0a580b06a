"""go-cty's ``convert`` package: safe and unsafe type conversions, type unification and mismatch messages.

Safe conversions never fail for a known value (number/bool -> string, list -> list with convertible elements,
tuple -> list, object -> map, ...). Unsafe conversions may fail at run time (string -> number, string -> bool,
list -> set, map -> object, dynamic -> anything) and are what HCL uses for function arguments, variable values and
operators. Messages are cty's (``a number is required``, ``a bool is required; to convert from string, use
lowercase "true"``), and ``mismatch_message`` gives the static ones (``list of string required``,
``element 0: string required``, ``attribute "a" is required``).

Where cty iterates a Go map (object attributes) and so may report a different attribute from run to run, this
module uses sorted attribute order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from packer_py.errors import PackerPyError
from packer_py.interpolate.hcl.numbers import NumberSyntaxError
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
from packer_py.interpolate.hcl.values import (
    DYNAMIC_VAL,
    FALSE,
    TRUE,
    Value,
    list_val,
    list_val_empty,
    map_val,
    map_val_empty,
    null_val,
    object_val,
    parse_number_val,
    set_val,
    set_val_empty,
    string_val,
    tuple_val,
    unknown_val,
)

__all__ = [
    "ConversionError",
    "convert",
    "get_conversion",
    "get_conversion_unsafe",
    "mismatch_message",
    "unify",
    "unify_unsafe",
]

PathStep = str | int
Conversion = Callable[[Value, tuple[PathStep, ...]], Value]


class ConversionError(PackerPyError):
    """A value could not be converted. ``str()`` is cty's message (no path, as ``PathError.Error()`` prints);
    ``path`` locates the failing element (attribute names and indexes/keys)."""

    def __init__(self, message: str, path: tuple[PathStep, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


def convert(value: Value, want: CtyType) -> Value:
    """``convert.Convert``: the unsafe conversion of ``value`` to ``want``; raises ``ConversionError``."""
    if value.type == want:
        return value
    conv = get_conversion_unsafe(value.type, want)
    if conv is None:
        raise ConversionError(mismatch_message(value.type, want))
    return conv(value, ())


def get_conversion(src: CtyType, dst: CtyType) -> Conversion | None:
    return _get_conversion(src, dst, unsafe=False)


def get_conversion_unsafe(src: CtyType, dst: CtyType) -> Conversion | None:
    return _get_conversion(src, dst, unsafe=True)


def _get_conversion(src: CtyType, dst: CtyType, unsafe: bool) -> Conversion | None:
    conv = _conversion_known(src, dst, unsafe)
    if conv is None:
        return None
    known = conv

    def run(val: Value, path: tuple[PathStep, ...]) -> Value:
        if isinstance(dst, DynamicPseudoType):
            return val
        if not val.is_known:
            return unknown_val(dst)
        if val.is_null:
            return null_val(dst)
        return known(val, path)

    return run


def _passthrough(val: Value, path: tuple[PathStep, ...]) -> Value:
    return val


def _dynamic_fixup(want: CtyType) -> Conversion:
    def conv(val: Value, path: tuple[PathStep, ...]) -> Value:
        try:
            return convert(val, want)
        except ConversionError as exc:
            raise ConversionError(exc.message, path + exc.path) from None

    return conv


def _number_to_string(val: Value, path: tuple[PathStep, ...]) -> Value:
    return string_val(val.as_bigfloat().text("f", -1))


def _bool_to_string(val: Value, path: tuple[PathStep, ...]) -> Value:
    return string_val("true" if val.true() else "false")


def _string_to_number(val: Value, path: tuple[PathStep, ...]) -> Value:
    try:
        return parse_number_val(val.as_string())
    except NumberSyntaxError:
        raise ConversionError("a number is required", path) from None


def _string_to_bool(val: Value, path: tuple[PathStep, ...]) -> Value:
    s = val.as_string()
    if s in ("true", "1"):
        return TRUE
    if s in ("false", "0"):
        return FALSE
    lowered = s.lower()
    if lowered in ("true", "false"):
        raise ConversionError(f'a bool is required; to convert from string, use lowercase "{lowered}"', path)
    raise ConversionError("a bool is required", path)


_SAFE_PRIMITIVE: dict[tuple[CtyType, CtyType], Conversion] = {
    (NUMBER, STRING): _number_to_string,
    (BOOL, STRING): _bool_to_string,
}
_UNSAFE_PRIMITIVE: dict[tuple[CtyType, CtyType], Conversion] = {
    (STRING, NUMBER): _string_to_number,
    (STRING, BOOL): _string_to_bool,
}


def _conversion_known(src: CtyType, dst: CtyType, unsafe: bool) -> Conversion | None:
    if isinstance(dst, DynamicPseudoType):
        return _passthrough
    if unsafe and isinstance(src, DynamicPseudoType):
        return _dynamic_fixup(dst)
    if src.is_primitive and dst.is_primitive:
        conv = _SAFE_PRIMITIVE.get((src, dst))
        if conv is None and unsafe:
            conv = _UNSAFE_PRIMITIVE.get((src, dst))
        return conv
    if isinstance(dst, ObjectType) and isinstance(src, ObjectType):
        return _object_to_object(src, dst, unsafe)
    if isinstance(dst, TupleType) and isinstance(src, TupleType):
        return _tuple_to_tuple(src, dst, unsafe)
    if isinstance(dst, ListType) and isinstance(src, ListType | SetType):
        if src.element == dst.element:
            return _collection_to_sequence(dst.element, None, as_set=False)
        ety_conv = _get_conversion(src.element, dst.element, unsafe)
        return None if ety_conv is None else _collection_to_sequence(dst.element, ety_conv, as_set=False)
    if isinstance(dst, SetType) and isinstance(src, ListType | SetType):
        if isinstance(src, ListType) and not unsafe:
            return None
        ety_conv = _get_conversion(src.element, dst.element, unsafe)
        if src.element == dst.element:
            return _collection_to_sequence(dst.element, None, as_set=True)
        return None if ety_conv is None else _collection_to_sequence(dst.element, ety_conv, as_set=True)
    if isinstance(dst, MapType) and isinstance(src, MapType):
        ety_conv = _get_conversion(src.element, dst.element, unsafe)
        return None if ety_conv is None else _collection_to_map(dst.element, ety_conv)
    if isinstance(dst, ListType) and isinstance(src, TupleType):
        return _tuple_to_sequence(src, dst.element, unsafe, as_set=False)
    if isinstance(dst, SetType) and isinstance(src, TupleType):
        return _tuple_to_sequence(src, dst.element, unsafe, as_set=True)
    if isinstance(dst, MapType) and isinstance(src, ObjectType):
        return _object_to_map(src, dst.element, unsafe)
    if isinstance(dst, ObjectType) and isinstance(src, MapType):
        return _map_to_object(src, dst, unsafe) if unsafe else None
    return None


def _convert_elements(
    val: Value, conv: Conversion | None, path: tuple[PathStep, ...], *, keyed: bool = False
) -> list[Value]:
    out = []
    for i, (key, elem) in enumerate(val.iter_items()):
        if conv is not None:
            step: PathStep = key.as_string() if keyed else i
            elem = conv(elem, (*path, step))
        out.append(elem)
    return out


def _collection_to_sequence(ety: CtyType, conv: Conversion | None, *, as_set: bool) -> Conversion:
    """A list or set to a list (``as_set`` False) or a set of ``ety``, each element through ``conv``."""
    make, make_empty = (set_val, set_val_empty) if as_set else (list_val, list_val_empty)

    def run(val: Value, path: tuple[PathStep, ...]) -> Value:
        elems = _convert_elements(val, conv, path)
        if not elems:
            return make_empty(val.type.element_type() if isinstance(ety, DynamicPseudoType) else ety)
        return make(elems)

    return run


def _collection_to_map(ety: CtyType, conv: Conversion | None) -> Conversion:
    def run(val: Value, path: tuple[PathStep, ...]) -> Value:
        elems: dict[str, Value] = {}
        for key, elem in val.iter_items():
            name = key.as_string()
            if conv is not None:
                elem = conv(elem, (*path, name))
            elems[name] = elem
        if not elems:
            return map_val_empty(val.type.element_type() if isinstance(ety, DynamicPseudoType) else ety)
        if ety.is_collection or ety.is_object:
            elems = _unify_collection_elements(elems, path, unsafe=False)
        _check_map_element_types(elems, path)
        return map_val(elems)

    return run


def _tuple_to_sequence(src: TupleType, ety: CtyType, unsafe: bool, *, as_set: bool) -> Conversion | None:
    etys = src.elements
    if not etys:
        empty = set_val_empty(ety) if as_set else list_val_empty(ety)
        return lambda val, path: empty
    if isinstance(ety, DynamicPseudoType):
        unified, _ = _unify(list(etys), unsafe)
        if unified is None:
            return None
        ety = unified
    convs = _convs_to(list(etys), ety, unsafe)
    if convs is None:
        return None
    return _elementwise(convs, set_val if as_set else list_val)


def _object_to_map(src: ObjectType, ety: CtyType, unsafe: bool) -> Conversion | None:
    atys = src.attribute_types
    if not atys:
        empty = map_val_empty(ety)
        return lambda val, path: empty
    if isinstance(ety, DynamicPseudoType):
        unified, _ = _unify(list(atys.values()), unsafe)
        if unified is None:
            return None
        ety = unified
    convs = _attr_convs({name: (aty, ety) for name, aty in atys.items()}, unsafe)
    if convs is None:
        return None
    map_ety = ety

    def run(val: Value, path: tuple[PathStep, ...]) -> Value:
        elems = _convert_attrs(val, convs, path)
        if map_ety.is_collection or map_ety.is_object:
            elems = _unify_collection_elements(elems, path, unsafe)
        _check_map_element_types(elems, path)
        return map_val(elems)

    return run


def _map_to_object(src: MapType, dst: ObjectType, unsafe: bool) -> Conversion | None:
    convs = _attr_convs({name: (src.element, aty) for name, aty in dst.attribute_types.items()}, unsafe)
    if convs is None:
        return None
    return lambda val, path: object_val(_convert_attrs(val, convs, path))


def _object_to_object(src: ObjectType, dst: ObjectType, unsafe: bool) -> Conversion | None:
    in_atys = src.attribute_types
    if any(name not in in_atys for name in dst.attribute_types):
        return None
    convs = _attr_convs({name: (in_atys[name], aty) for name, aty in dst.attribute_types.items()}, unsafe)
    if convs is None:
        return None
    return lambda val, path: object_val(_convert_attrs(val, convs, path))


def _tuple_to_tuple(src: TupleType, dst: TupleType, unsafe: bool) -> Conversion | None:
    if len(src.elements) != len(dst.elements):
        return None
    convs = _element_convs(zip(src.elements, dst.elements, strict=True), unsafe)
    if convs is None:
        return None
    return _elementwise(convs, tuple_val)


def _element_convs(pairs: Iterable[tuple[CtyType, CtyType]], unsafe: bool) -> list[Conversion | None] | None:
    """One conversion per ``(from, to)`` pair (None where the types are equal), or None if any pair cannot convert."""
    convs: list[Conversion | None] = []
    for src, dst in pairs:
        if src == dst:
            convs.append(None)
            continue
        c = _get_conversion(src, dst, unsafe)
        if c is None:
            return None
        convs.append(c)
    return convs


def _convs_to(types: list[CtyType], target: CtyType, unsafe: bool) -> list[Conversion | None] | None:
    return _element_convs(((t, target) for t in types), unsafe)


def _attr_convs(pairs: dict[str, tuple[CtyType, CtyType]], unsafe: bool) -> dict[str, Conversion | None] | None:
    """``_element_convs`` by attribute name."""
    convs = _element_convs(pairs.values(), unsafe)
    return None if convs is None else dict(zip(pairs, convs, strict=True))


def _elementwise(convs: list[Conversion | None], make: Callable[[list[Value]], Value]) -> Conversion:
    """A tuple's elements, each through its own conversion, into ``make`` (a list, set or tuple)."""

    def run(val: Value, path: tuple[PathStep, ...]) -> Value:
        out = []
        for i, elem in enumerate(val.elements()):
            c = convs[i]
            out.append(c(elem, (*path, i)) if c is not None else elem)
        return make(out)

    return run


def _convert_attrs(val: Value, convs: dict[str, Conversion | None], path: tuple[PathStep, ...]) -> dict[str, Value]:
    """The attributes of ``val`` that ``convs`` names, each through its conversion (others are dropped)."""
    out: dict[str, Value] = {}
    for name, elem in val.attrs().items():
        if name not in convs:
            continue
        c = convs[name]
        out[name] = c(elem, (*path, name)) if c is not None else elem
    return out


def _unify_collection_elements(elems: dict[str, Value], path: tuple[PathStep, ...], unsafe: bool) -> dict[str, Value]:
    unified, _ = _unify([v.type for v in elems.values()], unsafe)
    out: dict[str, Value] = {}
    for name, elem in elems.items():
        if unified is None or elem.type == unified:
            out[name] = elem
            continue
        c = _get_conversion(elem.type, unified, unsafe)
        if c is None:
            out[name] = elem
            continue
        out[name] = c(elem, (*path, name))
    return out


def _check_map_element_types(elems: dict[str, Value], path: tuple[PathStep, ...]) -> None:
    first: CtyType | None = None
    for name, elem in elems.items():
        if first is None:
            first = elem.type
            continue
        if first != elem.type:
            raise ConversionError(f"{first.friendly_name()} is required", (*path, name))


# unification ---------------------------------------------------------------------------------------------------


def unify(types: Sequence[CtyType]) -> tuple[CtyType | None, list[Conversion | None]]:
    """``convert.Unify`` (safe conversions only). Returns (None, []) when there is no common type."""
    return _unify(list(types), unsafe=False)


def unify_unsafe(types: Sequence[CtyType]) -> tuple[CtyType | None, list[Conversion | None]]:
    return _unify(list(types), unsafe=True)


def _unify(types: list[CtyType], unsafe: bool) -> tuple[CtyType | None, list[Conversion | None]]:
    if not types:
        return None, []
    map_ct = sum(1 for t in types if isinstance(t, MapType))
    obj_ct = sum(1 for t in types if isinstance(t, ObjectType))
    tup_ct = sum(1 for t in types if isinstance(t, TupleType))
    dyn_ct = sum(1 for t in types if isinstance(t, DynamicPseudoType))
    if map_ct > 0 and map_ct + dyn_ct == len(types):
        return _unify_maps(types, unsafe, dyn_ct > 0)
    if obj_ct > 0 and obj_ct + dyn_ct == len(types):
        return _unify_objects(types, unsafe, dyn_ct > 0)
    if tup_ct > 0 and tup_ct + dyn_ct == len(types):
        return _unify_tuples(types, unsafe, dyn_ct > 0)
    if obj_ct > 0 and tup_ct > 0:
        return None, []
    for want_idx in _sort_types(types):
        want = types[want_idx]
        convs = _convs_to(types, want, unsafe)
        if convs is not None:
            return want, convs
    return None, []


def _all_dynamic(types: list[CtyType]) -> tuple[CtyType, list[Conversion | None]]:
    return DYNAMIC, [lambda val, path: DYNAMIC_VAL for _ in types]


def _unify_maps(
    types: list[CtyType], unsafe: bool, has_dynamic: bool
) -> tuple[CtyType | None, list[Conversion | None]]:
    if has_dynamic:
        return _all_dynamic(types)
    return _unify_to_map(types, [t.element_type() for t in types], unsafe)


def _unify_objects(
    types: list[CtyType], unsafe: bool, has_dynamic: bool
) -> tuple[CtyType | None, list[Conversion | None]]:
    if has_dynamic:
        return _all_dynamic(types)
    objs = [t for t in types if isinstance(t, ObjectType)]
    first = objs[0].attribute_types
    for t in objs[1:]:
        these = t.attribute_types
        if len(these) != len(first) or any(name not in first for name in these):
            return _unify_objects_to_map(types, unsafe)
    atys: dict[str, CtyType] = {}
    for name in first:
        aty, _ = _unify([t.attribute_types[name] for t in objs], unsafe)
        if aty is None:
            return None, []
        atys[name] = aty
    target = ObjectType.of(atys)
    convs = _convs_to(types, target, unsafe)
    if convs is None:
        return _unify_objects_to_map(types, unsafe)
    return target, convs


def _unify_objects_to_map(types: list[CtyType], unsafe: bool) -> tuple[CtyType | None, list[Conversion | None]]:
    return _unify_to_map(types, [aty for t in types if isinstance(t, ObjectType) for _, aty in t.attrs], unsafe)


def _unify_to_map(
    types: list[CtyType], element_types: list[CtyType], unsafe: bool
) -> tuple[CtyType | None, list[Conversion | None]]:
    """Maps, and objects that cannot stay objects, unify to a map of their unified element (attribute) types."""
    ety, _ = _unify(element_types, unsafe)
    if ety is None:
        return None, []
    target = MapType(ety)
    convs = _convs_to(types, target, unsafe)
    return (target, convs) if convs is not None else (None, [])


def _unify_tuples(
    types: list[CtyType], unsafe: bool, has_dynamic: bool
) -> tuple[CtyType | None, list[Conversion | None]]:
    if has_dynamic:
        return _all_dynamic(types)
    tups = [t for t in types if isinstance(t, TupleType)]
    first = tups[0].elements
    if any(len(t.elements) != len(first) for t in tups[1:]):
        return _unify_tuples_to_list(types, unsafe)
    etys: list[CtyType] = []
    for i in range(len(first)):
        ety, _ = _unify([t.elements[i] for t in tups], unsafe)
        if ety is None:
            return None, []
        etys.append(ety)
    target = TupleType(tuple(etys))
    convs = _convs_to(types, target, unsafe)
    if convs is None:
        return _unify_tuples_to_list(types, unsafe)
    return target, convs


def _unify_tuples_to_list(types: list[CtyType], unsafe: bool) -> tuple[CtyType | None, list[Conversion | None]]:
    etys = [e for t in types if isinstance(t, TupleType) for e in t.elements]
    ety, _ = _unify(etys, unsafe)
    if ety is None:
        return None, []
    target = ListType(ety)
    convs = _convs_to(types, target, unsafe)
    if convs is None:
        return _unify_objects_to_map(types, unsafe)
    return target, convs


def _compare_types(a: CtyType, b: CtyType) -> int:
    """``compareTypes``: negative when ``a`` is the more general (preferred) type."""
    if isinstance(a, DynamicPseudoType) or isinstance(b, DynamicPseudoType):
        if not isinstance(a, DynamicPseudoType):
            return -1
        if not isinstance(b, DynamicPseudoType):
            return 1
        return 0
    if a.is_primitive and b.is_primitive and (a == STRING or b == STRING):
        if a != STRING:
            return 1
        if b != STRING:
            return -1
        return 0
    for kind in (ListType, SetType, MapType):
        if isinstance(a, kind) and isinstance(b, kind):
            return _compare_types(a.element, b.element)
    swap = 1
    if (
        (isinstance(a, TupleType) and isinstance(b, ListType))
        or (isinstance(a, ObjectType) and isinstance(b, MapType))
        or (isinstance(a, SetType) and isinstance(b, TupleType | ListType))
    ):
        a, b = b, a
        swap = -1
    if isinstance(b, SetType) and isinstance(a, TupleType | ListType):
        return -1 * swap
    if isinstance(a, ListType) and isinstance(b, TupleType):
        return -1 * swap
    if isinstance(a, MapType) and isinstance(b, ObjectType):
        return -1 * swap
    pairs: list[tuple[CtyType, CtyType]] | None = None
    if isinstance(a, ObjectType) and isinstance(b, ObjectType):
        ta, tb = a.attribute_types, b.attribute_types
        if len(ta) != len(tb) or any(k not in tb for k in ta):
            return 0
        pairs = [(ta[k], tb[k]) for k in ta]
    elif isinstance(a, TupleType) and isinstance(b, TupleType):
        if len(a.elements) != len(b.elements):
            return 0
        pairs = list(zip(a.elements, b.elements, strict=True))
    if pairs is None:
        return 0
    a_super = b_super = False
    for x, y in pairs:
        c = _compare_types(x, y)
        a_super |= c < 0
        b_super |= c > 0
    if a_super and b_super:
        return 0
    if a_super:
        return -1 * swap
    if b_super:
        return swap
    return 0


def _sort_types(types: list[CtyType]) -> list[int]:
    """``sortTypes``: Kahn's topological order of preference (queue order, ties by position)."""
    n = len(types)
    edges: list[list[int]] = [[] for _ in range(n)]
    for i in range(n - 1):
        for j in range(i + 1, n):
            c = _compare_types(types[i], types[j])
            if c < 0:
                edges[i].append(j)
            elif c > 0:
                edges[j].append(i)
    in_degree = [0] * n
    for outs in edges:
        for j in outs:
            in_degree[j] += 1
    queue = [i for i in range(n) if in_degree[i] == 0]
    result: list[int] = []
    while queue:
        i = queue.pop(0)
        result.append(i)
        for j in edges[i]:
            in_degree[j] -= 1
            if in_degree[j] == 0:
                queue.append(j)
    return result


# messages -----------------------------------------------------------------------------------------------------


def mismatch_message(got: CtyType, want: CtyType) -> str:
    """``convert.MismatchMessage``: why no conversion exists from ``got`` to ``want``."""
    if isinstance(got, ObjectType) and isinstance(want, ObjectType):
        return _mismatch_objects(got, want)
    if isinstance(got, TupleType) and isinstance(want, ListType) and isinstance(want.element, DynamicPseudoType):
        return "all list elements must have the same type"
    if isinstance(got, TupleType) and isinstance(want, SetType) and isinstance(want.element, DynamicPseudoType):
        return "all set elements must have the same type"
    if isinstance(got, ObjectType) and isinstance(want, MapType) and isinstance(want.element, DynamicPseudoType):
        return "all map elements must have the same type"
    if isinstance(got, TupleType | ObjectType) and want.is_collection:
        return _mismatch_from_structural(got, want)
    if got.is_collection and want.is_collection:
        return _mismatch_from_collection(got, want)
    return want.friendly_name_for_constraint() + " required"


def _mismatch_objects(got: ObjectType, want: ObjectType) -> str:
    got_atys = got.attribute_types
    missing: list[str] = []
    unsafe_mismatch = safe_mismatch = ""
    for name, want_aty in want.attribute_types.items():
        if name not in got_atys:
            missing.append(name)
            continue
        got_aty = got_atys[name]
        if unsafe_mismatch:
            continue
        if get_conversion_unsafe(got_aty, want_aty) is None:
            unsafe_mismatch = f'attribute "{name}": {mismatch_message(got_aty, want_aty)}'
        if safe_mismatch:
            continue
        if get_conversion(got_aty, want_aty) is None:
            safe_mismatch = f'attribute "{name}": {mismatch_message(got_aty, want_aty)}'
    if missing:
        missing.sort()
        if len(missing) == 1:
            return f'attribute "{missing[0]}" is required'
        if len(missing) == 2:
            return f'attributes "{missing[0]}" and "{missing[1]}" are required'
        listed = "".join(f'"{m}", ' for m in missing[:-1]) + f'and "{missing[-1]}"'
        return f"attributes {listed} are required"
    return unsafe_mismatch or safe_mismatch or "incorrect object attributes"


def _mismatch_from_structural(got: CtyType, want: CtyType) -> str:
    if (isinstance(want, ListType | SetType) and not isinstance(got, TupleType)) or (
        isinstance(want, MapType) and not isinstance(got, ObjectType)
    ):
        return want.friendly_name_for_constraint() + " required"
    want_ety = want.element_type()
    if isinstance(got, TupleType):
        for i, gt in enumerate(got.elements):
            if gt == want_ety or _get_conversion(gt, want_ety, True) is not None:
                continue
            return f"element {i}: {mismatch_message(gt, want_ety)}"
    elif isinstance(got, ObjectType):
        for name, gt in got.attrs:
            if gt == want_ety or _get_conversion(gt, want_ety, True) is not None:
                continue
            return f'element "{name}": {mismatch_message(gt, want_ety)}'
    return f"all elements must be {want_ety.friendly_name_for_constraint()}"


def _mismatch_from_collection(got: CtyType, want: CtyType) -> str:
    if (
        (isinstance(want, ListType | SetType) and not isinstance(got, ListType | SetType))
        or isinstance(want, MapType)
        and not isinstance(got, MapType)
    ):
        return want.friendly_name_for_constraint() + " required"
    noun = "list element type" if want.is_list else "set element type" if want.is_set else "map element type"
    return f"incorrect {noun}: {mismatch_message(got.element_type(), want.element_type())}"
