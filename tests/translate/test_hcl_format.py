"""``packer fmt``: hclwrite.Format byte for byte, and the command's output, against goldens recorded from Packer 1.6.6
(``conformance/fmt-cases/record.py``), plus properties that hold for any input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packer_py.cli import main
from packer_py.translate.formatter import hcl_parses
from packer_py.translate.hcl_format import TokenType, format_hcl, lex

CASES = Path(__file__).resolve().parents[2] / "conformance" / "fmt-cases"
INPUTS = CASES / "inputs"
GOLDEN = CASES / "golden"
ALL_CASES = sorted(p.name for p in INPUTS.iterdir())


def _name(case: str) -> str:
    return case.removesuffix(".pkr.hcl")


def _rc(case: str, stem: str) -> int:
    return int((GOLDEN / f"{_name(case)}.{stem}.rc").read_text())


FORMATTABLE = [c for c in ALL_CASES if not (INPUTS / c).is_dir() and _rc(c, "fmt") == 0]


@pytest.mark.parametrize("case", FORMATTABLE)
def test_format_matches_packer(case: str) -> None:
    assert format_hcl((INPUTS / case).read_bytes()) == (GOLDEN / f"{_name(case)}.formatted").read_bytes()


def _run(capsysbinary: pytest.CaptureFixture[bytes], argv: list[str]) -> tuple[bytes, int]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsysbinary.readouterr()
    return out + err, int(exit_info.value.code or 0)


@pytest.mark.parametrize("case", ALL_CASES)
def test_command_matches_packer(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source = INPUTS / case
    work = tmp_path / "case"
    if source.is_dir():
        shutil.copytree(source, work)
        target = "."
    else:
        work.mkdir()
        shutil.copy2(source, work / case)
        target = case
    monkeypatch.chdir(work)
    name = _name(case)
    for stem, flags in (("fmt", ["-write=false", "-diff"]), ("check", ["-check"])):
        out, rc = _run(capsysbinary, ["fmt", *flags, target])
        assert (out, rc) == ((GOLDEN / f"{name}.{stem}.out").read_bytes(), _rc(case, stem)), stem
    _run(capsysbinary, ["fmt", target])
    expected = GOLDEN / f"{name}.formatted"
    if source.is_dir():
        files = sorted(p.relative_to(expected) for p in expected.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(work) for p in work.rglob("*") if p.is_file())
        for rel in files:
            assert (work / rel).read_bytes() == (expected / rel).read_bytes(), rel
    else:
        assert (work / case).read_bytes() == expected.read_bytes()


def test_stdin_prints_the_formatted_text(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Newer Packer's ``fmt -``: the formatted text on stdout, no file name and no diff (even with -diff)."""
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a=1\nbbb =  2")))
    assert _run(capsysbinary, ["fmt", "-diff", "-"]) == (b"a   = 1\nbbb = 2", 0)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a=1\n")))
    assert _run(capsysbinary, ["fmt", "-check", "-"]) == (b"", 3)


def test_recursive_walks_subdirectories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.pkr.hcl").write_text("x=1\n")
    (tmp_path / "a.pkrvars.hcl").write_text("a=1\n")
    (tmp_path / "c.pkr.hcl").write_text("c = 1\n")
    monkeypatch.chdir(tmp_path)
    assert _run(capsysbinary, ["fmt", "-check", "."]) == (b"a.pkrvars.hcl\n", 3)
    assert _run(capsysbinary, ["fmt", "-recursive", "."]) == (b"a.pkrvars.hcl\nb/x.pkr.hcl\n", 0)
    assert (tmp_path / "b" / "x.pkr.hcl").read_text() == "x = 1\n"


def test_usage_errors_exit_1(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    out, rc = _run(capsysbinary, ["fmt", "-write=maybe", "x.pkr.hcl"])
    assert rc == 1
    assert out.startswith(b"Usage: packer fmt [options] [TEMPLATE]\n")
    assert out.endswith(b'invalid boolean value "maybe" for -write: parse error\n')
    assert _run(capsysbinary, ["fmt"])[1] == 1
    assert _run(capsysbinary, ["fmt", "a", "b"])[1] == 1


def test_missing_path_is_reported_like_go(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out, rc = _run(capsysbinary, ["fmt", "nope"])
    assert (out, rc) == (
        b"Error: Cannot tell wether nope is a directory\n\nstat nope: no such file or directory\n\n\n",
        1,
    )


# -- the scanner ---------------------------------------------------------------------------------------------------
def _types(src: str) -> list[tuple[TokenType, str]]:
    return [(t.type, t.text) for t in lex(src)][:-1]


def test_heredoc_close_marker_keeps_its_indentation() -> None:
    T = TokenType
    assert _types("a = <<-EOT\n  x ${y}\n    EOT\n") == [
        (T.IDENT, "a"),
        (T.EQUAL, "="),
        (T.OHEREDOC, "<<-EOT\n"),
        (T.STRING_LIT, "  x "),
        (T.TEMPLATE_INTERP, "${"),
        (T.IDENT, "y"),
        (T.TEMPLATE_SEQ_END, "}"),
        (T.STRING_LIT, "\n"),
        (T.CHEREDOC, "    EOT"),
        (T.NEWLINE, "\n"),
    ]


def test_a_marker_after_an_interpolation_on_the_same_line_does_not_close() -> None:
    types = [t for t, _ in _types("a = <<EOT\n${x}EOT\nEOT\n")]
    assert types.count(TokenType.CHEREDOC) == 1
    assert types[-2:] == [TokenType.CHEREDOC, TokenType.NEWLINE]


def test_quoted_template_escapes_and_strip_markers() -> None:
    T = TokenType
    assert _types('"$${a}%%{b}$x${~c~}"') == [
        (T.OQUOTE, '"'),
        (T.QUOTED_LIT, "$${"),
        (T.QUOTED_LIT, "a}"),
        (T.QUOTED_LIT, "%%{"),
        (T.QUOTED_LIT, "b}"),
        (T.QUOTED_LIT, "$"),
        (T.QUOTED_LIT, "x"),
        (T.TEMPLATE_INTERP, "${~"),
        (T.IDENT, "c"),
        (T.TEMPLATE_SEQ_END, "~}"),
        (T.CQUOTE, '"'),
    ]


def test_line_comments_swallow_their_newline_and_block_comments_do_not() -> None:
    T = TokenType
    assert _types("# a\n/* b */\n// c") == [
        (T.COMMENT, "# a\n"),
        (T.COMMENT, "/* b */"),
        (T.NEWLINE, "\n"),
        (T.COMMENT, "// c"),
    ]


def test_identifiers_take_hyphens_and_numbers_do_not_end_in_a_dot() -> None:
    T = TokenType
    assert _types("a-b 1. 1.5e3 x...") == [
        (T.IDENT, "a-b"),
        (T.NUMBER_LIT, "1"),
        (T.DOT, "."),
        (T.NUMBER_LIT, "1.5e3"),
        (T.IDENT, "x"),
        (T.ELLIPSIS, "..."),
    ]


# -- properties ----------------------------------------------------------------------------------------------------
_FRAGMENTS = [
    "a", "bb", "in", "for", "x-y", "var.v", "local.l[0]", "f(", ")", "(", "[", "]", "{", "}", ",", "=", "==", "!=",
    "+", "-", "*", "/", "%", "!", "?", ":", "=>", "&&", "||", "<", ">=", "1", "2.5", "1e3", '"s"', '"a${b}c"',
    '"%{ if x }y%{ else }z%{ endif }"', '"${~ q ~}"', '"$${esc}"', "# c\n", "// c\n", "/* c */", "/* m\n l */",
    "<<EOT\nline ${v}\n  EOT\n", "<<-X\n  y\n  X\n", "\n", "\n", "\n", "\r\n", "...", "[*]", "ü", "\"ü\"", "$", "~",
]  # fmt: skip
_SEPARATORS = [" ", "  ", "\t", " \t ", "   "]


@st.composite
def hclish(draw: st.DrawFn) -> str:
    """HCL-like text: fragments joined by whitespace, so formatting cannot merge two of them into one token."""
    parts = draw(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
    seps = draw(st.lists(st.sampled_from(_SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return "".join(sep + part for sep, part in zip(seps, parts, strict=True))


def _significant(src: bytes) -> list[tuple[TokenType, str]]:
    return [(t.type, t.text) for t in lex(src.decode("utf-8", "surrogateescape"))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hclish())
def test_formatting_only_changes_whitespace_and_is_idempotent(text: str) -> None:
    src = text.encode()
    once = format_hcl(src)
    assert _significant(once) == _significant(src)
    assert format_hcl(once) == once


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_never_a_traceback(src: bytes) -> None:
    format_hcl(src)
    hcl_parses(src)
