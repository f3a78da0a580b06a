"""go-cty conversions, unification and messages beyond what the console goldens show."""

from __future__ import annotations

import pytest

from packer_py.interpolate.hcl.convert import ConversionError, convert, mismatch_message, unify, unify_unsafe
from packer_py.interpolate.hcl.pydata import from_python, to_python
from packer_py.interpolate.hcl.typeexpr import TypeSpecError, parse_type_constraint
from packer_py.interpolate.hcl.types import BOOL, DYNAMIC, NUMBER, STRING, ListType, MapType, ObjectType, TupleType


def test_unify_prefers_string_and_lists() -> None:
    assert unify([NUMBER, STRING])[0] == STRING
    assert unify([NUMBER, BOOL])[0] is None
    assert unify_unsafe([NUMBER, BOOL])[0] is None
    assert unify_unsafe([STRING, DYNAMIC])[0] == STRING
    assert unify([TupleType((STRING,)), TupleType((STRING, STRING))])[0] == ListType(STRING)
    assert unify([ObjectType.of({"a": STRING}), ObjectType.of({"b": NUMBER})])[0] == MapType(STRING)


@pytest.mark.parametrize(
    ("got", "want", "message"),
    [
        (STRING, ListType(STRING), "list of string required"),
        (ListType(BOOL), ListType(NUMBER), "incorrect list element type: number required"),
        (TupleType((STRING, BOOL)), ListType(NUMBER), "element 1: number required"),
        (ObjectType.of({"a": ListType(STRING)}), MapType(STRING), 'element "a": string required'),
        (ObjectType.of({"a": STRING}), ObjectType.of({"a": STRING, "b": STRING, "c": BOOL, "d": NUMBER}),
         'attributes "b", "c", and "d" are required'),
        (ObjectType.of({"a": BOOL}), ObjectType.of({"a": NUMBER}), 'attribute "a": number required'),
        (NUMBER, ListType(DYNAMIC), "list of any single type required"),
    ],
)  # fmt: skip
def test_mismatch_messages(got: object, want: object, message: str) -> None:
    assert mismatch_message(got, want) == message  # type: ignore[arg-type]


def test_conversion_error_carries_the_path() -> None:
    with pytest.raises(ConversionError) as info:
        convert(from_python({"a": ["1", "x"]}), parse_type_constraint("object({a = list(number)})"))
    assert str(info.value) == "a number is required"
    assert info.value.path == ("a", 1)


def test_variable_type_constraints_from_text() -> None:
    ty = parse_type_constraint("object({name = string, ports = list(number), tags = map(string), any = any})")
    value = convert(from_python({"name": "web", "ports": ["80", 443], "tags": {"a": 1}, "any": [1], "extra": 1}), ty)
    assert to_python(value) == {"name": "web", "ports": [80, 443], "tags": {"a": "1"}, "any": [1]}
    assert parse_type_constraint("tuple([string, bool])") == TupleType((STRING, BOOL))
    with pytest.raises(TypeSpecError, match='The keyword "strin" is not a valid type specification.'):
        parse_type_constraint("strin")
    with pytest.raises(TypeSpecError, match="requires one argument specifying the element type"):
        parse_type_constraint("map")


def test_pydata_roundtrip() -> None:
    data = {"a": [1, 2.5, "x", None, True], "b": {}}
    assert to_python(from_python(data)) == data
