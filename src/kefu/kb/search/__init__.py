"""Help-center search: `search_articles()` and `suggest_articles()`.

    from kefu.kb.search import search_articles
    hits = search_articles(services, "USDT 充值 没到账", "zh-Hans", limit=3)
    hits[0].slug     # "deposit-not-credited"
    hits[0].title    # "充值未到账怎么办？"
    hits[0].snippet  # "…<mark>USDT</mark>…" (escaped HTML)

Only published articles are searched. Search runs on the database's full-text engine
(`DatabaseIndex`: SQLite FTS5 or PostgreSQL tsvector over terms analysed when an article
is saved). Its corpus statistics are read on first use and again when articles change: at
once in this process (`invalidate_index`), and within `RECHECK_SECONDS` in any other process
(it compares a cheap stamp of the articles table). See docs/subsystems/help-center.md.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from kefu.kb.search.index import (
    Hit,
    IndexedArticle,
    IndexedTranslation,
    SearchIndex,
    Suggestion,
)
from kefu.services import Services

__all__ = [
    "Hit",
    "IndexedArticle",
    "IndexedTranslation",
    "SearchIndex",
    "Suggestion",
    "index_for",
    "invalidate_index",
    "search_articles",
    "suggest_articles",
    "warm_index",
]

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 2.0
MAX_LIMIT = 50


def search_articles(
    services: Services, query: str, language: str = "zh-Hans", limit: int = 10
) -> list[Hit]:
    """Published articles matching `query`, best first (at most `limit`, ≤ 50).

    `language` is the reader's ("zh-Hans" or "en"): titles and snippets come in it when
    the article has that version. Queries may be Chinese (Simplified or Traditional),
    English, or mixed; an empty or meaningless query gives [].
    """
    return index_for(services).search(query, language, max(1, min(limit, MAX_LIMIT)))


def suggest_articles(
    services: Services, query: str, language: str = "zh-Hans", limit: int = 6
) -> list[Suggestion]:
    """Titles to offer while typing: title/tag prefixes first, then search results."""
    return index_for(services).suggest(query, language, max(1, min(limit, 20)))


@dataclass
class _Holder:
    lock: threading.Lock = field(default_factory=threading.Lock)
    index: SearchIndex | None = None
    stamp: tuple[int, datetime | None] | None = None
    checked_at: float = 0.0


_HOLDERS: weakref.WeakKeyDictionary[Engine, _Holder] = weakref.WeakKeyDictionary()
_HOLDERS_LOCK = threading.Lock()


def index_for(services: Services) -> SearchIndex:
    """The current index for this database, (re)built when articles have changed."""
    holder = _holder(services.db.engine)
    now = time.monotonic()
    if holder.index is not None and now - holder.checked_at < RECHECK_SECONDS:
        return holder.index
    with holder.lock:
        stamp = _stamp(services)
        if holder.index is None or stamp != holder.stamp:
            holder.index = build_index(services)
            holder.stamp = stamp
        holder.checked_at = time.monotonic()
        return holder.index


def warm_index(services: Services) -> threading.Thread:
    """Build the index in the background (at startup), and search it once in each language
    so that the analyser's dictionaries are loaded too: no reader waits for either."""
    thread = threading.Thread(target=_warm, args=(services,), name="kb-index", daemon=True)
    thread.start()
    return thread


def _warm(services: Services) -> None:
    index = index_for(services)
    for query, language in (("充值没到账", "zh-Hans"), ("deposit not credited", "en")):
        index.search(query, language, 1)


def invalidate_index(services: Services) -> None:
    """Call after changing articles: the next search in this process rebuilds."""
    holder = _holder(services.db.engine)
    with holder.lock:
        holder.index = None


def build_index(services: Services) -> SearchIndex:
    """The database full-text index, after indexing any article not indexed yet."""
    from kefu.kb.search.database import DatabaseIndex
    from kefu.kb.search.terms import reindex_stale, stale_articles

    with services.db.read() as session:
        stale = stale_articles(session)
    if stale:
        try:
            with services.db.write() as session:
                reindex_stale(session)
        except (RuntimeError, SQLAlchemyError):
            # Inside another write (SQLite), or another process is indexing the same
            # articles: search what is indexed, and try again on the next rebuild.
            logger.warning("kb search: %d articles not indexed yet", len(stale), exc_info=True)
    return DatabaseIndex(services.db)


def _stamp(services: Services) -> tuple[int, datetime | None]:
    from kefu.kb.articles import content_stamp

    with services.db.read() as session:
        return content_stamp(session)


def _holder(engine: Engine) -> _Holder:
    with _HOLDERS_LOCK:
        holder = _HOLDERS.get(engine)
        if holder is None:
            holder = _HOLDERS[engine] = _Holder()
        return holder
