"""Stage 1: the lexer yields Go's token stream (types, offsets, lines), trim markers included."""

from __future__ import annotations

from packer_py.interpolate.gotemplate.lexer import TokenType as T
from packer_py.interpolate.gotemplate.lexer import byte_column, lex


def kinds(text: str) -> list[tuple[T, str]]:
    return [(t.type, t.value) for t in lex(text)]


def test_text_and_action_tokens() -> None:
    assert kinds("a{{ user `x` | upper }}b") == [
        (T.TEXT, "a"),
        (T.LEFT_DELIM, "{{"),
        (T.SPACE, " "),
        (T.IDENTIFIER, "user"),
        (T.SPACE, " "),
        (T.RAW_STRING, "`x`"),
        (T.SPACE, " "),
        (T.PIPE, "|"),
        (T.SPACE, " "),
        (T.IDENTIFIER, "upper"),
        (T.SPACE, " "),
        (T.RIGHT_DELIM, "}}"),
        (T.TEXT, "b"),
        (T.EOF, ""),
    ]


def test_trim_markers_remove_surrounding_white_space() -> None:
    assert kinds("a \n {{- 1 -}} \n b") == [
        (T.TEXT, "a"),
        (T.LEFT_DELIM, "{{"),
        (T.NUMBER, "1"),
        (T.RIGHT_DELIM, "}}"),
        (T.TEXT, "b"),
        (T.EOF, ""),
    ]


def test_minus_without_space_is_a_number_not_a_trim_marker() -> None:
    assert (T.NUMBER, "-3") in kinds("{{-3}}")


def test_comments_are_dropped() -> None:
    assert kinds("x{{/* c */}}y") == [(T.TEXT, "x"), (T.TEXT, "y"), (T.EOF, "")]


def test_keywords_fields_variables_and_literals() -> None:
    tokens = kinds("{{ if .A.B $x := 'c' 1.5 1+2i true nil . }}")
    assert (T.IF, "if") in tokens
    assert (T.FIELD, ".A") in tokens and (T.FIELD, ".B") in tokens
    assert (T.VARIABLE, "$x") in tokens and (T.DECLARE, ":=") in tokens
    assert (T.CHAR_CONSTANT, "'c'") in tokens
    assert (T.NUMBER, "1.5") in tokens and (T.COMPLEX, "1+2i") in tokens
    assert (T.BOOL, "true") in tokens and (T.NIL, "nil") in tokens and (T.DOT, ".") in tokens


def test_error_token_ends_the_stream() -> None:
    tokens = list(lex('{{ "abc }}'))
    assert tokens[-1].type == T.ERROR
    assert tokens[-1].value == "unterminated quoted string"


def test_right_paren_is_emitted_before_the_error() -> None:
    """Go's parser reads the ``)`` and complains about it before it sees the lexer's error."""
    assert [t.type for t in lex("{{ ) }}")][-2:] == [T.RIGHT_PAREN, T.ERROR]


def test_lines_count_newlines_inside_actions_and_text() -> None:
    tokens = list(lex("a\nb{{ `x\ny` }}\n{{ z }}"))
    ident = next(t for t in tokens if t.type == T.IDENTIFIER)
    assert ident.line == 4
    raw = next(t for t in tokens if t.type == T.RAW_STRING)
    assert raw.line == 2


def test_byte_column_counts_utf8_bytes_from_zero() -> None:
    text = "é\n  é{{ x }}"
    assert byte_column(text, text.index("x")) == (2, 7)
    assert byte_column("{{ x }}", 3) == (1, 3)


def test_bad_characters() -> None:
    assert list(lex("{{ a+b }}"))[-1].value == "bad character U+002B '+'"
    assert list(lex("{{ \x01 }}"))[-1].value == "unrecognized character in action: U+0001"
