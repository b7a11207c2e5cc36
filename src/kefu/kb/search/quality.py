"""Search quality on the labelled query set (queries.tsv): Hit@1, Hit@3, MRR.

Used by the regression test (tests/kb) and by bench/kb_bench.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kefu.kb.search.index import Hit

QUERIES = Path(__file__).parent / "queries.tsv"
DEPTH = 10  # ranks beyond this count as not found


@dataclass(frozen=True)
class LabelledQuery:
    language: str
    kind: str  # zh / en / typo / trad / synonym / mixed
    expected: str  # slug
    query: str


@dataclass
class Quality:
    total: int = 0
    hit1: int = 0
    hit3: int = 0
    reciprocal_ranks: float = 0.0
    misses: list[tuple[LabelledQuery, list[str]]] = field(default_factory=list)

    @property
    def hit_at_1(self) -> float:
        return self.hit1 / self.total if self.total else 0.0

    @property
    def hit_at_3(self) -> float:
        return self.hit3 / self.total if self.total else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.total if self.total else 0.0

    def add(self, query: LabelledQuery, slugs: list[str]) -> None:
        self.total += 1
        rank = slugs.index(query.expected) + 1 if query.expected in slugs else 0
        self.hit1 += rank == 1
        self.hit3 += 0 < rank <= 3
        self.reciprocal_ranks += 1 / rank if rank else 0.0
        if rank != 1:
            self.misses.append((query, slugs[:3]))

    def as_dict(self) -> dict[str, float | int]:
        return {
            "queries": self.total,
            "hit_at_1": round(self.hit_at_1, 4),
            "hit_at_3": round(self.hit_at_3, 4),
            "mrr": round(self.mrr, 4),
        }


def load_queries(path: Path = QUERIES) -> list[LabelledQuery]:
    queries = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, kind, expected, query = line.split("\t")
        queries.append(LabelledQuery(language, kind, expected, query))
    return queries


def evaluate(
    search: Callable[[str, str, int], list[Hit]], queries: list[LabelledQuery]
) -> dict[str, Quality]:
    """Quality overall ("all") and per kind of query."""
    results: dict[str, Quality] = {"all": Quality()}
    for query in queries:
        slugs = [hit.slug for hit in search(query.query, query.language, DEPTH)]
        results["all"].add(query, slugs)
        results.setdefault(query.kind, Quality()).add(query, slugs)
    return results
