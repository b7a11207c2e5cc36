"""Public help-center API: search, suggestions while typing, one article.

No sign-in: only published articles are visible. `lang` (or the language cookie /
Accept-Language) picks the language of titles and snippets.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kefu.errors import NotFound
from kefu.kb.articles import find_article, pick_translation, translations_of
from kefu.kb.render import render_markdown
from kefu.kb.search import search_articles, suggest_articles
from kefu.web.deps import LanguageDep, ServicesDep

router = APIRouter(tags=["help center"])
QueryText = Annotated[str, Query(max_length=200, description="What the reader typed")]


class SearchResult(BaseModel):
    id: int
    slug: str
    title: str
    category: str  # canonical category slug
    snippet: str  # HTML: escaped text, matched terms in <mark>
    url: str
    score: float
    language: str


class SearchResults(BaseModel):
    query: str
    language: str
    results: list[SearchResult]


class SuggestionOut(BaseModel):
    slug: str
    title: str
    category: str
    url: str
    language: str


class Suggestions(BaseModel):
    query: str
    suggestions: list[SuggestionOut]


class ArticleOut(BaseModel):
    id: int
    slug: str
    category: str
    language: str  # the version returned (the asked one when it exists)
    languages: list[str]  # every version the article has
    title: str
    summary: str
    tags: list[str]
    related: list[str]
    body_markdown: str
    body_html: str  # sanitised
    url: str


@router.get("/api/v1/help/search", response_model=SearchResults)
@router.get("/api/v1/kb/search", response_model=SearchResults, include_in_schema=False)
def search(
    services: ServicesDep,
    language: LanguageDep,
    q: QueryText = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResults:
    """Articles matching `q`, best first; Chinese, English or mixed, typos tolerated."""
    hits = search_articles(services, q, language, limit)
    results = [
        SearchResult(
            id=h.article_id,
            slug=h.slug,
            title=h.title,
            category=h.category,
            snippet=h.snippet,
            url=h.url,
            score=h.score,
            language=h.language,
        )
        for h in hits
    ]
    return SearchResults(query=q, language=language, results=results)


@router.get("/api/v1/help/suggest", response_model=Suggestions)
def suggest(
    services: ServicesDep,
    language: LanguageDep,
    q: QueryText = "",
    limit: Annotated[int, Query(ge=1, le=20)] = 6,
) -> Suggestions:
    """Article titles for a query still being typed (title and tag prefixes first)."""
    found = suggest_articles(services, q, language, limit)
    return Suggestions(
        query=q,
        suggestions=[
            SuggestionOut(
                slug=s.slug, title=s.title, category=s.category, url=s.url, language=s.language
            )
            for s in found
        ],
    )


@router.get("/api/v1/help/articles/{slug}", response_model=ArticleOut)
def article(slug: str, services: ServicesDep, language: LanguageDep) -> ArticleOut:
    """One published article, in the asked language when it has that version."""
    with services.db.read() as session:
        found = find_article(session, slug)
        versions = translations_of(session, found.id)
        shown = pick_translation(versions, language)
    if shown is None:
        raise NotFound("kb.error.article_not_found", slug=slug[:100])
    return ArticleOut(
        id=found.id,
        slug=found.slug,
        category=found.category,
        language=shown.language,
        languages=sorted(v.language for v in versions),
        title=shown.title,
        summary=shown.summary,
        tags=list(shown.tags),
        related=list(found.related),
        body_markdown=shown.body_markdown,
        body_html=render_markdown(shown.body_markdown),
        url=f"/help/a/{found.slug}",
    )
