"""Precision and recall of the shield on a labelled set of cases (tests/shield/cases.jsonl).

Each case: {"id", "text", "language", "expected": [{"kind", "secret"}], "keep": [{"kind", "text"}]}.
A secret counts as found when findings of its kind cover every character of it;
a finding counts as correct when it overlaps a secret of its kind. A `keep`
substring (tx id, address, UID …) must not overlap any finding.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kefu.shield.findings import KINDS, Finding
from kefu.shield.redact import find_secrets


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    language: str
    expected: tuple[tuple[str, str], ...]
    keep: tuple[tuple[str, str], ...]


@dataclass
class KindScore:
    secrets: int = 0
    found: int = 0
    findings: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.secrets if self.secrets else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.findings if self.findings else 1.0


@dataclass
class Report:
    cases: int = 0
    kinds: dict[str, KindScore] = field(default_factory=lambda: {k: KindScore() for k in KINDS})
    kept: dict[str, int] = field(default_factory=dict)
    redacted_keeps: list[tuple[str, str]] = field(default_factory=list)  # (case id, keep kind)
    missed: list[tuple[str, str]] = field(default_factory=list)  # (case id, kind)
    wrong: list[tuple[str, str]] = field(default_factory=list)  # (case id, finding kind)


def load_cases(path: Path) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        cases.append(
            Case(
                id=raw["id"],
                text=raw["text"],
                language=raw["language"],
                expected=tuple((e["kind"], e["secret"]) for e in raw.get("expected", [])),
                keep=tuple((k["kind"], k["text"]) for k in raw.get("keep", [])),
            )
        )
    return cases


def evaluate(cases: Iterable[Case]) -> Report:
    report = Report()
    for case in cases:
        report.cases += 1
        _score_case(report, case, find_secrets(case.text))
    return report


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.find(part)
    if start < 0:
        raise ValueError("a labelled substring is missing from its case text")
    return start, start + len(part)


def _covered(span: tuple[int, int], findings: list[Finding]) -> bool:
    pos = span[0]
    for f in sorted(findings, key=lambda f: f.start):
        if f.start <= pos < f.end:
            pos = f.end
    return pos >= span[1]


def _overlaps(finding: Finding, span: tuple[int, int]) -> bool:
    return finding.start < span[1] and span[0] < finding.end


def _score_case(report: Report, case: Case, findings: tuple[Finding, ...]) -> None:
    secrets = [(kind, _span(case.text, secret)) for kind, secret in case.expected]
    for kind, span in secrets:
        score = report.kinds[kind]
        score.secrets += 1
        if _covered(span, [f for f in findings if f.kind == kind]):
            score.found += 1
        else:
            report.missed.append((case.id, kind))
    for finding in findings:
        score = report.kinds[finding.kind]
        score.findings += 1
        if any(kind == finding.kind and _overlaps(finding, span) for kind, span in secrets):
            score.correct += 1
        else:
            report.wrong.append((case.id, finding.kind))
    for kind, text in case.keep:
        report.kept[kind] = report.kept.get(kind, 0) + 1
        span = _span(case.text, text)
        if any(_overlaps(f, span) for f in findings):
            report.redacted_keeps.append((case.id, kind))


def format_report(report: Report) -> str:
    """Markdown tables: per kind precision/recall, and the must-keep values."""
    lines = [
        f"{report.cases} cases",
        "",
        "| kind | secrets | found | recall | findings | correct | precision |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, s in report.kinds.items():
        lines.append(
            f"| {kind} | {s.secrets} | {s.found} | {s.recall:.1%} | {s.findings} "
            f"| {s.correct} | {s.precision:.1%} |"
        )
    redacted: dict[str, int] = {}
    for _, kind in report.redacted_keeps:
        redacted[kind] = redacted.get(kind, 0) + 1
    lines += ["", "| must keep | cases | redacted |", "|---|---:|---:|"]
    lines += [f"| {k} | {n} | {redacted.get(k, 0)} |" for k, n in sorted(report.kept.items())]
    return "\n".join(lines)
