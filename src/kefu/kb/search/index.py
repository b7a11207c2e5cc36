"""What every help-center search implementation offers (`SearchIndex`), and its results.

`DatabaseIndex` (database.py) is the one in use: SQLite FTS5 or PostgreSQL full text over
terms analysed when articles are saved (terms.py). `MemoryIndex` (memory.py) ranks the same
way in process; the tests hold the two to the same results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Hit:
    """One search result, best first. Stable: the chat bot builds on it.

    `title` and `snippet` are in `language`: the asked language when the article has it,
    else the other one. `snippet` is HTML: the text escaped, matched terms in <mark>.
    `score` is comparable only within one result list.
    """

    article_id: int
    slug: str
    title: str
    category: str
    score: float
    snippet: str
    language: str = ""

    @property
    def url(self) -> str:
        return f"/help/a/{self.slug}"


@dataclass(frozen=True)
class Suggestion:
    """A title to offer while the customer is still typing."""

    slug: str
    title: str
    category: str
    language: str

    @property
    def url(self) -> str:
        return f"/help/a/{self.slug}"


@dataclass(frozen=True)
class IndexedTranslation:
    language: str
    title: str
    summary: str
    tags: tuple[str, ...]
    body_text: str  # plain text of the Markdown body


@dataclass(frozen=True)
class IndexedArticle:
    """A published article as the index receives it."""

    article_id: int
    slug: str
    category: str
    translations: tuple[IndexedTranslation, ...]


class SearchIndex(Protocol):
    """Search over the published help-center articles."""

    def search(self, query: str, language: str, limit: int = 10) -> list[Hit]:
        """Articles matching `query`, best first, presented in `language` where possible."""
        ...

    def suggest(self, query: str, language: str, limit: int = 6) -> list[Suggestion]:
        """Titles for a query still being typed (prefixes of titles and tags first)."""
        ...
