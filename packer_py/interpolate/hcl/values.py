"""go-cty values: immutable, typed, possibly null or unknown.

A ``Value`` pairs a ``CtyType`` with a payload. Strings are NFC-normalised on construction (``cty.StringVal``);
numbers are ``BigFloat``s; sets keep cty's iteration order (crc32 bucket order, then ``setRules.Less``: strings
and numbers ascending, ``false`` before ``true``, other kinds by their hash bytes), because that order is what
``packer console`` and ``jsonencode`` print. Map and object keys iterate sorted.

``==`` on values is cty's ``RawEquals`` (same type, same content) and values are hashable; HCL's ``==`` operator is
``Value.equals``, which returns a cty bool (possibly unknown).
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping
from functools import cmp_to_key
from typing import Final

from packer_py.interpolate.hcl.numbers import BigFloat
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


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<unknown>"


_UNKNOWN: Final = _Unknown()


def normalize_string(s: str) -> str:
    """``cty.NormalizeString``: Unicode NFC."""
    return unicodedata.normalize("NFC", s) if not s.isascii() else s


class Value:
    """One cty value. Build values with the module functions (``string_val``, ``list_val``, ...)."""

    __slots__ = ("_hash", "_v", "type")

    def __init__(self, ty: CtyType, payload: object) -> None:
        self.type = ty
        self._v = payload
        self._hash: int | None = None

    # state -------------------------------------------------------------------------------------------------

    @property
    def is_known(self) -> bool:
        return self._v is not _UNKNOWN

    @property
    def is_null(self) -> bool:
        return self._v is None

    def is_wholly_known(self) -> bool:
        if self._v is _UNKNOWN:
            return False
        if self._v is None:
            return True
        if isinstance(self._v, tuple):
            return all(v.is_wholly_known() for v in self._v)
        if isinstance(self._v, dict):
            return all(v.is_wholly_known() for v in self._v.values())
        return True

    def _check(self) -> None:
        if self._v is _UNKNOWN:
            raise ValueError("value is unknown")
        if self._v is None:
            raise ValueError("value is null")

    # payload access ------------------------------------------------------------------------------------------

    def as_string(self) -> str:
        self._check()
        if self.type != STRING:
            raise TypeError("not a string")
        assert isinstance(self._v, str)
        return self._v

    def as_bigfloat(self) -> BigFloat:
        self._check()
        if self.type != NUMBER:
            raise TypeError("not a number")
        assert isinstance(self._v, BigFloat)
        return self._v

    def true(self) -> bool:
        """``Value.True()``: the Go bool of a known, non-null bool value."""
        self._check()
        if self.type != BOOL:
            raise TypeError("not bool")
        return bool(self._v)

    def elements(self) -> tuple[Value, ...]:
        """Elements of a list, set or tuple, in iteration order."""
        self._check()
        if not isinstance(self._v, tuple):
            raise TypeError(f"{self.type!r} has no sequence of elements")
        return self._v

    def attrs(self) -> Mapping[str, Value]:
        """Attributes of an object or elements of a map (iterate sorted by key)."""
        self._check()
        if not isinstance(self._v, dict):
            raise TypeError(f"{self.type!r} has no attributes")
        return self._v

    def iter_items(self) -> Iterator[tuple[Value, Value]]:
        """``ElementIterator``: (key, element) pairs. Keys are index numbers for lists and tuples, strings for maps
        and objects, and the element itself for sets."""
        self._check()
        if isinstance(self._v, dict):
            for k, v in self._v.items():
                yield string_val(k), v
        elif isinstance(self.type, SetType):
            for v in self.elements():
                yield v, v
        else:
            for i, v in enumerate(self.elements()):
                yield number_int_val(i), v

    def length_int(self) -> int:
        """``LengthInt``: tuples and objects by type; collections must be known and not null."""
        if isinstance(self.type, TupleType):
            return len(self.type.elements)
        if isinstance(self.type, ObjectType):
            return len(self.type.attrs)
        self._check()
        assert isinstance(self._v, tuple | dict)
        return len(self._v)

    def can_iterate_elements(self) -> bool:
        """``CanIterateElements``: a collection or structural type (whatever the value's state)."""
        return isinstance(self.type, ListType | SetType | MapType | TupleType | ObjectType)

    # identity ------------------------------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and raw_equals(self, other)

    def __hash__(self) -> int:
        if self._hash is None:
            payload = self._v
            if isinstance(payload, dict):
                payload = tuple(payload.items())
            elif payload is _UNKNOWN:
                payload = "<unknown>"
            self._hash = hash((self.type, payload))
        return self._hash

    def __repr__(self) -> str:
        if self._v is _UNKNOWN:
            return f"unknown_val({self.type!r})"
        if self._v is None:
            return f"null_val({self.type!r})"
        if isinstance(self._v, BigFloat):
            return f"number({self._v.text('f', -1)})"
        if isinstance(self._v, dict):
            return f"{self.type.__class__.__name__}({self._v!r})"
        if isinstance(self._v, tuple):
            return f"{self.type.__class__.__name__}({list(self._v)!r})"
        return f"{self.type!r}({self._v!r})"

    # operations (cty value_ops.go) ---------------------------------------------------------------------------

    def equals(self, other: Value) -> Value:
        return equals(self, other)

    def not_equal(self, other: Value) -> Value:
        return not_(equals(self, other))


# constructors --------------------------------------------------------------------------------------------------

TRUE: Final = Value(BOOL, True)
FALSE: Final = Value(BOOL, False)
DYNAMIC_VAL: Final = Value(DYNAMIC, _UNKNOWN)
"""``cty.DynamicVal``: an unknown value of unknown type."""


def bool_val(b: bool) -> Value:
    return TRUE if b else FALSE


def string_val(s: str) -> Value:
    return Value(STRING, normalize_string(s))


def number_val(f: BigFloat) -> Value:
    return Value(NUMBER, f)


def number_int_val(i: int) -> Value:
    """``cty.NumberIntVal``: 64-bit precision (wider integers keep every bit, like ``SetInt``)."""
    return Value(NUMBER, BigFloat.from_int(i, 64 if -(1 << 63) <= i < (1 << 63) else None))


def number_float_val(f: float) -> Value:
    """``cty.NumberFloatVal``: 53-bit precision. NaN raises ``NaNError`` (Go panics)."""
    return Value(NUMBER, BigFloat.from_float(f))


def parse_number_val(s: str) -> Value:
    """``cty.ParseNumberVal``: 512-bit precision; raises ``NumberSyntaxError`` if not a number."""
    return Value(NUMBER, BigFloat.parse(s))


def null_val(ty: CtyType) -> Value:
    return Value(ty, None)


def unknown_val(ty: CtyType) -> Value:
    return DYNAMIC_VAL if isinstance(ty, DynamicPseudoType) else Value(ty, _UNKNOWN)


def tuple_val(elems: Iterable[Value]) -> Value:
    items = tuple(elems)
    return Value(TupleType(tuple(v.type for v in items)), items)


EMPTY_TUPLE_VAL: Final = tuple_val(())


def object_val(attrs: Mapping[str, Value]) -> Value:
    norm = {normalize_string(k): v for k, v in attrs.items()}
    ordered = {k: norm[k] for k in sorted(norm)}
    return Value(ObjectType(tuple((k, v.type) for k, v in ordered.items())), ordered)


EMPTY_OBJECT_VAL: Final = object_val({})


def _common_type(kind: str, vals: Iterable[Value]) -> CtyType:
    ety: CtyType = DYNAMIC
    for v in vals:
        if isinstance(ety, DynamicPseudoType):
            ety = v.type
        elif not isinstance(v.type, DynamicPseudoType) and ety != v.type:
            raise TypeError(f"inconsistent {kind} element types ({ety!r} then {v.type!r})")
    return ety


def list_val(elems: Iterable[Value]) -> Value:
    """``cty.ListVal``: all elements must have one type; use ``list_val_empty`` for an empty list."""
    items = tuple(elems)
    if not items:
        raise ValueError("must not call list_val with no elements")
    return Value(ListType(_common_type("list", items)), items)


def list_val_empty(ety: CtyType) -> Value:
    return Value(ListType(ety), ())


def map_val(elems: Mapping[str, Value]) -> Value:
    if not elems:
        raise ValueError("must not call map_val with no elements")
    ety = _common_type("map", elems.values())
    norm = {normalize_string(k): v for k, v in elems.items()}
    return Value(MapType(ety), {k: norm[k] for k in sorted(norm)})


def map_val_empty(ety: CtyType) -> Value:
    return Value(MapType(ety), {})


def set_val(elems: Iterable[Value]) -> Value:
    """``cty.SetVal``: duplicates (by ``equals``) collapse; iteration order is cty's."""
    items = tuple(elems)
    if not items:
        raise ValueError("must not call set_val with no elements")
    ety = _common_type("set", items)
    return Value(SetType(ety), _set_order(ety, items))


def set_val_empty(ety: CtyType) -> Value:
    return Value(SetType(ety), ())


# sets ----------------------------------------------------------------------------------------------------------


def _go_quote_for_hash(s: str) -> str:
    from packer_py.gofmt import quote as go_quote

    return go_quote(s)


def set_hash_bytes(val: Value) -> str:
    """cty's ``appendSetHashBytes``: the text whose crc32 picks a set bucket and which orders complex elements."""
    parts: list[str] = []
    _hash_bytes(val, parts)
    return "".join(parts)


def _hash_bytes(val: Value, out: list[str]) -> None:
    if not val.is_known:
        out.append("?")
        return
    if val.is_null:
        out.append("~")
        return
    ty = val.type
    if ty == NUMBER:
        out.append(str(val.as_bigfloat()))
    elif ty == BOOL:
        out.append("T" if val.true() else "F")
    elif ty == STRING:
        out.append(_go_quote_for_hash(val.as_string()))
    elif isinstance(ty, MapType):
        out.append("{")
        for k, v in val.attrs().items():
            out.append(_go_quote_for_hash(k))
            out.append(":")
            _hash_bytes(v, out)
            out.append(";")
        out.append("}")
    elif isinstance(ty, ListType | SetType):
        out.append("[")
        for v in val.elements():
            _hash_bytes(v, out)
            out.append(";")
        out.append("]")
    elif isinstance(ty, ObjectType):
        out.append("<")
        for v in val.attrs().values():
            _hash_bytes(v, out)
            out.append(";")
        out.append(">")
    elif isinstance(ty, TupleType):
        out.append("<")
        for v in val.elements():
            _hash_bytes(v, out)
            out.append(";")
        out.append(">")
    else:
        raise TypeError("unsupported type in set hash")


def _set_less(ety: CtyType, a: Value, b: Value) -> bool:
    """``setRules.Less``."""
    if raw_equals(a, b):
        return False
    if b.is_null and not a.is_null:
        return True
    if a.is_null:
        return False
    if a.is_known and not b.is_known:
        return True
    if not a.is_known:
        return False
    if ety == STRING:
        return a.as_string().encode() < b.as_string().encode()
    if ety == BOOL:
        return b.true() or not a.true()
    if ety == NUMBER:
        return a.as_bigfloat().cmp(b.as_bigfloat()) < 0
    return set_hash_bytes(a).encode() < set_hash_bytes(b).encode()


def _set_order(ety: CtyType, items: tuple[Value, ...]) -> tuple[Value, ...]:
    buckets: dict[int, list[Value]] = {}
    for v in items:
        h = zlib.crc32(set_hash_bytes(v).encode())
        bucket = buckets.setdefault(h, [])
        if not any(_set_equivalent(v, e) for e in bucket):
            bucket.append(v)
    ordered = [v for h in sorted(buckets) for v in buckets[h]]

    def cmp(a: Value, b: Value) -> int:
        if _set_less(ety, a, b):
            return -1
        if _set_less(ety, b, a):
            return 1
        return 0

    ordered.sort(key=cmp_to_key(cmp))
    return tuple(ordered)


def _set_equivalent(a: Value, b: Value) -> bool:
    eq = equals(a, b)
    return eq.is_known and not eq.is_null and eq.true()


def set_has(s: Value, elem: Value) -> bool:
    """Membership as cty's set does it: same hash bucket and ``equals``."""
    h = zlib.crc32(set_hash_bytes(elem).encode())
    return any(zlib.crc32(set_hash_bytes(e).encode()) == h and _set_equivalent(elem, e) for e in s.elements())


# comparison ----------------------------------------------------------------------------------------------------


def raw_equals(a: Value, b: Value) -> bool:
    """``RawEquals``: identical type and content (unknowns equal unknowns, nulls equal nulls)."""
    if a is b:
        return True
    if a.type != b.type:
        return False
    if a._v is _UNKNOWN or b._v is _UNKNOWN:
        return a._v is b._v
    if a._v is None or b._v is None:
        return a._v is b._v
    if isinstance(a._v, BigFloat) and isinstance(b._v, BigFloat):
        return a._v.cmp(b._v) == 0
    if isinstance(a._v, dict) and isinstance(b._v, dict):
        return a._v.keys() == b._v.keys() and all(raw_equals(v, b._v[k]) for k, v in a._v.items())
    if isinstance(a._v, tuple) and isinstance(b._v, tuple):
        return len(a._v) == len(b._v) and all(raw_equals(x, y) for x, y in zip(a._v, b._v, strict=True))
    return bool(a._v == b._v)


def equals(a: Value, b: Value) -> Value:
    """``Value.Equals``: HCL's ``==``; unknown when either side (or a nested part) is unknown."""
    if not a.is_known and not b.is_known:
        return unknown_val(BOOL)
    if a.is_known and not b.is_known:
        if a.is_null or b.type.has_dynamic_types():
            return unknown_val(BOOL)
        return FALSE if a.type != b.type else unknown_val(BOOL)
    if b.is_known and not a.is_known:
        if b.is_null or a.type.has_dynamic_types():
            return unknown_val(BOOL)
        return FALSE if a.type != b.type else unknown_val(BOOL)
    if a.is_null and b.is_null:
        return TRUE
    if a.is_null or b.is_null:
        return FALSE
    if a.type.has_dynamic_types() or b.type.has_dynamic_types():
        return unknown_val(BOOL)
    if a.type != b.type:
        return FALSE
    ty = a.type
    if ty == NUMBER:
        return bool_val(a.as_bigfloat().cmp(b.as_bigfloat()) == 0)
    if ty in (BOOL, STRING):
        return bool_val(a._v == b._v)
    if isinstance(ty, SetType):
        return bool_val(all(set_has(b, v) for v in a.elements()) and all(set_has(a, v) for v in b.elements()))
    if isinstance(ty, ObjectType | MapType):
        da, db = a.attrs(), b.attrs()
        if da.keys() != db.keys():
            return FALSE
        pairs: Iterable[tuple[Value, Value]] = ((v, db[k]) for k, v in da.items())
    else:
        ea, eb = a.elements(), b.elements()
        if len(ea) != len(eb):
            return FALSE
        pairs = zip(ea, eb, strict=True)
    for x, y in pairs:
        eq = equals(x, y)
        if not eq.is_known:
            return unknown_val(BOOL)
        if not eq.true():
            return FALSE
    return TRUE


def not_(v: Value) -> Value:
    short = _short_circuit((BOOL,), BOOL, v)
    if short is not None:
        return short
    return bool_val(not v.true())


def _short_circuit(want: tuple[CtyType, ...], result: CtyType, *vals: Value) -> Value | None:
    """``mustTypeCheck`` + ``forceShortCircuitType``: unknown operands give an unknown result."""
    for v in vals:
        if v.type != want[0] and not isinstance(v.type, DynamicPseudoType):
            raise TypeError(f"{want[0]!r} required, got {v.type!r}")
    for v in vals:
        if v.is_null:
            raise ValueError("can't use a null value in an operation")
    if any(not v.is_known for v in vals):
        return unknown_val(result)
    return None


def and_(a: Value, b: Value) -> Value:
    short = _short_circuit((BOOL,), BOOL, a, b)
    return short if short is not None else bool_val(a.true() and b.true())


def or_(a: Value, b: Value) -> Value:
    short = _short_circuit((BOOL,), BOOL, a, b)
    return short if short is not None else bool_val(a.true() or b.true())


def add(a: Value, b: Value) -> Value:
    short = _short_circuit((NUMBER,), NUMBER, a, b)
    return short if short is not None else number_val(a.as_bigfloat().add(b.as_bigfloat()))


def subtract(a: Value, b: Value) -> Value:
    short = _short_circuit((NUMBER,), NUMBER, a, b)
    return short if short is not None else number_val(a.as_bigfloat().sub(b.as_bigfloat()))


def multiply(a: Value, b: Value) -> Value:
    short = _short_circuit((NUMBER,), NUMBER, a, b)
    return short if short is not None else number_val(a.as_bigfloat().mul(b.as_bigfloat()))


def divide(a: Value, b: Value) -> Value:
    """``Divide``: x/0 is ±Inf; 0/0 and Inf/Inf raise ``NaNError``."""
    short = _short_circuit((NUMBER,), NUMBER, a, b)
    return short if short is not None else number_val(a.as_bigfloat().quo(b.as_bigfloat()))


def modulo(a: Value, b: Value) -> Value:
    """``Modulo``: sign follows the dividend (``-5 % 3`` is ``-2``); ``x % 0`` is ``x``; infinities multiply."""
    short = _short_circuit((NUMBER,), NUMBER, a, b)
    if short is not None:
        return short
    x, y = a.as_bigfloat(), b.as_bigfloat()
    if x.is_inf or y.is_inf:
        return number_val(x.mul(y))
    if y.is_zero:
        return a
    quotient = x.quo(y).to_int()
    work = BigFloat.from_int(quotient)
    work = y.mul(work, prec=work.prec)
    work = x.sub(work, prec=work.prec)
    return number_val(work)


def negate(a: Value) -> Value:
    short = _short_circuit((NUMBER,), NUMBER, a)
    return short if short is not None else number_val(a.as_bigfloat().neg_())


def absolute(a: Value) -> Value:
    short = _short_circuit((NUMBER,), NUMBER, a)
    return short if short is not None else number_val(a.as_bigfloat().abs_())


def less_than(a: Value, b: Value) -> Value:
    short = _short_circuit((NUMBER,), BOOL, a, b)
    return short if short is not None else bool_val(a.as_bigfloat().cmp(b.as_bigfloat()) < 0)


def greater_than(a: Value, b: Value) -> Value:
    short = _short_circuit((NUMBER,), BOOL, a, b)
    return short if short is not None else bool_val(a.as_bigfloat().cmp(b.as_bigfloat()) > 0)


def less_than_or_equal(a: Value, b: Value) -> Value:
    return or_(less_than(a, b), equals(a, b))


def greater_than_or_equal(a: Value, b: Value) -> Value:
    return or_(greater_than(a, b), equals(a, b))


def length(v: Value) -> Value:
    """``Length``: tuples by type, otherwise unknown when the collection is unknown."""
    if isinstance(v.type, TupleType):
        return number_int_val(len(v.type.elements))
    if not v.is_known:
        return unknown_val(NUMBER)
    return number_int_val(v.length_int())


def get_attr(v: Value, name: str) -> Value:
    """``GetAttr`` on an object (the attribute must exist)."""
    if isinstance(v.type, DynamicPseudoType):
        return DYNAMIC_VAL
    if not isinstance(v.type, ObjectType):
        raise TypeError("value is not an object")
    aty = v.type.attribute_types[normalize_string(name)]
    if not v.is_known:
        return unknown_val(aty)
    return v.attrs()[normalize_string(name)]


def index(v: Value, key: Value) -> Value:
    """``Index`` on a list, map or tuple with a key known to be present."""
    ty = v.type
    if isinstance(ty, DynamicPseudoType):
        return DYNAMIC_VAL
    if isinstance(ty, ListType | MapType):
        if isinstance(key.type, DynamicPseudoType) or not key.is_known or not v.is_known:
            return unknown_val(ty.element)
        if isinstance(ty, MapType):
            return v.attrs()[key.as_string()]
        i = key.as_bigfloat().int64()
        if i is None or i < 0:
            raise IndexError("element key for list must be non-negative integer")
        return v.elements()[i]
    if isinstance(ty, TupleType):
        if isinstance(key.type, DynamicPseudoType) or not key.is_known:
            return DYNAMIC_VAL
        i = key.as_bigfloat().int64()
        if i is None or i < 0:
            raise IndexError("element key for list must be non-negative integer")
        if not v.is_known:
            return unknown_val(ty.elements[i])
        return v.elements()[i]
    raise TypeError("not a list, map, or tuple type")


def has_index(v: Value, key: Value) -> Value:
    """``HasIndex``: a cty bool, unknown when it cannot be decided yet."""
    ty = v.type
    if isinstance(ty, DynamicPseudoType) or isinstance(key.type, DynamicPseudoType):
        return unknown_val(BOOL)
    if isinstance(ty, ListType | TupleType):
        if key.type != NUMBER:
            return FALSE
        if not key.is_known or (isinstance(ty, ListType) and not v.is_known):
            return unknown_val(BOOL)
        i = key.as_bigfloat().int64()
        if i is None or i < 0:
            return FALSE
        size = len(ty.elements) if isinstance(ty, TupleType) else len(v.elements())
        return bool_val(i < size)
    if isinstance(ty, MapType):
        if key.type != STRING:
            return FALSE
        if not key.is_known or not v.is_known:
            return unknown_val(BOOL)
        return bool_val(key.as_string() in v.attrs())
    raise TypeError("not a list, map, or tuple type")


def has_element(s: Value, elem: Value) -> Value:
    """``HasElement`` on a set."""
    if not isinstance(s.type, SetType):
        raise TypeError("not a set type")
    if not s.is_known or not elem.is_known:
        return unknown_val(BOOL)
    if s.type.element != elem.type:
        return FALSE
    return bool_val(set_has(s, elem))
