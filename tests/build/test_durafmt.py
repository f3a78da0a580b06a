from __future__ import annotations

import pytest

from packer_py.build.durafmt import durafmt


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.058959, "58 milliseconds 959 microseconds"),
        (192.4, "3 minutes 12 seconds"),
        (1.0, "1 second"),
        (61.0, "1 minute 1 second"),
        (3600 * 25 + 5, "1 day 1 hour"),
        (0.000001, "1 microsecond"),
        (2.5, "2 seconds 500 milliseconds"),
        (0, ""),
    ],
)
def test_first_two_units(seconds: float, text: str) -> None:
    assert durafmt(seconds) == text
