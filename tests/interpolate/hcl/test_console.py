"""console_repr edge cases that need values the console cannot type in."""

from __future__ import annotations

from packer_py.interpolate.hcl.console import console_repr
from packer_py.interpolate.hcl.types import NUMBER, STRING
from packer_py.interpolate.hcl.values import (
    list_val,
    map_val,
    null_val,
    set_val_empty,
    string_val,
    tuple_val,
    unknown_val,
)


def test_unknown_anywhere_prints_unknown() -> None:
    assert console_repr(tuple_val([string_val("a"), unknown_val(NUMBER)])) == "<unknown>"


def test_nulls_drop_from_maps_but_not_lists() -> None:
    assert console_repr(map_val({"a": null_val(STRING), "b": string_val("x")})) == '{\n  "b" = "x"\n}'
    assert console_repr(list_val([null_val(STRING)])) == "[\n  null,\n]"


def test_nested_strings_are_go_quoted() -> None:
    assert console_repr(list_val([string_val('tab\tnl\nq"é\x01')])) == '[\n  "tab\\tnl\\nq\\"é\\x01",\n]'
    assert console_repr(string_val("raw\n")) == "raw\n"
    assert console_repr(set_val_empty(STRING)) == "[]"
