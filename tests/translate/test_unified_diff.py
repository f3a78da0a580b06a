"""``diff -u`` as GNU diffutils prints it (what ``packer fmt -diff`` shows). The hunks Packer 1.6.6 printed are
checked through the fmt goldens; here the implementation is compared with the real ``diff`` where it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packer_py.translate.unified_diff import unified_diff

DIFF = shutil.which("diff")
LINES = st.sampled_from(["}", "", "  x", "a", "b", "  }", "c"])


def _gnu(old: bytes, new: bytes, tmp: Path) -> bytes:
    (tmp / "o").write_bytes(old)
    (tmp / "n").write_bytes(new)
    assert DIFF is not None
    proc = subprocess.run([DIFF, "--label=old/f", "--label=new/f", "-u", tmp / "o", tmp / "n"], capture_output=True)
    return proc.stdout


@st.composite
def file_pair(draw: st.DrawFn) -> tuple[bytes, bytes]:
    old = draw(st.lists(LINES, max_size=60))
    new = [line + " " if draw(st.booleans()) and draw(st.booleans()) else line for line in old]
    edits = draw(st.lists(st.tuples(st.integers(0, 60), LINES | st.none()), max_size=6))
    for pos, line in edits:
        if line is None:
            if new:
                del new[pos % len(new)]
        else:
            new.insert(pos % (len(new) + 1), line)
    ends = draw(st.tuples(st.booleans(), st.booleans()))
    texts = [
        "\n".join(lines) + ("\n" if lines and complete else "")
        for lines, complete in zip((old, new), ends, strict=True)
    ]
    return texts[0].encode(), texts[1].encode()


@pytest.mark.skipif(DIFF is None, reason="GNU diff not installed")
@settings(max_examples=200, deadline=None)
@given(file_pair())
def test_same_hunks_as_gnu_diff(tmp_path_factory: pytest.TempPathFactory, pair: tuple[bytes, bytes]) -> None:
    old, new = pair
    assert unified_diff(old, new, "old/f", "new/f") == _gnu(old, new, tmp_path_factory.mktemp("d"))


def test_equal_inputs_give_nothing() -> None:
    assert unified_diff(b"x\n", b"x\n", "a", "b") == b""
