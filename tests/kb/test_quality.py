"""The labelled query set is a regression floor (figures in docs/subsystems/help-center.md)."""

from __future__ import annotations

from kefu.kb.search.memory import MemoryIndex
from kefu.kb.search.quality import evaluate, load_queries


def test_the_query_set_is_big_and_covers_both_languages() -> None:
    queries = load_queries()
    assert len(queries) >= 150
    assert {q.language for q in queries} == {"zh-Hans", "en"}
    assert {"typo", "trad", "synonym", "mixed", "holdout"} <= {q.kind for q in queries}


def test_search_quality_stays_above_the_floor(index: MemoryIndex) -> None:
    results = evaluate(index.search, load_queries())
    overall, holdout = results["all"], results["holdout"]
    misses = [(q.query, q.expected, top) for q, top in overall.misses]
    assert overall.hit_at_3 >= 0.95, misses
    assert overall.hit_at_1 >= 0.90, misses
    assert overall.mrr >= 0.93, misses
    assert holdout.hit_at_3 >= 0.90, misses
    for kind in ("zh", "en", "trad", "mixed", "typo", "synonym"):
        assert results[kind].hit_at_3 >= 0.9, (kind, results[kind].as_dict())
