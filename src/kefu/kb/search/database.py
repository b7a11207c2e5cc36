"""`DatabaseIndex`: help-center search on the database's own full-text engine.

Articles are analysed once, when saved (terms.py), into `kb_search_docs`. A search:

1. analyses the query with the same analyser (typo correction learns the latin words of
   the stored articles), and asks the database how many versions hold each term (idf);
2. lets the full-text engine find the versions holding any query term — SQLite FTS5
   ranked by bm25() with title/tag column weights, PostgreSQL a GIN-indexed tsvector
   ranked by ts_rank with field weights — and keeps the best `CANDIDATES`;
3. scores those candidates in Python with `MemoryIndex`'s formula (BM25F over the stored
   per-field terms and lengths, title/tag boosts, query coverage, language preference), so
   SQLite and PostgreSQL return the same ranking (tests/kb/test_database_index.py).

Corpus statistics (version count, average field lengths, the typo vocabulary) are read when
the index is built; `index_for` rebuilds it whenever the articles change.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from kefu.kb.search.analyzer import analyze, fold
from kefu.kb.search.index import Hit, IndexedTranslation, Suggestion
from kefu.kb.search.memory import (
    BIGRAM_WEIGHT,
    CONTENT_FIELDS,
    COVERAGE,
    K1,
    MIN_RELATIVE_SCORE,
    OTHER_LANGUAGE,
    TAGS_BOOST,
    TITLE_BOOST,
    prefix_match,
    snippet_for,
)
from kefu.kb.search.typos import TypoIndex
from kefu.store.db import Database

# Up to this many article versions, every version holding a query term is scored (exactly
# `MemoryIndex`'s ranking). Beyond it, the engine matches on the most informative terms
# (at most MATCH_BUDGET postings beyond the first) and hands over its best CANDIDATES.
EXACT_UP_TO = 2000
CANDIDATES = 30
MATCH_BUDGET = 1000
# When the terms matched on still hold more postings than this (a term in a third of all
# versions), the engine first ranks only the versions holding them in a title or tags:
# bm25() over every posting costs ~0.7 µs each, and a version with the term in its title
# outranks body-only ones in the final scoring anyway (TITLE_BOOST, TAGS_BOOST). The body
# is searched too when titles and tags give fewer than CANDIDATES.
TITLES_FIRST_ABOVE = 2000
MAX_QUERY_TERMS = 64  # a 200-character query stays well under it
SCORED_FIELDS = ("title", "tags", "summary", "body")
# bm25() column weights in column order (title, tags, summary, body); ts_rank's default
# weights for A (title), B (tags), C (summary), D (body) are 1.0, 0.4, 0.2, 0.1.
CANDIDATES_SQLITE = text(
    "SELECT article_id, language, title, tags, summary, body, title_length, tags_length, "
    "summary_length, body_length FROM kb_search_docs WHERE id IN "
    "(SELECT rowid FROM kb_search_fts WHERE kb_search_fts MATCH :query "
    "ORDER BY bm25(kb_search_fts, 4.0, 3.0, 1.5, 1.0), rowid LIMIT :limit) "
    "ORDER BY article_id, language"
)
CANDIDATES_POSTGRES = text(
    "SELECT article_id, language, title, tags, summary, body, title_length, tags_length, "
    "summary_length, body_length FROM kb_search_docs WHERE id IN "
    "(SELECT id FROM kb_search_docs WHERE terms @@ CAST(:query AS tsquery) "
    "ORDER BY ts_rank(terms, CAST(:query AS tsquery)) DESC, id LIMIT :limit) "
    "ORDER BY article_id, language"
)
ALL_MATCHES_SQLITE = text(
    "SELECT article_id, language, title, tags, summary, body, title_length, tags_length, "
    "summary_length, body_length FROM kb_search_docs WHERE id IN "
    "(SELECT rowid FROM kb_search_fts WHERE kb_search_fts MATCH :query) "
    "ORDER BY article_id, language"
)
ALL_MATCHES_POSTGRES = text(
    "SELECT article_id, language, title, tags, summary, body, title_length, tags_length, "
    "summary_length, body_length FROM kb_search_docs WHERE terms @@ CAST(:query AS tsquery) "
    "ORDER BY article_id, language"
)


@dataclass(frozen=True)
class _Candidate:
    article_id: int
    language: str
    padded: tuple[str, ...]  # title, tags, summary, body: terms, each between two spaces
    lengths: dict[str, int]


@dataclass(frozen=True)
class _QueryTerms:
    weights: dict[str, float]  # term -> weight in the query (only terms some version holds)
    idf: dict[str, float]
    frequencies: dict[str, int]  # term -> versions holding it

    def matched(self) -> list[str]:
        """The terms the engine matches candidates on: all of them while the versions to
        rank stay within `MATCH_BUDGET`; beyond, the least informative (frequent terms,
        bigrams) are left to the final scoring of the candidates the others find."""
        by_value = sorted(self.weights, key=lambda t: (-self.idf[t] * self.weights[t], t))
        chosen, postings = [by_value[0]], self.frequencies[by_value[0]]
        for term in by_value[1:]:
            if postings + self.frequencies[term] <= MATCH_BUDGET:
                chosen.append(term)
                postings += self.frequencies[term]
        return chosen

    def postings(self, terms: list[str]) -> int:
        return sum(self.frequencies[term] for term in terms)


@dataclass(frozen=True)
class _Scored:
    score: float
    article_id: int
    language: str


class DatabaseIndex:
    """See `SearchIndex` and the module docstring."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sqlite = db.is_sqlite
        with db.read() as session:
            self.total, self.averages = _statistics(session)
            self._typos = TypoIndex(_surface_counts(session))

    # -- search ---------------------------------------------------------------------------

    def search(self, query: str, language: str, limit: int = 10) -> list[Hit]:
        with self.db.read() as session:
            terms = self._query_terms(session, query)
            ranked = self._ranked(session, terms, language)[:limit]
            return self._hits(session, ranked, language, terms.weights)

    def query_terms(self, query: str) -> dict[str, float]:
        """Query term → weight (terms no article holds are left out)."""
        with self.db.read() as session:
            return self._query_terms(session, query).weights

    def _query_terms(self, session: Session, query: str) -> _QueryTerms:
        weights: dict[str, float] = {}
        for token in analyze(self._typos.correct(fold(query[:200]))):
            weight = BIGRAM_WEIGHT if token.is_bigram else 1.0
            weights[token.term] = max(weights.get(token.term, 0.0), weight)
        terms = list(weights)[:MAX_QUERY_TERMS]
        frequencies = self._document_frequencies(session, terms) if terms else {}
        idf = {
            term: math.log(1 + (self.total - n + 0.5) / (n + 0.5))
            for term, n in frequencies.items()
            if n > 0
        }
        known = {t: weights[t] for t in terms if t in idf}
        return _QueryTerms(known, idf, {t: frequencies[t] for t in known})

    def _document_frequencies(self, session: Session, terms: list[str]) -> dict[str, int]:
        if self.sqlite:
            statement = text(
                "SELECT term, doc FROM kb_search_vocab WHERE term IN :terms"
            ).bindparams(bindparam("terms", expanding=True))
            return {str(t): int(n) for t, n in session.execute(statement, {"terms": terms})}
        statement = text(
            "SELECT count(*) FROM kb_search_docs WHERE terms @@ CAST(:query AS tsquery)"
        )
        return {t: int(session.scalar(statement, {"query": _tsquery([t])}) or 0) for t in terms}

    def _ranked(self, session: Session, terms: _QueryTerms, language: str) -> list[_Scored]:
        """The best version of each matching article, best first, noise cut off."""
        if not terms.weights:
            return []
        best: dict[int, _Scored] = {}
        query = [(f" {t} ", terms.idf[t] * weight) for t, weight in terms.weights.items()]
        exact = self.total <= EXACT_UP_TO
        if exact:
            candidates = self._candidates(session, list(terms.weights), None)
        else:
            matched = terms.matched()
            titles_first = terms.postings(matched) > TITLES_FIRST_ABOVE
            candidates = self._candidates(session, matched, CANDIDATES, titles_first)
        for candidate in candidates:
            score = self._score(candidate, query)
            score *= 1.0 if candidate.language == language else OTHER_LANGUAGE
            current = best.get(candidate.article_id)
            if current is None or score > current.score:
                best[candidate.article_id] = _Scored(
                    score, candidate.article_id, candidate.language
                )
        ranked = sorted(best.values(), key=lambda s: (-s.score, s.article_id))
        floor = ranked[0].score * MIN_RELATIVE_SCORE if ranked else 0.0
        return [item for item in ranked if item.score >= floor]

    def _candidates(
        self, session: Session, terms: list[str], limit: int | None, titles_first: bool = False
    ) -> list[_Candidate]:
        """The engine's best `limit` versions (all when None) holding any of `terms`; with
        `titles_first`, those holding one in a title or tags when there are `limit` of them."""
        if limit is None:
            every = ALL_MATCHES_SQLITE if self.sqlite else ALL_MATCHES_POSTGRES
            rows = session.execute(every, {"query": self._match(terms)})
            return [_candidate(row) for row in rows]
        ranked = CANDIDATES_SQLITE if self.sqlite else CANDIDATES_POSTGRES
        if titles_first:
            query = self._match(terms, titles_only=True)
            found = [
                _candidate(row) for row in session.execute(ranked, {"query": query, "limit": limit})
            ]
            if len(found) >= limit:
                return found
        rows = session.execute(ranked, {"query": self._match(terms), "limit": limit})
        return [_candidate(row) for row in rows]

    def _match(self, terms: list[str], titles_only: bool = False) -> str:
        """The engine's query for versions holding any of `terms` (in a title or tags only)."""
        if self.sqlite:
            query = " OR ".join(f'"{term}"' for term in terms)
            return f"{{title tags}} : ({query})" if titles_only else query
        return _tsquery(terms, "AB" if titles_only else "")

    def _score(self, candidate: _Candidate, query: list[tuple[str, float]]) -> float:
        """`MemoryIndex`'s score: BM25F + boosts per term, times query coverage.

        `query`: (" term ", idf × query weight) per term. The arithmetic is the same, step
        by step, as in `MemoryIndex`, so both give the same floats.
        """
        title, tags, *content = candidate.padded
        norms = [
            1 - b + b * candidate.lengths[name] / max(1.0, self.averages[name])
            for name, (_, b) in CONTENT_FIELDS.items()
        ]
        score = covered = total = 0.0
        for needle, term_idf in query:
            total += term_idf
            counts = [field.count(needle) for field in content]
            in_title, in_tags = needle in title, needle in tags
            if not (in_title or in_tags or any(counts)):
                continue
            factor = self._content_factor(counts, norms) if any(counts) else 0.0
            factor += (TITLE_BOOST if in_title else 0.0) + (TAGS_BOOST if in_tags else 0.0)
            score += term_idf * factor
            covered += term_idf
        return score * (1 - COVERAGE + COVERAGE * covered / total)

    @staticmethod
    def _content_factor(counts: list[int], norms: list[float]) -> float:
        """BM25F saturation of the term's weighted, length-normalised frequency."""
        frequency = 0.0
        for (weight, _), count, norm in zip(CONTENT_FIELDS.values(), counts, norms, strict=True):
            if count:
                frequency = frequency + weight * count / norm
        return frequency * (K1 + 1) / (frequency + K1)

    def _hits(
        self, session: Session, ranked: list[_Scored], language: str, weights: dict[str, float]
    ) -> list[Hit]:
        shown = _shown_versions(session, [s.article_id for s in ranked], language)
        hits = []
        for scored in ranked:
            version = shown[scored.article_id]
            hits.append(
                Hit(
                    article_id=scored.article_id,
                    slug=version.slug,
                    title=version.translation.title,
                    category=version.category,
                    score=round(scored.score, 4),
                    snippet=snippet_for(version.translation, list(weights), version.body_terms),
                    language=version.translation.language,
                )
            )
        return hits

    # -- suggestions ----------------------------------------------------------------------

    def suggest(self, query: str, language: str, limit: int = 6) -> list[Suggestion]:
        pieces = fold(query[:100]).split()[:8]
        if not pieces:
            return []
        with self.db.read() as session:
            result = _prefix_suggestions(session, pieces, language, limit)
            seen = {s.slug for s in result}
            if len(result) < limit:
                ranked = self._ranked(session, self._query_terms(session, query), language)
                more = [s.article_id for s in ranked]
                shown = _shown_versions(session, more[: limit * 2], language)
                for article_id in more[: limit * 2]:
                    version = shown[article_id]
                    if len(result) < limit and version.slug not in seen:
                        seen.add(version.slug)
                        result.append(version.suggestion())
            return result


@dataclass(frozen=True)
class _Version:
    slug: str
    category: str
    translation: IndexedTranslation
    body_terms: tuple[str, str] = ("", "")  # stored terms and spans of the body, by line

    def suggestion(self) -> Suggestion:
        return Suggestion(
            self.slug, self.translation.title, self.category, self.translation.language
        )


def _statistics(session: Session) -> tuple[int, dict[str, float]]:
    """(number of versions, average length of the summary and body fields)."""
    total, summary, body = session.execute(
        text(
            "SELECT count(*), coalesce(sum(summary_length), 0), coalesce(sum(body_length), 0) "
            "FROM kb_search_docs"
        )
    ).one()
    averages = {"summary": int(summary) / max(1, total), "body": int(body) / max(1, total)}
    assert set(averages) == set(CONTENT_FIELDS)
    return int(total), averages


def _surface_counts(session: Session) -> Counter[str]:
    counts: Counter[str] = Counter()
    for (surfaces,) in session.execute(text("SELECT surfaces FROM kb_search_docs")):
        counts.update(surfaces.split())
    return counts


def _candidate(row: Sequence[Any]) -> _Candidate:
    return _Candidate(
        article_id=int(row[0]),
        language=str(row[1]),
        padded=tuple(_padded(terms) for terms in row[2:6]),
        lengths=dict(zip(SCORED_FIELDS, (int(n) for n in row[6:10]), strict=True)),
    )


def _padded(terms: str) -> str:
    """Every term between its own spaces, so `str.count(" t ")` counts repeats too."""
    return " " + terms.replace(" ", "  ").replace("\n", "  ") + " "


def _tsquery(terms: list[str], weights: str = "") -> str:
    """A tsquery matching any of `terms`, each a quoted lexeme (never parsed further),
    in the fields of `weights` only when given (A title, B tags, C summary, D body)."""
    suffix = f":{weights}" if weights else ""
    return " | ".join(
        "'" + term.replace("\\", "\\\\").replace("'", "''") + "'" + suffix for term in terms
    )


_VERSION_COLUMNS = (
    "SELECT d.article_id, d.language, d.title_text, d.summary_text, d.body_text, "
    "a.slug, a.category, d.body, d.body_spans "
    "FROM kb_search_docs d JOIN kb_articles a ON a.id = d.article_id "
)
_SHOWN = text(
    _VERSION_COLUMNS + "WHERE d.article_id IN :ids AND d.language = :language"
).bindparams(bindparam("ids", expanding=True))
_SHOWN_OTHER = text(
    _VERSION_COLUMNS + "WHERE d.article_id IN :ids AND d.language <> :language "
    "ORDER BY d.article_id, d.language"
).bindparams(bindparam("ids", expanding=True))


def _shown_versions(session: Session, article_ids: list[int], language: str) -> dict[int, _Version]:
    """Per article, the version to show: in `language` when it exists, else the other."""
    if not article_ids:
        return {}
    shown = _versions(session, _SHOWN, article_ids, language)
    missing = [article_id for article_id in article_ids if article_id not in shown]
    if missing:
        shown.update(_versions(session, _SHOWN_OTHER, missing, language))
    return shown


def _versions(
    session: Session, statement: TextClause, article_ids: list[int], language: str
) -> dict[int, _Version]:
    shown: dict[int, _Version] = {}
    for row in session.execute(statement, {"ids": article_ids, "language": language}):
        if int(row[0]) not in shown:
            translation = IndexedTranslation(row[1], row[2], row[3], (), row[4])
            shown[int(row[0])] = _Version(row[5], row[6], translation, (row[7], row[8]))
    return shown


_PREFIX_CANDIDATES = text(
    "SELECT d.article_id, d.language, d.title_text, d.title_folded, d.tags_folded, a.slug, "
    "a.category FROM kb_search_docs d JOIN kb_articles a ON a.id = d.article_id "
    "WHERE (d.title_folded LIKE :piece ESCAPE '!' OR d.tags_folded LIKE :piece ESCAPE '!') "
    "AND (d.language = :language OR NOT EXISTS (SELECT 1 FROM kb_search_docs o "
    "WHERE o.article_id = d.article_id AND o.language = :language))"
)


def _prefix_suggestions(
    session: Session, pieces: list[str], language: str, limit: int
) -> list[Suggestion]:
    """Versions (one per article, the asked language preferred) whose title or tags hold
    every typed piece: the database narrows by the longest piece, `prefix_match` decides."""
    piece = "%" + _like_escaped(max(pieces, key=len)) + "%"
    ranked: list[tuple[float, int, int, Suggestion]] = []
    for row in session.execute(_PREFIX_CANDIDATES, {"piece": piece, "language": language}):
        value = prefix_match(row[3], row[4].split("\n") if row[4] else [], pieces)
        if value > 0:
            suggestion = Suggestion(row[5], row[2], row[6], row[1])
            ranked.append((value, len(row[2]), int(row[0]), suggestion))
    ranked.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [item[3] for item in ranked[:limit]]


def _like_escaped(piece: str) -> str:
    return piece.replace("!", "!!").replace("%", "!%").replace("_", "!_")
