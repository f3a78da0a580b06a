"""Line splitting of remote output: whole lines as they arrive, nothing lost at the end, bytes decoded safely."""

from __future__ import annotations

from packer_py.communicator.output import LineSplitter


def _split(*chunks: bytes) -> list[str]:
    lines: list[str] = []
    splitter = LineSplitter(lines.append)
    for chunk in chunks:
        splitter.feed(chunk)
    splitter.close()
    return lines


def test_lines_are_delivered_without_newline() -> None:
    assert _split(b"one\ntwo\n") == ["one", "two"]


def test_a_line_split_across_chunks_is_delivered_once_whole() -> None:
    assert _split(b"hel", b"lo wor", b"ld\nnext\n") == ["hello world", "next"]


def test_final_partial_line_is_delivered_at_close() -> None:
    assert _split(b"done\nno newline") == ["done", "no newline"]


def test_empty_lines_are_kept_and_no_phantom_line_at_end() -> None:
    assert _split(b"\n\na\n") == ["", "", "a"]
    assert _split(b"") == []


def test_carriage_returns_are_left_for_the_ui() -> None:
    assert _split(b"progress 10%\rprogress 100%\r\n") == ["progress 10%\rprogress 100%\r"]


def test_utf8_character_split_across_chunks_is_decoded_whole() -> None:
    data = "héllo ✓\n".encode()
    assert _split(data[:2], data[2:8], data[8:]) == ["héllo ✓"]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert _split(b"bad \xff\xfe byte\n", b"\xe2\x9c") == ["bad \ufffd\ufffd byte", "\ufffd"]


def test_lines_arrive_as_soon_as_they_are_complete() -> None:
    seen: list[str] = []
    splitter = LineSplitter(seen.append)
    splitter.feed(b"first\nsec")
    assert seen == ["first"]
    splitter.feed(b"ond\n")
    assert seen == ["first", "second"]
