"""Read models: ticket lists and timelines, each a fixed small number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from kefu.store.models import Attachment, Message, Ticket
from kefu.tickets.status import OPEN_STATUSES


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
    unassigned: bool = False
    open_only: bool = False
    text: str | None = None
    limit: int = 50
    offset: int = 0


PRIORITY_RANK = case(
    {"urgent": 0, "high": 1, "normal": 2, "low": 3}, value=Ticket.priority, else_=4
)


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
    conditions = []
    if where.status:
        conditions.append(Ticket.status == where.status)
    elif where.open_only:
        conditions.append(Ticket.status.in_([s.value for s in OPEN_STATUSES]))
    if where.priority:
        conditions.append(Ticket.priority == where.priority)
    if where.category:
        conditions.append(Ticket.category == where.category)
    if where.team_id is not None:
        conditions.append(Ticket.team_id == where.team_id)
    if where.unassigned:
        conditions.append(Ticket.assignee_id.is_(None))
    elif where.assignee_id is not None:
        conditions.append(Ticket.assignee_id == where.assignee_id)
    if where.text:
        like = f"%{where.text.strip()}%"
        conditions.append(or_(Ticket.subject.ilike(like), Ticket.number.ilike(like)))
    total = session.scalar(select(func.count(Ticket.id)).where(*conditions)) or 0
    rows = session.scalars(
        select(Ticket)
        .where(*conditions)
        .order_by(PRIORITY_RANK, Ticket.updated_at, Ticket.id)
        .limit(where.limit)
        .offset(where.offset)
    )
    return list(rows), total


def ticket_number_of(session: Session, ticket_id: int | None) -> str | None:
    if ticket_id is None:
        return None
    return session.scalar(select(Ticket.number).where(Ticket.id == ticket_id))
