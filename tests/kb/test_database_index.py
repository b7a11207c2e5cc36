"""`DatabaseIndex`: search on SQLite FTS5 / PostgreSQL full text, the same ranking on both.

The `services`-based tests run on SQLite and on PostgreSQL (the `database_url` fixture).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from kefu.audit import Actor
from kefu.kb.articles import ArticleData, TranslationData, article_data, find_article, save_article
from kefu.kb.folder import seed_articles
from kefu.kb.search import database, index_for, invalidate_index, search_articles
from kefu.kb.search.database import DatabaseIndex
from kefu.kb.search.memory import MemoryIndex
from kefu.kb.search.quality import DEPTH, evaluate, load_queries
from kefu.services import Services, build_services
from kefu.settings import Settings
from kefu.store.models import Base

Ranking = list[tuple[str, float, str, str, str]]


def ranking(index: DatabaseIndex | MemoryIndex, query: str, language: str) -> Ranking:
    return [
        (h.slug, h.score, h.language, h.title, h.snippet)
        for h in index.search(query, language, DEPTH)
    ]


def database_index(services: Services) -> DatabaseIndex:
    index = index_for(services)
    assert isinstance(index, DatabaseIndex)
    return index


def test_the_database_index_is_the_default_and_keeps_the_quality(help_center: Services) -> None:
    results = evaluate(database_index(help_center).search, load_queries())
    overall, holdout = results["all"], results["holdout"]
    misses = [(q.query, q.expected, top) for q, top in overall.misses]
    assert overall.hit_at_3 >= 0.95, misses
    assert overall.hit_at_1 >= 0.90, misses
    assert overall.mrr >= 0.93, misses
    assert holdout.hit_at_3 >= 0.90, misses


def test_it_ranks_exactly_as_the_memory_index(help_center: Services, index: MemoryIndex) -> None:
    """Same analysis, same formula: same hits, scores, snippets and suggestions."""
    database = database_index(help_center)
    for query in load_queries():
        assert ranking(database, query.query, query.language) == ranking(
            index, query.query, query.language
        ), query.query
        typed = query.query[:3]
        assert database.suggest(typed, query.language) == index.suggest(typed, query.language)


@pytest.fixture
def sqlite_and_postgres(
    tmp_path: Path, sqlite_template: Path, postgres_database: str
) -> Iterator[tuple[Services, Services]]:
    """The shipped articles in a SQLite database and in a PostgreSQL one."""
    path = tmp_path / "kefu.sqlite3"
    shutil.copy(sqlite_template, path)
    both = tuple(
        build_services(Settings(var_dir=tmp_path, database_url=url, warm_search_index=False))
        for url in (f"sqlite:///{path}", postgres_database)
    )
    for services in both:
        seed_articles(services)
    yield both[0], both[1]
    with both[1].db.engine.begin() as conn:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    for services in both:
        services.db.engine.dispose()


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_results_for_every_labelled_query(
    sqlite_and_postgres: tuple[Services, Services],
) -> None:
    sqlite, postgres = (database_index(s) for s in sqlite_and_postgres)
    assert (sqlite.sqlite, postgres.sqlite) == (True, False)
    queries = load_queries()
    for query in queries:
        assert ranking(sqlite, query.query, query.language) == ranking(
            postgres, query.query, query.language
        ), query.query
        for end in (2, 4):
            typed = query.query[:end]
            assert sqlite.suggest(typed, query.language) == postgres.suggest(typed, query.language)
    quality = [evaluate(i.search, queries)["all"].as_dict() for i in (sqlite, postgres)]
    assert quality[0] == quality[1]


def test_large_help_centers_rank_engine_candidates_and_keep_the_quality(
    help_center: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `EXACT_UP_TO` versions only the engine's best candidates are scored, and for
    very common terms titles and tags are asked first: forced here on the shipped articles,
    the labelled queries keep their quality."""
    index = database_index(help_center)
    exact = evaluate(index.search, load_queries())["all"]
    monkeypatch.setattr(database, "EXACT_UP_TO", 0)
    monkeypatch.setattr(database, "TITLES_FIRST_ABOVE", 0)
    limited = evaluate(index.search, load_queries())["all"]
    assert limited.hit_at_1 >= exact.hit_at_1 - 0.01
    assert limited.hit_at_3 >= exact.hit_at_3 - 0.01


def test_titles_first_falls_back_to_bodies_when_titles_are_too_few(
    help_center: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = database_index(help_center)
    monkeypatch.setattr(database, "EXACT_UP_TO", 0)
    monkeypatch.setattr(database, "TITLES_FIRST_ABOVE", 0)
    with help_center.db.read() as session:
        bodies = session.execute(
            sa.text("SELECT title, tags, body FROM kb_search_docs WHERE language = 'en'")
        ).all()
    # A term found in some article bodies but in no title or tags.
    in_titles = {term for title, tags, _ in bodies for term in f"{title} {tags}".split()}
    body_only = sorted(
        {term for *_, body in bodies for term in body.split()} - in_titles,
        key=lambda term: (-sum(f" {term} " in f" {b} " for *_, b in bodies), term),
    )
    term = next(t for t in body_only if t.isascii() and t.isalpha() and len(t) > 4)
    assert index.search(term, "en", 5), term


def test_stored_terms_are_matched_whole(help_center: Services) -> None:
    """The engine indexes exactly the analyser's terms: no term is split or changed."""
    with help_center.db.read() as session:
        rows = session.execute(sa.text("SELECT title, tags, summary, body FROM kb_search_docs"))
        stored = {term for row in rows for field in row for term in field.split()}
        if help_center.db.is_sqlite:
            query = "SELECT term FROM kb_search_vocab"
        else:
            query = "SELECT DISTINCT unnest(tsvector_to_array(terms)) FROM kb_search_docs"
        indexed = set(session.scalars(sa.text(query)))
    assert {"~到账", "2fa", "trc20", "提币"} <= stored  # bigrams, mixed, CJK words
    assert indexed == stored


def _save(services: Services, data: ArticleData) -> None:
    with services.db.write() as session:
        save_article(session, data, Actor.system())
    invalidate_index(services)


def _slugs(services: Services, query: str, language: str = "en") -> list[str]:
    return [hit.slug for hit in search_articles(services, query, language, 5)]


def test_publishing_editing_and_unpublishing_update_the_index(help_center: Services) -> None:
    article = ArticleData(
        "cold-wallet-audit",
        "security",
        "draft",
        translations=(TranslationData("en", "Quarterly cold wallet audit", "Zebracorn proof."),),
    )
    _save(help_center, article)
    assert _slugs(help_center, "zebracorn") == []
    published = replace(article, status="published")
    _save(help_center, published)
    assert _slugs(help_center, "zebracorn") == ["cold-wallet-audit"]
    edited = replace(published, translations=(TranslationData("en", "Okapi ledger audit"),))
    _save(help_center, edited)
    assert _slugs(help_center, "zebracorn") == []
    assert _slugs(help_center, "okapi") == ["cold-wallet-audit"]
    _save(help_center, replace(edited, status="draft"))
    assert _slugs(help_center, "okapi") == []


def test_a_changed_article_is_found_by_another_process_without_invalidation(
    help_center: Services,
) -> None:
    """The terms change with the article (one transaction); only statistics are cached."""
    database = database_index(help_center)
    with help_center.db.write() as session:
        data = article_data(session, find_article(session, "anti-phishing-code"))
        english = data.translation("en")
        assert english is not None
        renamed = TranslationData("en", "Okapi code", english.summary, (), "")
        save_article(session, replace(data, translations=(renamed,)), Actor.system())
    assert [h.slug for h in database.search("okapi", "en", 3)] == ["anti-phishing-code"]


def test_articles_without_stored_terms_are_indexed_on_first_use(help_center: Services) -> None:
    """A database whose articles predate the terms table gets them indexed."""
    with help_center.db.write() as session:
        session.execute(sa.text("DELETE FROM kb_search_docs"))
    invalidate_index(help_center)
    assert _slugs(help_center, "充值没到账", "zh-Hans")[0] == "deposit-not-credited"
