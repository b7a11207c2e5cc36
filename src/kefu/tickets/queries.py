"""Read models: ticket lists and timelines, each a fixed small number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.orm import Session

from kefu.store.models import Attachment, Message, Ticket
from kefu.store.models.base import utcnow
from kefu.store.search_terms import Part, fts5_query, query_parts, tsquery
from kefu.tickets.numbers import ticket_id_from_number


@dataclass(frozen=True)
class TimelineEntry:
    message: Message
    attachments: list[Attachment]


@dataclass(frozen=True)
class AgentFilter:
    status: str | None = None
    priority: str | None = None
    category: str | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    channel: str | None = None
    language: str | None = None
    tag: str | None = None
    unassigned: bool = False
    open_only: bool = False
    urgent_only: bool = False  # high and urgent
    due_within: timedelta | None = None  # SLA: a running clock due within this time
    text: str | None = None  # number, subject, or any message's text
    limit: int = 50
    offset: int = 0


VIEWS = ("all", "mine", "unassigned", "urgent", "sla", "waiting", "on_hold")


def view_filter(view: str, agent_id: int | None, **extra: object) -> AgentFilter:
    """The inbox's named views as filters; anything else is "all" open tickets."""
    presets: dict[str, dict[str, object]] = {
        "mine": {"assignee_id": agent_id, "open_only": True},
        "unassigned": {"unassigned": True, "open_only": True},
        "urgent": {"urgent_only": True, "open_only": True},
        "sla": {"due_within": timedelta(hours=2), "open_only": True},
        "waiting": {"status": "pending"},
        "on_hold": {"status": "on_hold"},
    }
    options = {"open_only": True, **presets.get(view, {}), **extra}
    return AgentFilter(**options)  # type: ignore[arg-type]


# Most urgent first, then the longest waiting. Tickets still being worked on carry their
# priority's rank in `open_rank`, whose index gives this order without a sort.
QUEUE_RANKS = {"urgent": 0, "high": 1, "normal": 2, "low": 3}  # as in OPEN_RANK_SQL
PRIORITY_RANK = case(QUEUE_RANKS, value=Ticket.priority, else_=4)
BY_PRIORITY_ORDER = (PRIORITY_RANK, Ticket.updated_at, Ticket.id)
QUEUE_ORDER = (Ticket.open_rank, Ticket.updated_at, Ticket.id)


def customer_tickets(session: Session, customer_id: int | None, limit: int = 100) -> list[Ticket]:
    if customer_id is None:
        return []
    query = (
        select(Ticket)
        .where(Ticket.customer_id == customer_id)
        .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def timeline(session: Session, ticket_id: int, *, include_internal: bool) -> list[TimelineEntry]:
    query = select(Message).where(Message.ticket_id == ticket_id).order_by(Message.id)
    if not include_internal:
        query = query.where(Message.visibility == "public")
    messages = list(session.scalars(query))
    by_message: dict[int, list[Attachment]] = defaultdict(list)
    if messages:
        rows = session.scalars(
            select(Attachment)
            .where(Attachment.message_id.in_([m.id for m in messages]))
            .order_by(Attachment.id)
        )
        for attachment in rows:
            by_message[attachment.message_id].append(attachment)
    return [TimelineEntry(m, by_message.get(m.id, [])) for m in messages]


def agent_tickets(session: Session, where: AgentFilter) -> tuple[list[Ticket], int]:
    """Tickets matching `where`, most urgent first and then the longest waiting."""
    # Tickets still being worked on are listed straight from the queue index (see
    # Ticket.open_rank); any other status set is sorted by the same order.
    in_queue = where.open_only and not where.status
    conditions = _conditions(where, in_queue)
    count = select(func.count(Ticket.id))
    query = select(Ticket)
    found = _text_matches(where.text, session.get_bind().dialect.name) if where.text else None
    if isinstance(found, Subquery) and in_queue:
        # Walk the queue in order and test each ticket against the matches: the page is
        # complete after 50 hits instead of after sorting every match. (`+ 0` keeps SQLite
        # from driving the query by the match list instead.)
        conditions.append((Ticket.id + literal_column("0")).in_(select(found.c.id)))
    elif isinstance(found, Subquery):
        # Start from the matching tickets, not from every one tested for a match.
        count = count.select_from(found).join(Ticket, Ticket.id == found.c.id)
        query = query.select_from(found).join(Ticket, Ticket.id == found.c.id)
    elif found is not None:
        conditions.append(found)
    total = session.scalar(count.where(*conditions)) or 0
    rows = session.scalars(
        query.where(*conditions)
        .order_by(*(QUEUE_ORDER if in_queue else BY_PRIORITY_ORDER))
        .limit(where.limit)
        .offset(where.offset)
    )
    return list(rows), total


def _conditions(where: AgentFilter, in_queue: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.status:
        conditions.append(Ticket.status == where.status)
    if in_queue:
        # Priorities as ranges of the queue index, which then also answers the count.
        low, high = (0, 1) if where.urgent_only else (0, 4)
        if where.priority:
            rank = QUEUE_RANKS.get(where.priority, -1)
            low, high = max(low, rank), min(high, rank)
        conditions.append(Ticket.open_rank.between(low, high))
    elif where.priority:
        conditions.append(Ticket.priority == where.priority)
    if where.category:
        conditions.append(Ticket.category == where.category)
    if where.team_id is not None:
        conditions.append(Ticket.team_id == where.team_id)
    if where.unassigned:
        conditions.append(Ticket.assignee_id.is_(None))
    elif where.assignee_id is not None:
        conditions.append(Ticket.assignee_id == where.assignee_id)
    if where.channel:
        conditions.append(Ticket.channel == where.channel)
    if where.tag:
        # JSON list stored as text on both databases: match the quoted element.
        conditions.append(cast(Ticket.tags, String).like(f'%"{where.tag}"%'))
    if where.language:
        conditions.append(Ticket.language == where.language)
    if where.urgent_only and not in_queue:
        conditions.append(Ticket.priority.in_(["high", "urgent"]))
    if where.due_within is not None:
        conditions.append(_due_before(utcnow() + where.due_within))
    return conditions


def _text_matches(text: str, dialect: str) -> ColumnElement[bool] | Subquery:
    """An exact number (a condition), or the ids of tickets whose subject or any message
    holds the text, through the term index (Chinese-aware, folded, stemmed, synonyms: see
    store/search_terms.py)."""
    needle = text.strip()
    ticket_id = ticket_id_from_number(needle)
    if ticket_id is not None:
        return Ticket.id == ticket_id  # an exact number: one primary-key lookup
    parts = query_parts(needle)
    if not parts:
        return Ticket.subject.ilike(f"%{needle}%")  # punctuation only: nothing to index on
    in_messages = select(Message.ticket_id).where(
        Message.id.in_(_term_matches("message_terms", parts, dialect))
    )
    return union(_term_matches("subject_terms", parts, dialect), in_messages).subquery()


def _term_matches(terms_table: str, parts: list[Part], dialect: str) -> Select[Any]:
    """Ids whose text holds every part of the query, through the term index."""
    if dialect == "sqlite":
        fts = table(terms_table, column("rowid"))
        match = literal_column(terms_table).op("MATCH")(fts5_query(parts))
        return select(fts.c.rowid.label("id")).where(match)
    stored = table(terms_table, column("id"), column("terms"))
    wanted = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery(parts))
    return select(stored.c.id).where(stored.c.terms.op("@@")(wanted))


def _due_before(moment: datetime) -> ColumnElement[bool]:
    """A running SLA clock (not paused) falls due before `moment`."""
    return and_(
        Ticket.sla_paused_at.is_(None),
        or_(
            Ticket.first_reply_due_at <= moment,
            Ticket.next_reply_due_at <= moment,
            Ticket.resolution_due_at <= moment,
        ),
    )


def ticket_number_of(session: Session, ticket_id: int | None) -> str | None:
    if ticket_id is None:
        return None
    return session.scalar(select(Ticket.number).where(Ticket.id == ticket_id))
