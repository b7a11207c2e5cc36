"""The analysed terms of published articles, stored for the database's full-text engine.

Every published article language version is one row of `kb_search_docs` (migration
search_0002): each field (title, tags, summary, body) as its analysed terms joined by
spaces — the same analyser as queries (analyzer.py), so the database only has to match
whole terms — with the field lengths BM25 needs, the latin surfaces typo correction
learns from, and the text shown in results. SQLite keeps its FTS5 table in step by
triggers; on PostgreSQL the row carries a `tsvector` of the same terms.

`save_article` calls `reindex_article` in its own transaction, so the index changes
together with the article (created, edited, published, unpublished, imported).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from kefu.kb.search.analyzer import Token, fold
from kefu.kb.search.index import IndexedArticle, IndexedTranslation
from kefu.kb.search.memory import analysed_fields, line_terms

FIELDS = ("title", "tags", "summary", "body")

_INSERT = (
    "INSERT INTO kb_search_docs (article_id, language, title, tags, summary, body, "
    "title_length, tags_length, summary_length, body_length, surfaces, title_text, "
    "summary_text, body_text, body_spans, title_folded, tags_folded"
)
_VALUES = (
    "VALUES (:article_id, :language, :title, :tags, :summary, :body, :title_length, "
    ":tags_length, :summary_length, :body_length, :surfaces, :title_text, :summary_text, "
    ":body_text, :body_spans, :title_folded, :tags_folded"
)
INSERT_SQLITE = text(_INSERT + ") " + _VALUES + ")")
# The terms become lexemes as they are (array_to_tsvector: no parser, no dictionary).
INSERT_POSTGRES = text(
    _INSERT + ", terms) " + _VALUES + ", "
    "setweight(array_to_tsvector(CAST(:distinct_title AS text[])), 'A') || "
    "setweight(array_to_tsvector(CAST(:distinct_tags AS text[])), 'B') || "
    "setweight(array_to_tsvector(CAST(:distinct_summary AS text[])), 'C') || "
    "setweight(array_to_tsvector(CAST(:distinct_body AS text[])), 'D'))"
)


def document_row(article_id: int, translation: IndexedTranslation) -> dict[str, Any]:
    """The `kb_search_docs` values of one article version."""
    fields = analysed_fields(translation)
    row: dict[str, Any] = {"article_id": article_id, "language": translation.language}
    for name in FIELDS:
        row[name] = " ".join(token.term for token in fields[name])
        row[f"{name}_length"] = len(fields[name])
        row[f"distinct_{name}"] = sorted({token.term for token in fields[name]})
    # The same terms, kept by line, with their positions for snippets.
    row["body"], row["body_spans"] = line_terms(translation.body_text)
    row["surfaces"] = " ".join(_latin_surfaces(fields.values()))
    row["title_text"] = translation.title
    row["summary_text"] = translation.summary
    row["body_text"] = translation.body_text
    row["title_folded"] = fold(translation.title)
    row["tags_folded"] = "\n".join(fold(tag) for tag in translation.tags)
    return row


def _latin_surfaces(fields: Iterable[Sequence[Token]]) -> list[str]:
    """The latin words as written: what typo correction learns (single words only)."""
    return [
        t.surface
        for tokens in fields
        for t in tokens
        if t.surface.isascii() and t.surface.isalpha()
    ]


def reindex_article(session: Session, article_id: int) -> None:
    """Replace the stored terms of this article (none unless it is published)."""
    from kefu.kb.articles import indexed_articles

    session.flush()
    session.execute(text("DELETE FROM kb_search_docs WHERE article_id = :id"), {"id": article_id})
    for article in indexed_articles(session, [article_id]):
        insert_documents(session, [article])


def insert_documents(session: Session, articles: Sequence[IndexedArticle]) -> None:
    """Store the analysed versions of these articles (which have no rows yet)."""
    rows = [document_row(a.article_id, t) for a in articles for t in a.translations]
    if not rows:
        return
    postgres = session.get_bind().dialect.name == "postgresql"
    session.execute(INSERT_POSTGRES if postgres else INSERT_SQLITE, rows)


_STALE = text(
    "SELECT a.id FROM kb_articles a WHERE a.status = 'published' AND NOT EXISTS "
    "(SELECT 1 FROM kb_search_docs d WHERE d.article_id = a.id) "
    "UNION SELECT d.article_id FROM kb_search_docs d JOIN kb_articles a "
    "ON a.id = d.article_id WHERE a.status <> 'published' ORDER BY 1"
)


def stale_articles(session: Session) -> list[int]:
    """Published articles without stored terms, and unpublished ones that still have them
    (articles from before the terms table, or changed without `save_article`)."""
    return [int(article_id) for article_id in session.scalars(_STALE)]


def reindex_stale(session: Session) -> int:
    """Bring the stale articles' terms up to date; returns how many there were."""
    stale = stale_articles(session)
    for article_id in stale:
        reindex_article(session, article_id)
    return len(stale)
