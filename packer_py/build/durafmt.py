"""Durations as Packer prints them in its build summary: hako/durafmt's ``Parse(d).LimitFirstN(2)``.

``Build 'null' finished after 58 milliseconds 959 microseconds.``, ``==> Wait completed after 3 minutes 12 seconds``:
the largest non-zero units, at most two, plural unless the value is 1 (``1 second``). A zero duration prints as
the empty string, as durafmt does for ``0s`` (durafmt only names a zero unit when the input text matches it).
"""

from __future__ import annotations

_UNITS: tuple[tuple[str, int], ...] = (
    ("years", 365 * 24 * 3600 * 1_000_000),
    ("weeks", 7 * 24 * 3600 * 1_000_000),
    ("days", 24 * 3600 * 1_000_000),
    ("hours", 3600 * 1_000_000),
    ("minutes", 60 * 1_000_000),
    ("seconds", 1_000_000),
    ("milliseconds", 1000),
    ("microseconds", 1),
)


def durafmt(seconds: float, limit: int = 2) -> str:
    """Format ``seconds`` the way ``durafmt.Parse(d).LimitFirstN(limit).String()`` does (microsecond precision)."""
    micros = int(seconds * 1_000_000)
    sign = ""
    if micros < 0:
        sign, micros = "-", -micros
    parts: list[str] = []
    for name, size in _UNITS:
        value, micros = divmod(micros, size)
        if value > 1:
            parts += [str(value), name]
        elif value == 1:
            parts += ["1", name.rstrip("s")]
    if limit > 0 and len(parts) > limit * 2:
        parts = parts[: limit * 2]
    return sign + " ".join(parts)
