"""What the help center learns from its visitors, for the leads' report: searches that
found nothing, and tickets it deflected (an article opened from the ticket form's
suggestions, and the form then never sent). Votes live with the articles (articles.py).

Queries are stored shielded, as every customer text is: a visitor may paste a secret into
any box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from kefu.auth.secrets import sign_value, unsign_value
from kefu.shield import redact_secrets
from kefu.store.models import Article, ArticleVote, HelpSignal
from kefu.store.models.base import utcnow

NO_RESULT = "no_result"
FORM_ARTICLE = "form_article"
QUERY_CHARS = 200
# A ticket form's id (`submission_id`): anything else is ignored.
FORM_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_FORM_REF = "form:"


def form_ref(form_id: str, key: str) -> str:
    """What the form's suggestion links carry: its id, signed, so that nobody can make up
    forms (and deflections) by calling article URLs with invented ids."""
    return sign_value(_FORM_REF + form_id, key)


def form_of(ref: str, key: str) -> str | None:
    """The form id inside a genuine `form_ref`, else None."""
    value = unsign_value(ref, key) if len(ref) <= 200 else None
    if value is None or not value.startswith(_FORM_REF):
        return None
    return value.removeprefix(_FORM_REF)


def record_no_result(session: Session, query: str, language: str) -> None:
    shielded = redact_secrets(query.strip()[:QUERY_CHARS], language).text[:QUERY_CHARS]
    if shielded:
        session.add(HelpSignal(kind=NO_RESULT, language=language, query=shielded))


def record_form_article(session: Session, article_id: int, form_id: str, language: str) -> bool:
    """An article opened from the suggestions of ticket form `form_id` (once per pair)."""
    if not FORM_ID.fullmatch(form_id):
        return False
    seen = session.scalar(
        select(HelpSignal.id).where(
            HelpSignal.form_id == form_id, HelpSignal.article_id == article_id
        )
    )
    if seen is None:
        session.add(
            HelpSignal(kind=FORM_ARTICLE, language=language, article_id=article_id, form_id=form_id)
        )
    return seen is None


def record_form_sent(session: Session, form_id: str) -> None:
    """The form was sent after all: its opened articles did not deflect the ticket."""
    if FORM_ID.fullmatch(form_id):
        session.execute(
            update(HelpSignal)
            .where(HelpSignal.form_id == form_id, HelpSignal.kind == FORM_ARTICLE)
            .values(ticket_filed=True)
        )


@dataclass(frozen=True)
class ArticleFigures:
    slug: str
    helpful: int
    not_helpful: int
    opened_from_form: int
    deflected: int


@dataclass(frozen=True)
class HelpReport:
    since: datetime
    missed_queries: list[tuple[str, int]]  # (query, searches), most frequent first
    articles: list[ArticleFigures]  # those with any vote or suggestion opened
    deflected: int
    opened_from_form: int


def help_report(session: Session, since: datetime, top: int = 20) -> HelpReport:
    missed = session.execute(
        select(HelpSignal.query, func.count())
        .where(HelpSignal.kind == NO_RESULT, HelpSignal.created_at >= since)
        .group_by(HelpSignal.query)
        .order_by(func.count().desc(), HelpSignal.query)
        .limit(top)
    ).all()
    opened = dict(_per_article(session, since, deflected_only=False))
    deflected = dict(_per_article(session, since, deflected_only=True))
    votes = {
        article_id: (yes or 0, no or 0)
        for article_id, yes, no in session.execute(
            select(
                ArticleVote.article_id,
                func.sum(case((ArticleVote.helpful, 1), else_=0)),
                func.sum(case((ArticleVote.helpful, 0), else_=1)),
            )
            .where(ArticleVote.created_at >= since)
            .group_by(ArticleVote.article_id)
        )
    }
    ids = set(opened) | set(votes)
    slugs = dict(session.execute(select(Article.id, Article.slug).where(Article.id.in_(ids))).all())
    articles = [
        ArticleFigures(
            slug=slugs[i],
            helpful=votes.get(i, (0, 0))[0],
            not_helpful=votes.get(i, (0, 0))[1],
            opened_from_form=opened.get(i, 0),
            deflected=deflected.get(i, 0),
        )
        for i in ids
        if i in slugs
    ]
    articles.sort(key=lambda a: (-a.deflected, -a.opened_from_form, -a.helpful, a.slug))
    return HelpReport(
        since=since,
        missed_queries=[(str(query), int(count)) for query, count in missed],
        articles=articles,
        deflected=_forms(session, since, deflected_only=True),
        opened_from_form=_forms(session, since, deflected_only=False),
    )


def _per_article(
    session: Session, since: datetime, *, deflected_only: bool
) -> list[tuple[int, int]]:
    query = (
        select(HelpSignal.article_id, func.count())
        .where(HelpSignal.kind == FORM_ARTICLE, HelpSignal.created_at >= since)
        .group_by(HelpSignal.article_id)
    )
    if deflected_only:
        query = query.where(HelpSignal.ticket_filed.is_(False))
    return [(int(a), int(n)) for a, n in session.execute(query) if a is not None]


def _forms(session: Session, since: datetime, *, deflected_only: bool) -> int:
    """Ticket forms from which an article was opened (and then never sent)."""
    query = select(func.count(func.distinct(HelpSignal.form_id))).where(
        HelpSignal.kind == FORM_ARTICLE, HelpSignal.created_at >= since
    )
    if deflected_only:
        query = query.where(HelpSignal.ticket_filed.is_(False))
    return int(session.scalar(query) or 0)


def report_since(days: int) -> datetime:
    return utcnow() - timedelta(days=days)
