"""The help center: articles (one per topic, both languages), revisions, votes and the
signals its reports read (searches that found nothing, articles that deflected tickets)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class Article(Base):
    __tablename__ = "kb_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")  # published / draft
    # Slugs of related articles; the same list serves both languages.
    related: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped on every change, translations included: the search index watches it.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleTranslation(Base):
    """One language version. Tags live here because they are words in that language."""

    __tablename__ = "kb_article_translations"
    __table_args__ = (UniqueConstraint("article_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleRevision(Base):
    """A snapshot of the whole article (both languages) after each save or import."""

    __tablename__ = "kb_article_revisions"
    __table_args__ = (Index("ix_kb_article_revisions_article", "article_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    actor_kind: Mapped[str] = mapped_column(String(12))  # agent / system
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    snapshot: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleVote(Base):
    """ "Was this helpful?": one vote per browser per article (a changed mind replaces it)."""

    __tablename__ = "kb_article_votes"
    __table_args__ = (UniqueConstraint("article_id", "voter_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    helpful: Mapped[bool]
    # SHA-256 of the browser's random voter cookie: no personal data is kept.
    voter_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HelpSignal(Base):
    """What the help center's reports count besides votes.

    `no_result`: a search that found nothing (its query shielded, as everything stored).
    `form_article`: an article opened from the suggestions of the ticket form `form_id`;
    `ticket_filed` turns true if that form is submitted after all, so the ones left false
    are the tickets the help center deflected.
    """

    __tablename__ = "kb_signals"
    __table_args__ = (
        Index("ix_kb_signals_kind_created", "kind", "created_at"),
        Index("ix_kb_signals_form", "form_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    query: Mapped[str | None] = mapped_column(String(200))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    form_id: Mapped[str | None] = mapped_column(String(64))
    ticket_filed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
