"""The cty value model: sets in cty's order, equality, operations."""

from __future__ import annotations

import pytest

from packer_py.interpolate.hcl.numbers import NaNError
from packer_py.interpolate.hcl.types import BOOL, DYNAMIC, NUMBER, STRING, ListType, ObjectType, SetType
from packer_py.interpolate.hcl.values import (
    FALSE,
    TRUE,
    divide,
    equals,
    has_index,
    index,
    list_val,
    modulo,
    null_val,
    number_int_val,
    object_val,
    parse_number_val,
    set_val,
    string_val,
    tuple_val,
    unknown_val,
)


def test_strings_are_nfc() -> None:
    assert string_val("e\u0301").as_string() == "\u00e9"


def test_set_order_and_dedup() -> None:
    s = set_val([string_val("b"), string_val("a"), string_val("b")])
    assert [v.as_string() for v in s.elements()] == ["a", "b"]
    nums = set_val([number_int_val(10), number_int_val(2), parse_number_val("2.0")])
    assert [v.as_bigfloat().to_int() for v in nums.elements()] == [2, 10]
    assert [v.true() for v in set_val([TRUE, FALSE]).elements()] == [False, True]
    lists = set_val(
        [list_val([number_int_val(2)]), list_val([number_int_val(1)]), list_val([number_int_val(1), number_int_val(0)])]
    )
    assert [len(v.elements()) for v in lists.elements()] == [2, 1, 1]  # ordered by hash text "[1;0;]" < "[1;]" < "[2;]"


def test_equality() -> None:
    assert equals(number_int_val(1), parse_number_val("1.0")).true()
    assert not equals(string_val("1"), number_int_val(1)).true()
    assert not equals(unknown_val(STRING), string_val("x")).is_known
    assert equals(null_val(STRING), null_val(NUMBER)).true()
    assert tuple_val([string_val("a")]) == tuple_val([string_val("a")])
    assert hash(object_val({"a": TRUE})) == hash(object_val({"a": TRUE}))


def test_types_of_constructed_values() -> None:
    assert list_val([string_val("a")]).type == ListType(STRING)
    assert set_val([TRUE]).type == SetType(BOOL)
    assert object_val({"b": TRUE, "a": string_val("x")}).type == ObjectType.of({"a": STRING, "b": BOOL})
    with pytest.raises(TypeError):
        list_val([string_val("a"), TRUE])
    assert unknown_val(DYNAMIC).type == DYNAMIC


def test_arithmetic_matches_cty() -> None:
    assert modulo(number_int_val(-5), number_int_val(3)).as_bigfloat().to_int() == -2
    assert modulo(parse_number_val("5.5"), number_int_val(2)).as_bigfloat().text("f", -1) == "1.5"
    assert modulo(number_int_val(5), number_int_val(0)).as_bigfloat().to_int() == 5
    with pytest.raises(NaNError):
        divide(number_int_val(0), number_int_val(0))


def test_index_helpers() -> None:
    lst = list_val([string_val("a"), string_val("b")])
    assert index(lst, number_int_val(1)).as_string() == "b"
    assert not has_index(lst, number_int_val(2)).true()
    assert not has_index(lst, string_val("x")).true()
