"""Stage 4: execution semantics (truth, pipes, variables, range/with, short-circuit) and Go value printing."""

from __future__ import annotations

import pytest

from packer_py.interpolate.gotemplate import ExecError, RenderContext, render
from packer_py.interpolate.gotemplate.gofmt import format_float, sprint, sprintf, sprintln
from packer_py.interpolate.gotemplate.values import Boxed, Uint8, is_true, type_name

DATA = {"List": ["a", "b", "c"], "Map": {"z": "1", "a": "2"}, "Empty": [], "Name": "web", "Nil": None}


def run(text: str) -> str:
    return render(text, RenderContext(data=DATA))


def test_pipe_passes_the_value_as_the_last_argument() -> None:
    assert run('{{ "x" | printf "%s-%s" "y" }}') == "y-x"
    assert run('{{ .Name | replace_all "w" "W" }}') == "Web"


def test_range_lists_and_maps_in_key_order() -> None:
    assert run("{{ range $i, $e := .List }}{{ $i }}{{ $e }}{{ end }}") == "0a1b2c"
    assert run("{{ range $k, $v := .Map }}{{ $k }}={{ $v }};{{ end }}") == "a=2;z=1;"
    assert run("{{ range .Empty }}x{{ else }}none{{ end }}") == "none"


def test_break_and_continue() -> None:
    assert run('{{ range .List }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }}') == "ac"
    assert run('{{ range .List }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}') == "a"


def test_with_sets_the_cursor_and_else_runs_on_empty() -> None:
    assert run("{{ with .Name }}[{{ . }}]{{ end }}") == "[web]"
    assert run("{{ with .Empty }}x{{ else }}empty{{ end }}") == "empty"


def test_variables_are_scoped_to_their_block() -> None:
    assert run('{{ $x := "a" }}{{ if true }}{{ $x := "b" }}{{ $x }}{{ end }}{{ $x }}') == "ba"
    assert run('{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ end }}{{ $x }}') == "b"
    assert run("{{ range .List }}{{ $.Name }}{{ end }}") == "webwebweb"


def test_and_or_short_circuit_and_return_an_operand() -> None:
    assert run("{{ and 0 build_name }}") == "0"  # build_name would fail if it were called
    assert run('{{ or "" "x" build_name }}') == "x"
    assert run("{{ and 1 2 }}") == "2"


def test_go_truthiness() -> None:
    assert [is_true(v)[0] for v in ("", "a", 0, 1, 0.0, [], ["a"], {}, None, Boxed(None), False)] == [
        False,
        True,
        False,
        True,
        False,
        False,
        True,
        False,
        False,
        False,
        False,
    ]


def test_missing_values_and_nil_interfaces() -> None:
    assert run("{{ .Nope }}") == "<no value>"
    assert run('{{ printf "%v" .Nope }}') == "<nil>"
    assert run("{{ .Nil }}") == "<no value>"
    with pytest.raises(ExecError, match=r"nil pointer evaluating interface \{\}\.X"):
        run("{{ .Nil.X }}")


def test_bytes_of_strings_are_uint8() -> None:
    assert run('{{ index "abc" 1 }}') == "98"
    assert type_name(Uint8(98)) == "uint8"
    assert run('{{ len "héllo" }}') == "6"


def test_go_float_formatting() -> None:
    assert format_float(1e6, "g", -1) == "1e+06"
    assert format_float(123456.0, "g", -1) == "123456"
    assert format_float(0.1, "e", 3) == "1.000e-01"
    assert format_float(2.5, "f", 0) == "2"
    assert format_float(1.5, "x", -1) == "0x1.8p+00"
    assert format_float(1.0, "b", -1) == "4503599627370496p-52"


def test_sprint_spacing_rules() -> None:
    assert sprint([1, 2, "a", 3, "b", "c"]) == "1 2a3bc"
    assert sprintln(["a", 1]) == "a 1\n"
    assert sprint([{"b": "2", "a": "1"}, ["x", None]]) == "map[a:1 b:2] [x <nil>]"


def test_sprintf_reports_bad_verbs_inline() -> None:
    assert sprintf("%d|%s|%d", ["a", 1]) == "%!d(string=a)|%!s(int=1)|%!d(MISSING)"
    assert sprintf("%s", ["a", 2]) == "a%!(EXTRA int=2)"
    assert sprintf("%5.1f|%-4s|%04d|%x|%q", [3.14159, "ab", 7, "hi", "é"]) == '  3.1|ab  |0007|6869|"é"'
