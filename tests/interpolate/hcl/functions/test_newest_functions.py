"""Functions the newest Packer has and 1.6.6 lacks: expected values from the newest Packer's documentation and
source (``hcl2template/function/*.go``, cty ``stdlib``), since no 1.6.6 golden can exist for them."""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from packer_py.interpolate.hcl.functions import FunctionCallError, FunctionContext, functions_for
from packer_py.interpolate.hcl.types import NUMBER
from packer_py.interpolate.hcl.values import list_val, unknown_val
from tests.interpolate.hcl.functions.helpers_for_tests import call, py

FIXTURES = Path(__file__).resolve().parents[4] / "conformance" / "console" / "hcl" / "fixtures"


def test_alltrue_anytrue() -> None:
    assert py("alltrue", ["true", True]) is True
    assert py("alltrue", [True, False]) is False
    assert py("alltrue", []) is True
    assert py("anytrue", ["true"]) is True
    assert py("anytrue", [False]) is False
    assert py("anytrue", []) is False


def test_alltrue_rejects_non_bools() -> None:
    with pytest.raises(FunctionCallError, match="a bool is required"):
        call("alltrue", ["yes"])


def test_string_predicates() -> None:
    assert py("startswith", "hello world", "hello") is True
    assert py("startswith", "hello world", "world") is False
    assert py("endswith", "hello world", "world") is True
    assert py("strcontains", "hello world", "wor") is True
    assert py("strcontains", "hello world", "cat") is False


def test_sum() -> None:
    assert py("sum", [10, 13, 6, 4.5]) == 33.5
    assert py("sum", ["1", 2]) == 3
    with pytest.raises(FunctionCallError, match="cannot sum an empty list"):
        call("sum", [])
    with pytest.raises(FunctionCallError, match="argument must be list, set, or tuple of number values"):
        call("sum", [1, "x"])
    with pytest.raises(FunctionCallError, match="argument must be list, set, or tuple. Received object"):
        call("sum", {"a": 1})


def test_regex_forms() -> None:
    assert py("regex", "[a-z]+", "53453453.345345aaabbbccc23454") == "aaabbbccc"
    assert py("regex", r"(\d\d\d\d)-(\d\d)-(\d\d)", "2019-02-01") == ["2019", "02", "01"]
    assert py("regex", "^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/") == {
        "authority": "terraform.io",
        "scheme": "https",
    }
    with pytest.raises(FunctionCallError, match="pattern did not match any part of the given string"):
        call("regex", "[a-z]+", "53453453.34534523454")
    with pytest.raises(FunctionCallError, match="cannot mix both named and unnamed capture groups"):
        call("regex", "(?P<a>x)(y)", "xy")


def test_regexall() -> None:
    assert py("regexall", "[a-z]+", "1234abcd5678efgh9") == ["abcd", "efgh"]
    assert py("regexall", "[a-z]+", "123456789") == []
    assert py("regexall", "(a)(b)?", "a ab") == [["a", None], ["a", "b"]]


def test_re2_translation() -> None:
    assert py("regex", r"^\d+$", "123") == "123"
    with pytest.raises(FunctionCallError):
        call("regex", r"^\d+$", "123\n")  # RE2 "$" is end of text, not before a final newline
    assert py("regex", r"[[:alpha:]]+", "12ab3") == "ab"
    assert py("regex", r"\Q.*\E", "a.*b") == ".*"
    assert py("regex", r"\d+", "٣12") == "12"  # \d is ASCII-only in RE2


def test_base64gzip_roundtrip() -> None:
    encoded = py("base64gzip", "test")
    assert isinstance(encoded, str)
    raw = base64.b64decode(encoded)
    assert raw[:2] == b"\x1f\x8b" and raw[9] == 0xFF
    assert gzip.decompress(raw) == b"test"


def test_text_base64() -> None:
    assert py("textencodebase64", "Hello World", "UTF-16LE") == "SABlAGwAbABvACAAVwBvAHIAbABkAA=="
    assert py("textdecodebase64", "SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE") == "Hello World"
    with pytest.raises(FunctionCallError, match='"bogus" is not a supported IANA encoding name or alias'):
        call("textencodebase64", "x", "bogus")
    with pytest.raises(FunctionCallError, match="cannot be represented in ascii"):
        call("textencodebase64", "é", "ascii")


def test_filebase64_reads_relative_to_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    assert py("filebase64", "hello.txt") == "SGVsbG8gV29ybGQK"
    with pytest.raises(FunctionCallError, match='failed to read file "nope"'):
        call("filebase64", "nope")


def test_rfc3339_parse() -> None:
    assert py("rfc3339_parse", "2023-07-25T23:43:16Z") == {
        "year": 2023, "year_day": 206, "day": 25, "month": 7, "month_name": "July", "weekday": 2,
        "weekday_name": "Tuesday", "hour": 23, "minute": 43, "second": 16, "unix": 1690328596,
        "iso_year": 2023, "iso_week": 30,
    }  # fmt: skip
    assert py("rfc3339_parse", "2023-07-25 23:43:16.5-02:00")["unix"] == 1690335796  # type: ignore[index]
    with pytest.raises(FunctionCallError, match='"2023-07-25" is not a valid RFC3339 timestamp'):
        call("rfc3339_parse", "2023-07-25")


def test_unix_timestamp_parse() -> None:
    result = py("unix_timestamp_parse", 1690328596)
    assert isinstance(result, dict)
    assert result["rfc3339"] == "2023-07-25T23:43:16Z"
    assert result["iso_week"] == 30 and result["weekday_name"] == "Tuesday"
    assert py("unix_timestamp_parse", 0)["rfc3339"] == "1970-01-01T00:00:00Z"  # type: ignore[index]
    with pytest.raises(FunctionCallError, match="whole number of seconds"):
        call("unix_timestamp_parse", 1.5)


def test_legacy_time_functions_use_the_run_start() -> None:
    ctx = FunctionContext(run_start=datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC))
    assert py("legacy_isotime", context=ctx) == "2021-03-04T05:06:07Z"
    assert py("legacy_isotime", "2006-01-02 15:04:05 Mon Jan", context=ctx) == "2021-03-04 05:06:07 Thu Mar"
    assert py("legacy_strftime", "%Y%m%d-%H%M%S %% %q %a", context=ctx) == "20210304-050607 % %q Thu"
    with pytest.raises(FunctionCallError, match="too many values, 1 needed"):
        call("legacy_isotime", "a", "b", context=ctx)


def test_newest_index_is_a_context_choice() -> None:
    newest = FunctionContext(legacy_index=False)
    assert py("index", ["a", "b", "c"], "b", context=newest) == 1
    with pytest.raises(FunctionCallError, match="item not found"):
        call("index", ["a"], "z", context=newest)
    assert py("index", ["a", "b", "c"], 1) == "b"  # Packer 1.6.6: index(collection, key)


def test_unknown_arguments_short_circuit() -> None:
    fn = functions_for()["sum"]
    assert not fn.call([list_val([unknown_val(NUMBER)])]).is_known
