"""Go's parsers and printers as Packer's decoder uses them (expected texts are Go 1.19's)."""

from __future__ import annotations

import pytest

from packer_py.gofmt import format_float_f, format_value, kind_name, quote, type_name
from packer_py.goparse import (
    Duration,
    GoParseError,
    format_duration,
    parse_bool,
    parse_duration,
    parse_float,
    parse_int,
    parse_uint,
)


@pytest.mark.parametrize(
    ("text", "nanoseconds"),
    [
        ("5m", 300_000_000_000),
        ("1h30m", 5_400_000_000_000),
        ("1.5s", 1_500_000_000),
        (".5s", 500_000_000),
        ("-2m", -120_000_000_000),
        ("+3ms", 3_000_000),
        ("0", 0),
        ("1µs", 1000),
        ("1us", 1000),
        ("2h45m30.5s", 9_930_500_000_000),
    ],
)
def test_parse_duration(text: str, nanoseconds: int) -> None:
    assert parse_duration(text) == nanoseconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", 'time: invalid duration "abc"'),
        ("", 'time: invalid duration ""'),
        ("5", 'time: missing unit in duration "5"'),
        ("5x", 'time: unknown unit "x" in duration "5x"'),
        ("1.5.5s", 'time: missing unit in duration "1.5.5s"'),
        ("9999999999h", 'time: invalid duration "9999999999h"'),
        ("5é", 'time: unknown unit "\\xc3\\xa9" in duration "5\\xc3\\xa9"'),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(GoParseError) as excinfo:
        parse_duration(text)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("nanoseconds", "text"),
    [
        (0, "0s"),
        (300_000_000_000, "5m0s"),
        (5_400_000_000_000, "1h30m0s"),
        (1_500_000_000, "1.5s"),
        (1500, "1.5µs"),
        (12, "12ns"),
        (-90_000_000_000, "-1m30s"),
        (2_000_000, "2ms"),
    ],
)
def test_format_duration(nanoseconds: int, text: str) -> None:
    assert format_duration(nanoseconds) == text
    assert str(Duration(nanoseconds)) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [("22", 22), ("-5", -5), ("0x16", 22), ("0o17", 15), ("017", 15), ("0b101", 5), ("1_000", 1000), ("0", 0)],
)
def test_parse_int(text: str, value: int) -> None:
    assert parse_int(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "invalid syntax"),
        ("", "invalid syntax"),
        ("1__0", "invalid syntax"),
        ("_1", "invalid syntax"),
        ("0x", "invalid syntax"),
        ("1.5", "invalid syntax"),
        ("9223372036854775808", "value out of range"),
        ("-9223372036854775809", "value out of range"),
    ],
)
def test_parse_int_errors(text: str, reason: str) -> None:
    with pytest.raises(GoParseError) as excinfo:
        parse_int(text)
    assert str(excinfo.value) == f"strconv.ParseInt: parsing {quote(text)}: {reason}"


def test_parse_int_bounds() -> None:
    assert parse_int("-9223372036854775808") == -(1 << 63)
    assert parse_uint("255", 8) == 255
    with pytest.raises(GoParseError, match=r'^strconv.ParseUint: parsing "256": value out of range$'):
        parse_uint("256", 8)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.5", 1.5), ("1_000.5", 1000.5), ("0x1p-2", 0.25), (".5e1", 5.0), ("-Inf", float("-inf")), ("+1e308", 1e308)],
)
def test_parse_float(text: str, value: float) -> None:
    assert parse_float(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [("1e400", "value out of range"), ("0x1", "invalid syntax"), ("1__0", "invalid syntax"), ("1e", "invalid syntax")],
)
def test_parse_float_errors(text: str, reason: str) -> None:
    """Go's ``strconv.ParseFloat`` rejects hex floats without ``p`` and misplaced underscores; the template parser
    relies on that to tell ``{{ 1e400 }}`` (illegal number syntax) from a float."""
    with pytest.raises(GoParseError) as excinfo:
        parse_float(text)
    assert str(excinfo.value) == f"strconv.ParseFloat: parsing {quote(text)}: {reason}"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", True),
        ("t", True),
        ("TRUE", True),
        ("True", True),
        ("0", False),
        ("f", False),
        ("FALSE", False),
        ("false", False),
    ],
)
def test_parse_bool(text: str, value: bool) -> None:
    assert parse_bool(text) is value


@pytest.mark.parametrize("text", ["yes", "on", "tRUE", ""])
def test_parse_bool_errors(text: str) -> None:
    with pytest.raises(GoParseError) as excinfo:
        parse_bool(text)
    assert str(excinfo.value) == f"strconv.ParseBool: parsing {quote(text)}: invalid syntax"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1"),
        (1.5, "1.5"),
        (100000, "100000"),
        (1e6, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (1e21, "1e+21"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2.5, "-2.5"),
        (0, "0"),
        (True, "true"),
        (None, "<nil>"),
        ([1, "a", [2]], "[1 a [2]]"),
        ({"b": 1, "a": [True]}, "map[a:[true] b:1]"),
    ],
)
def test_format_value_is_go_percent_v(value: object, text: str) -> None:
    assert format_value(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(22.0, "22"), (1.5, "1.5"), (1e21, "1000000000000000000000"), (0.00001, "0.00001"), (-3, "-3")]
)
def test_format_float_f(value: float, text: str) -> None:
    assert format_float_f(value) == text


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("foo", '"foo"'),
        ('we"ird\tkey', '"we\\"ird\\tkey"'),
        ("ключ", '"ключ"'),
        ("a\\b", '"a\\\\b"'),
        ("\x01", '"\\x01"'),
        ("\u200b", '"\\u200b"'),
    ],
)
def test_quote_is_strconv_quote(text: str, quoted: str) -> None:
    assert quote(text) == quoted


def test_go_type_names_of_json_values() -> None:
    assert [type_name(v) for v in ("", 1, 1.5, True, [], {})] == [
        "string",
        "float64",
        "float64",
        "bool",
        "[]interface {}",
        "map[interface {}]interface {}",
    ]
    assert [kind_name(v) for v in ("", 1, True, [], {})] == ["string", "float64", "bool", "slice", "map"]
