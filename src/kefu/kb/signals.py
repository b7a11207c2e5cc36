"""What the help center learns from its visitors, for the leads' report: searches that
found nothing, and tickets it deflected (an article opened from the ticket form's
suggestions, and the form then never sent). Votes live with the articles (articles.py).

Queries are stored shielded, as every customer text is: a visitor may paste a secret into
any box. Signals are written on public pages, so recording is limited per address (the
caller checks `missed_search_ip`), and a daily job forgets those older than the report can
show (`RETENTION`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from kefu.auth.secrets import sign_value, unsign_value
from kefu.jobs.outbox import schedule_once
from kefu.kb.articles import votes_by_article
from kefu.services import Services
from kefu.shield import redact_secrets
from kefu.store.models import Article, HelpSignal
from kefu.store.models.base import utcnow

log = logging.getLogger(__name__)
NO_RESULT = "no_result"
FORM_ARTICLE = "form_article"
REPORT_MAX_DAYS = 365
RETENTION = timedelta(days=REPORT_MAX_DAYS + 35)
PRUNE_JOB = "kb.signals.prune"
PRUNE_EVERY = timedelta(days=1)
QUERY_CHARS = 200
DEFLECTION_SETTLES = timedelta(hours=1)  # an unsent form younger than this may still be sent
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
    form_id = value.removeprefix(_FORM_REF) if value and value.startswith(_FORM_REF) else ""
    return form_id if FORM_ID.fullmatch(form_id) else None


def record_no_result(session: Session, query: str, language: str) -> None:
    shielded = redact_secrets(query.strip()[:QUERY_CHARS], language).text[:QUERY_CHARS]
    if shielded:
        session.add(HelpSignal(kind=NO_RESULT, language=language, query=shielded))


def record_form_article(session: Session, article_id: int, form_id: str, language: str) -> None:
    """An article opened from the suggestions of ticket form `form_id` (a `form_of` id;
    once per form and article)."""
    seen = session.scalar(
        select(HelpSignal.id).where(
            HelpSignal.form_id == form_id, HelpSignal.article_id == article_id
        )
    )
    if seen is None:
        session.add(
            HelpSignal(kind=FORM_ARTICLE, language=language, article_id=article_id, form_id=form_id)
        )


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
    from_form = (HelpSignal.kind == FORM_ARTICLE, HelpSignal.created_at >= since)
    # A form counts as deflected once it has gone unsent for DEFLECTION_SETTLES after the
    # article was opened: until then the customer may still be typing it.
    settled_before = utcnow() - DEFLECTION_SETTLES
    unsettled = or_(HelpSignal.ticket_filed, HelpSignal.created_at > settled_before)
    not_filed = case((unsettled, 0), else_=1)
    # article id -> (opened from a form, of which the form was never sent)
    opened = {
        int(article_id): (int(n), int(unsent or 0))
        for article_id, n, unsent in session.execute(
            select(HelpSignal.article_id, func.count(), func.sum(not_filed))
            .where(*from_form)
            .group_by(HelpSignal.article_id)
        )
        if article_id is not None
    }
    forms, deflected = session.execute(
        select(
            func.count(func.distinct(HelpSignal.form_id)),
            func.count(func.distinct(case((unsettled, None), else_=HelpSignal.form_id))),
        ).where(*from_form)
    ).one()
    votes = votes_by_article(session, since=since)
    ids = set(opened) | set(votes)
    slugs = dict(session.execute(select(Article.id, Article.slug).where(Article.id.in_(ids))).all())
    articles = [
        ArticleFigures(
            slug=slugs[i],
            helpful=votes.get(i, (0, 0))[0],
            not_helpful=votes.get(i, (0, 0))[1],
            opened_from_form=opened.get(i, (0, 0))[0],
            deflected=opened.get(i, (0, 0))[1],
        )
        for i in ids
        if i in slugs
    ]
    articles.sort(key=lambda a: (-a.deflected, -a.opened_from_form, -a.helpful, a.slug))
    return HelpReport(
        since=since,
        missed_queries=[(str(query), int(count)) for query, count in missed],
        articles=articles,
        deflected=int(deflected or 0),
        opened_from_form=int(forms or 0),
    )


def report_since(days: int) -> datetime:
    return utcnow() - timedelta(days=days)


def prune_signals(session: Session, now: datetime) -> int:
    """Forget signals older than `RETENTION`; returns how many."""
    kinds = HelpSignal.kind.in_((NO_RESULT, FORM_ARTICLE))  # ranges of (kind, created_at)
    old = delete(HelpSignal).where(kinds, HelpSignal.created_at < now - RETENTION)
    return int(session.execute(old).rowcount)  # type: ignore[attr-defined]


def prune_job(services: Services, payload: dict[str, object]) -> None:
    """Job: schedule tomorrow's run first (a crash loses no timer), then prune."""
    with services.db.write() as session:
        schedule_once(session, PRUNE_JOB, utcnow() + PRUNE_EVERY)
    with services.db.write() as session:
        removed = prune_signals(session, utcnow())
    log.info("help-center signals older than %d days forgotten: %d", RETENTION.days, removed)


def ensure_signal_pruning(services: Services) -> None:
    with services.db.write() as session:
        schedule_once(session, PRUNE_JOB, utcnow())
