"""``python -m conformance [CASE_ID...] [-v]``: run the corpus and print the per-command table and score."""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor

from conformance.runner import corpus_available, format_table, load_cases, run_case, score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance")
    parser.add_argument("cases", nargs="*", help="case ids (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mismatch with a diff")
    parser.add_argument("-j", "--jobs", type=int, default=4)
    args = parser.parse_args(argv)
    if not corpus_available():
        print("conformance corpus not found (../shared/conformance-corpus)", file=sys.stderr)
        return 2
    cases = load_cases(args.cases)
    with ThreadPoolExecutor(args.jobs) as pool:
        all_results = [r for rs in pool.map(run_case, cases) for r in rs]
    for r in all_results:
        if r.expected_rc is None or r.output_equal:
            continue
        tag = "VERDICT" if not r.verdict_equal else "output"
        print(f"{tag:8} {r.case} {r.command}: rc packer={r.expected_rc} packer-py={r.actual_rc}")
        if args.verbose:
            import difflib

            diff = difflib.unified_diff(
                (r.expected_out or "").splitlines(), r.actual_out.splitlines(), "packer", "packer-py", lineterm=""
            )
            print("\n".join("    " + line for line in diff))
    print(format_table(score(all_results, {c.id: c.format for c in cases})))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
