"""The conformance corpus, held to the project's thresholds (issue: foundation; HCL2 cases join with the HCL issue).

Every mismatch must be explained in ``conformance/deviations.md`` (a line naming the case id and the command):
an unexplained difference fails, and so does a score under its threshold.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conformance.runner import CommandResult, corpus_available, load_cases, run_case

pytestmark = pytest.mark.skipif(not corpus_available(), reason="../shared/conformance-corpus is absent")

DEVIATIONS = Path(__file__).resolve().parent / "deviations.md"
THRESHOLDS = {  # (format, command) -> (minimum share of equal verdicts, minimum share of identical outputs)
    ("json", "validate-syntax"): (1.0, 1.0),
    ("json", "inspect"): (1.0, 0.95),
}


@pytest.fixture(scope="module")
def results() -> dict[tuple[str, str], list[CommandResult]]:
    cases = [c for c in load_cases() if c.format == "json"]
    out: dict[tuple[str, str], list[CommandResult]] = {}

    def one(case):  # type: ignore[no-untyped-def]
        return run_case(case, [cmd for (fmt, cmd) in THRESHOLDS if fmt == case.format])

    with ThreadPoolExecutor(4) as pool:
        for rs in pool.map(one, cases):
            for r in rs:
                if r.expected_rc is not None:
                    out.setdefault(("json", r.command), []).append(r)
    return out


def documented_deviations() -> set[tuple[str, str]]:
    found = set()
    for line in DEVIATIONS.read_text().splitlines():
        m = re.match(r"\s*[-*|]\s*`?(\d{3}-[\w.-]+)`?\s*[|:]?\s*`?([\w-]+)`?", line)
        if m:
            found.add((m.group(1), m.group(2)))
    return found


@pytest.mark.parametrize("key", sorted(THRESHOLDS))
def test_thresholds(results: dict[tuple[str, str], list[CommandResult]], key: tuple[str, str]) -> None:
    rs = results[key]
    verdicts = sum(r.verdict_equal for r in rs) / len(rs)
    outputs = sum(r.output_equal for r in rs) / len(rs)
    min_verdict, min_output = THRESHOLDS[key]
    assert verdicts >= min_verdict, [r.case for r in rs if not r.verdict_equal]
    assert outputs >= min_output, [r.case for r in rs if not r.output_equal]


def test_every_mismatch_is_documented(results: dict[tuple[str, str], list[CommandResult]]) -> None:
    documented = documented_deviations()
    undocumented = [
        (r.case, r.command) for rs in results.values() for r in rs
        if not r.output_equal and (r.case, r.command) not in documented
    ]
    assert not undocumented, f"undocumented differences from Packer 1.6.6: {undocumented}"
