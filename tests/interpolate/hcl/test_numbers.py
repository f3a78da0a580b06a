"""BigFloat: cty's number precision rules and Go's text forms (expected texts are Packer 1.6.6 outputs, also in
the console goldens)."""

from __future__ import annotations

import pytest

from packer_py.interpolate.hcl.numbers import BigFloat, NaNError, NumberSyntaxError, format_go_float64

P = BigFloat.parse


def test_precision_follows_the_operands() -> None:
    assert P("1").quo(P("3")).text("f", -1) == "0." + "3" * 154 + "5"
    assert BigFloat.from_int(2).quo(BigFloat.from_int(3)).text("f", -1) == "0.6666666666666666667"
    assert BigFloat.from_float(2.0**100).text("f", -1) == "1267650600228229400000000000000"
    assert P("0.1").add(P("0.2")).text("f", -1) == "0.3"


def test_huge_and_tiny_values_stay_finite() -> None:
    big = P("1e300").mul(P("1e300"))
    assert big.text("f", -1) == "1" + "0" * 600
    assert P("-1").quo(big).text("f", -1).endswith("99999995")
    assert P("1").quo(P("0")).text("f", -1) == "+Inf"


def test_nan_operations_raise() -> None:
    with pytest.raises(NaNError):
        P("0").quo(P("0"))
    with pytest.raises(NaNError):
        BigFloat.infinity().add(BigFloat.infinity(neg=True))


@pytest.mark.parametrize(
    ("text", "shown"),
    [("inf", "+Inf"), ("-Inf", "-Inf"), ("1p4", "16"), (".5", "0.5"), ("5.", "5"), ("+3", "3"), ("1e5", "100000")],
)
def test_parse_accepts_what_big_parsefloat_accepts(text: str, shown: str) -> None:
    assert P(text).text("f", -1) == shown


@pytest.mark.parametrize("text", [" 5", "0x10", "1_0", ".", "1e", "", "--1"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(NumberSyntaxError):
        P(text)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(12345678.5, "1.23456785e+07"), (1e21, "1e+21"), (1e-5, "1e-05"), (1e-4, "0.0001"), (-0.0, "-0"),
     (9.223372036854776e18, "9.223372036854776e+18"), (float("inf"), "+Inf"), (100000.0, "100000")],
)  # fmt: skip
def test_go_percent_g(value: float, shown: str) -> None:
    assert format_go_float64(value) == shown


def test_text_formats() -> None:
    x = P("1234.5678")
    assert x.text("e", 3) == "1.235e+03"
    assert x.text("f", 2) == "1234.57"
    assert x.text("g", 10) == "1234.5678"
    assert str(P("12345678901")) == "1.23456789e+10"
    assert P("0.125").text("f", 2) == "0.12"  # ties to even on the exact decimal


def test_int_helpers() -> None:
    assert P("5").int64() == 5
    assert P("5.5").int64() is None
    assert P("9223372036854775808").int64() is None
    assert P("-2.7").to_int() == -2
