"""Print the quality table: `python -m kefu.shield.report [tests/shield/cases.jsonl]`."""

from __future__ import annotations

import sys
from pathlib import Path

from kefu.shield.quality import evaluate, format_report, load_cases

DEFAULT_CASES = Path("tests/shield/cases.jsonl")


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_CASES
    report = evaluate(load_cases(path))
    print(format_report(report))
    for case_id, kind in report.missed:
        print(f"missed: {case_id} {kind}")
    for case_id, kind in report.wrong:
        print(f"wrong: {case_id} {kind}")
    for case_id, kind in report.redacted_keeps:
        print(f"redacted keep: {case_id} {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
