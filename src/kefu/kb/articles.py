"""Help-center articles: reading them for pages, saving them with a revision, votes.

An article is one topic with a zh-Hans and an en version (`ArticleTranslation`). Every
save that changes something keeps a full snapshot (`ArticleRevision`) and an audit event.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.categories import CATEGORY_BY_SLUG
from kefu.errors import NotFound, UserError
from kefu.i18n import LANGUAGES
from kefu.kb.render import markdown_to_text
from kefu.kb.search.index import IndexedArticle, IndexedTranslation
from kefu.kb.search.terms import reindex_article
from kefu.store.models import Article, ArticleRevision, ArticleTranslation, ArticleVote
from kefu.store.models.base import utcnow

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATUSES = ("published", "draft")


@dataclass(frozen=True)
class TranslationData:
    language: str
    title: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    body_markdown: str = ""


@dataclass(frozen=True)
class ArticleData:
    """Everything an editor or an import sets on an article."""

    slug: str
    category: str
    status: str
    related: tuple[str, ...] = ()
    translations: tuple[TranslationData, ...] = field(default_factory=tuple)

    def snapshot(self) -> dict[str, Any]:
        return asdict(self)

    def translation(self, language: str) -> TranslationData | None:
        return next((t for t in self.translations if t.language == language), None)


@dataclass(frozen=True)
class ArticleListing:
    """An article as a list shows it: in the asked language, or the other one if missing."""

    id: int
    slug: str
    category: str
    status: str
    language: str
    title: str
    summary: str


@dataclass(frozen=True)
class RevisionView:
    id: int
    actor_kind: str
    agent_id: int | None
    note: str
    created_at: datetime


def check_article(data: ArticleData) -> None:
    """Raise UserError unless the article could be published as it is."""
    if not SLUG.match(data.slug) or len(data.slug) > 100:
        raise _invalid("slug", "lowercase kebab-case, at most 100 characters")
    if data.category not in CATEGORY_BY_SLUG:
        raise UserError("error.unknown_category", code="validation_error", category=data.category)
    if data.status not in STATUSES:
        raise _invalid("status", "published or draft")
    if not data.translations:
        raise _invalid("translations", "at least one language")
    for translation in data.translations:
        _check_translation(translation)
    if data.slug in data.related:
        raise _invalid("related", "an article cannot be related to itself")


def _check_translation(translation: TranslationData) -> None:
    if translation.language not in LANGUAGES:
        raise _invalid("language", translation.language)
    if not translation.title.strip() or len(translation.title) > 200:
        raise _invalid(f"title.{translation.language}", "1 to 200 characters")
    if len(translation.summary) > 400:
        raise _invalid(f"summary.{translation.language}", "at most 400 characters")
    if any("," in tag or not tag.strip() for tag in translation.tags):
        raise _invalid(f"tags.{translation.language}", "non-empty, no commas inside a tag")


def check_related_exist(session: Session, related: tuple[str, ...]) -> None:
    known = set(session.scalars(select(Article.slug).where(Article.slug.in_(related))))
    unknown = [slug for slug in related if slug not in known]
    if unknown:
        raise _invalid("related", f"unknown articles: {', '.join(unknown)}")


def save_article(session: Session, data: ArticleData, actor: Actor, note: str = "") -> bool:
    """Create or update the article with this slug; True when anything changed.

    Languages not in `data` are left as they are. Related slugs are checked by the caller
    (an import saves all articles first, then checks).
    """
    check_article(data)
    article = session.scalars(select(Article).where(Article.slug == data.slug)).first()
    before = article_data(session, article) if article else None
    if article is None:
        article = Article(slug=data.slug)
        session.add(article)
    article.category, article.status, article.related = data.category, data.status, [*data.related]
    session.flush()
    for translation in data.translations:
        _save_translation(session, article.id, translation)
    after = article_data(session, article)
    if before == after:
        return False
    article.updated_at = utcnow()
    session.add(
        ArticleRevision(
            article_id=article.id,
            actor_kind=actor.kind,
            agent_id=actor.id if actor.kind == "agent" else None,
            note=note[:200],
            snapshot=after.snapshot(),
        )
    )
    record_event(session, "kb.article_saved", actor, slug=data.slug, note=note[:200])
    reindex_article(session, article.id)
    return True


def _save_translation(session: Session, article_id: int, data: TranslationData) -> None:
    row = session.scalars(
        select(ArticleTranslation).where(
            ArticleTranslation.article_id == article_id,
            ArticleTranslation.language == data.language,
        )
    ).first()
    if row is None:
        row = ArticleTranslation(article_id=article_id, language=data.language)
        session.add(row)
    values = (data.title.strip(), data.summary.strip(), [*data.tags], data.body_markdown)
    if (row.title, row.summary, row.tags, row.body_markdown) != values:
        row.title, row.summary, row.tags, row.body_markdown = values
        row.updated_at = utcnow()
    session.flush()


def article_data(session: Session, article: Article) -> ArticleData:
    rows = session.scalars(
        select(ArticleTranslation)
        .where(ArticleTranslation.article_id == article.id)
        .order_by(ArticleTranslation.language.desc())  # zh-Hans, then en
    )
    translations = tuple(
        TranslationData(r.language, r.title, r.summary, tuple(r.tags), r.body_markdown)
        for r in rows
    )
    return ArticleData(
        slug=article.slug,
        category=article.category,
        status=article.status,
        related=tuple(article.related),
        translations=translations,
    )


def find_article(session: Session, slug: str, *, include_drafts: bool = False) -> Article:
    article = session.scalars(select(Article).where(Article.slug == slug)).first()
    if article is None or (article.status != "published" and not include_drafts):
        raise NotFound("kb.error.article_not_found", slug=slug[:100])
    return article


def all_articles(session: Session, *, include_drafts: bool = False) -> list[Article]:
    query = select(Article).order_by(Article.category, Article.id)
    if not include_drafts:
        query = query.where(Article.status == "published")
    return list(session.scalars(query))


def listings(
    session: Session,
    language: str,
    *,
    category: str | None = None,
    slugs: tuple[str, ...] | None = None,
    include_drafts: bool = False,
) -> list[ArticleListing]:
    """Articles in the asked language (the other language where one is missing)."""
    query = select(Article).order_by(Article.id)
    if category is not None:
        query = query.where(Article.category == category)
    if slugs is not None:
        query = query.where(Article.slug.in_(slugs))
    if not include_drafts:
        query = query.where(Article.status == "published")
    articles = list(session.scalars(query))
    by_article = _translations_by_article(session, [a.id for a in articles])
    result = []
    for article in articles:
        translation = pick_translation(by_article.get(article.id, []), language)
        if translation is not None:
            result.append(_listing(article, translation))
    if slugs is not None:
        order = {slug: i for i, slug in enumerate(slugs)}
        result.sort(key=lambda item: order[item.slug])
    return result


def _listing(article: Article, translation: ArticleTranslation) -> ArticleListing:
    return ArticleListing(
        id=article.id,
        slug=article.slug,
        category=article.category,
        status=article.status,
        language=translation.language,
        title=translation.title,
        summary=translation.summary,
    )


def _translations_by_article(
    session: Session, article_ids: list[int]
) -> dict[int, list[ArticleTranslation]]:
    rows = session.scalars(
        select(ArticleTranslation).where(ArticleTranslation.article_id.in_(article_ids))
    )
    grouped: dict[int, list[ArticleTranslation]] = {}
    for row in rows:
        grouped.setdefault(row.article_id, []).append(row)
    return grouped


def translations_of(session: Session, article_id: int) -> list[ArticleTranslation]:
    return _translations_by_article(session, [article_id]).get(article_id, [])


def pick_translation(
    translations: list[ArticleTranslation], language: str
) -> ArticleTranslation | None:
    """The asked language if the article has it, else any other (the fallback)."""
    exact = [t for t in translations if t.language == language]
    candidates = exact or translations
    return candidates[0] if candidates else None


def record_vote(
    session: Session, article: Article, language: str, helpful: bool, voter_token: str
) -> None:
    """One vote per browser and article: voting again replaces the earlier vote."""
    voter_hash = hashlib.sha256(voter_token.encode()).hexdigest()
    vote = session.scalars(
        select(ArticleVote).where(
            ArticleVote.article_id == article.id, ArticleVote.voter_hash == voter_hash
        )
    ).first()
    if vote is None:
        vote = ArticleVote(article_id=article.id, voter_hash=voter_hash, helpful=helpful)
        session.add(vote)
    vote.helpful, vote.language, vote.created_at = helpful, language, utcnow()
    session.flush()


def vote_counts(session: Session, article_id: int) -> tuple[int, int]:
    """(helpful, not helpful)."""
    return votes_by_article(session, article_id=article_id).get(article_id, (0, 0))


def votes_by_article(
    session: Session, *, since: datetime | None = None, article_id: int | None = None
) -> dict[int, tuple[int, int]]:
    """(helpful, not helpful) per article with any vote (since `since`)."""
    query = select(ArticleVote.article_id, ArticleVote.helpful, func.count()).group_by(
        ArticleVote.article_id, ArticleVote.helpful
    )
    if since is not None:
        query = query.where(ArticleVote.created_at >= since)
    if article_id is not None:
        query = query.where(ArticleVote.article_id == article_id)
    counts: dict[int, tuple[int, int]] = {}
    for voted_on, helpful, n in session.execute(query):
        yes, no = counts.get(voted_on, (0, 0))
        counts[voted_on] = (yes + int(n), no) if helpful else (yes, no + int(n))
    return counts


def revisions(session: Session, article_id: int, limit: int = 50) -> list[RevisionView]:
    rows = session.scalars(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article_id)
        .order_by(ArticleRevision.id.desc())
        .limit(limit)
    )
    return [RevisionView(r.id, r.actor_kind, r.agent_id, r.note, r.created_at) for r in rows]


def indexed_articles(
    session: Session, article_ids: list[int] | None = None
) -> list[IndexedArticle]:
    """Published articles (all, or those of `article_ids`) as the search index takes them."""
    query = select(Article).where(Article.status == "published")
    query = query.order_by(Article.category, Article.id)
    if article_ids is not None:
        query = query.where(Article.id.in_(article_ids))
    articles = list(session.scalars(query))
    by_article = _translations_by_article(session, [a.id for a in articles])
    return [
        IndexedArticle(
            article_id=article.id,
            slug=article.slug,
            category=article.category,
            translations=tuple(
                IndexedTranslation(
                    language=t.language,
                    title=t.title,
                    summary=t.summary,
                    tags=tuple(t.tags),
                    body_text=markdown_to_text(t.body_markdown),
                )
                for t in sorted(by_article.get(article.id, []), key=lambda t: t.language)
            ),
        )
        for article in articles
    ]


def content_stamp(session: Session) -> tuple[int, datetime | None]:
    """Changes whenever any article does: the search index rebuilds when it moves."""
    count, latest = session.execute(
        select(func.count(Article.id), func.max(Article.updated_at))
    ).one()
    return int(count), latest


def _invalid(field_name: str, detail: str) -> UserError:
    return UserError("error.validation", code="validation_error", field=field_name, detail=detail)
