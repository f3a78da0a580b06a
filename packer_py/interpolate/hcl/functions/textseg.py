"""Extended grapheme clusters (Unicode UAX #29), as ``go-textseg`` splits text for cty.

``length``, ``substr``, ``strrev`` and ``format``'s width/precision count user-perceived characters, not code
points: ``length("noël")`` is 4 even when the ë is two code points. This is a compact implementation of the
boundary rules (CR LF, controls, combining marks, spacing marks, Hangul syllables, emoji ZWJ sequences, regional
indicator pairs) over ``unicodedata`` categories, with the emoji ranges approximated.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

_EXT_PICT = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21A9, 0x21AA),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x2388, 0x2388),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25AB),
    (0x25B6, 0x25B6),
    (0x25C0, 0x25C0),
    (0x25FB, 0x25FE),
    (0x2600, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1F1E5),
    (0x1F200, 0x1F3FA),
    (0x1F400, 0x1FAFF),
    (0x1FC00, 0x1FFFD),
)


def _is_ext_pict(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _EXT_PICT)


def _kind(ch: str) -> str:
    cp = ord(ch)
    if ch == "\r":
        return "CR"
    if ch == "\n":
        return "LF"
    if cp == 0x200D:
        return "ZWJ"
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return "RI"
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or cp == 0x200C or 0xFF9E <= cp <= 0xFF9F:
        return "Extend"
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me"):
        return "Extend"
    if cat == "Mc":
        return "SpacingMark"
    if cat in ("Cc", "Zl", "Zp", "Cf", "Cs"):
        return "Control"
    if _is_ext_pict(cp):
        return "ExtPict"
    return "Other"


def _breaks(prev: str, cur: str, state: dict[str, int]) -> bool:
    if prev == "CR" and cur == "LF":
        return False
    if prev in ("CR", "LF", "Control") or cur in ("CR", "LF", "Control"):
        return True
    if prev == "L" and cur in ("L", "V", "LV", "LVT"):
        return False
    if prev in ("LV", "V") and cur in ("V", "T"):
        return False
    if prev in ("LVT", "T") and cur == "T":
        return False
    if cur in ("Extend", "ZWJ", "SpacingMark"):
        return False
    if prev == "ZWJ" and cur == "ExtPict" and state.get("pict_zwj"):
        return False
    return not (prev == "RI" and cur == "RI" and state.get("ri", 0) % 2 == 1)


def graphemes(text: str) -> Iterator[str]:
    """The grapheme clusters of ``text`` in order."""
    if not text:
        return
    start = 0
    prev = _kind(text[0])
    state = {"ri": 1 if prev == "RI" else 0, "pict": 1 if prev == "ExtPict" else 0, "pict_zwj": 0}
    for i in range(1, len(text)):
        cur = _kind(text[i])
        if _breaks(prev, cur, state):
            yield text[start:i]
            start = i
            state = {"ri": 0, "pict": 0, "pict_zwj": 0}
        state["ri"] = state["ri"] + 1 if cur == "RI" else 0
        if cur == "ExtPict":
            state["pict"], state["pict_zwj"] = 1, 0
        elif cur == "ZWJ":
            state["pict_zwj"] = state["pict"]
        elif cur != "Extend":
            state["pict"], state["pict_zwj"] = 0, 0
        prev = cur
    yield text[start:]


def grapheme_count(text: str) -> int:
    if text.isascii() and "\r\n" not in text:
        return len(text)
    return sum(1 for _ in graphemes(text))
