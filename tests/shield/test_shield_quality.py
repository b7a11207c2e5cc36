"""The labelled set: size, both languages, and the targets of issue #3."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from kefu.shield.quality import Report, evaluate, load_cases

CASES = Path(__file__).with_name("cases.jsonl")
RECALL_TARGETS = {
    "seed_phrase": 0.99,
    "private_key": 0.99,
    "password": 0.97,
    "verification_code": 0.97,
    "api_secret": 0.97,
}


def _make_cases() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_cases", CASES.with_name("make_cases.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(load_cases(CASES))


def test_the_committed_cases_are_what_make_cases_writes() -> None:
    module = _make_cases()
    assert CASES.read_text(encoding="utf-8") == module.render(module.build())


def test_the_set_has_at_least_300_cases_in_both_languages() -> None:
    cases = load_cases(CASES)
    languages = {case.language for case in cases}
    assert len(cases) >= 300
    assert languages == {"en", "zh-Hans"}
    assert sum(not case.expected for case in cases) >= 100  # near misses


@pytest.mark.parametrize(("kind", "target"), sorted(RECALL_TARGETS.items()))
def test_recall_meets_the_target(report: Report, kind: str, target: float) -> None:
    assert report.kinds[kind].secrets >= 30
    assert report.kinds[kind].recall >= target


def test_card_numbers_are_found(report: Report) -> None:
    assert report.kinds["card_number"].recall >= 0.97


def test_precision_is_high_for_every_kind(report: Report) -> None:
    for score in report.kinds.values():
        assert score.precision >= 0.97


@pytest.mark.parametrize("kind", ["tx_id", "address", "uid", "order_id", "phone", "api_key"])
def test_no_value_support_needs_is_redacted(report: Report, kind: str) -> None:
    assert report.kept.get(kind, 0) >= 8
    assert [case for case, k in report.redacted_keeps if k == kind] == []


def test_nothing_support_needs_is_redacted_at_all(report: Report) -> None:
    assert report.redacted_keeps == []
