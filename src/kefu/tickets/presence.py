"""Who else has a ticket open, and whether a reply was written against a stale view."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kefu.errors import Conflict
from kefu.store.models import Agent, Message, TicketViewer
from kefu.store.models.base import utcnow

FRESH = timedelta(seconds=45)  # the page refreshes presence every 15 s


def mark_viewing(session: Session, ticket_id: int, agent_id: int, composing: bool) -> None:
    viewer = session.get(TicketViewer, (ticket_id, agent_id))
    if viewer is None:
        session.add(TicketViewer(ticket_id=ticket_id, agent_id=agent_id, composing=composing))
        return
    viewer.composing = composing
    viewer.last_seen = utcnow()


def other_viewers(session: Session, ticket_id: int, agent_id: int | None) -> list[tuple[str, bool]]:
    """(name, composing) of the other agents who have the ticket open now."""
    rows = session.execute(
        select(Agent.name, TicketViewer.composing)
        .join(Agent, Agent.id == TicketViewer.agent_id)
        .where(
            TicketViewer.ticket_id == ticket_id,
            TicketViewer.agent_id != (agent_id or 0),
            TicketViewer.last_seen >= utcnow() - FRESH,
        )
        .order_by(Agent.name)
    )
    return [(name, composing) for name, composing in rows]


def forget_stale_viewers(session: Session) -> None:
    session.execute(delete(TicketViewer).where(TicketViewer.last_seen < utcnow() - FRESH))


def newer_customer_messages(session: Session, ticket_id: int, seen_message_id: int) -> int:
    """How many customer messages arrived after the one the agent last saw."""
    count = session.scalar(
        select(func.count(Message.id)).where(
            Message.ticket_id == ticket_id,
            Message.id > seen_message_id,
            Message.author_kind == "customer",
        )
    )
    return int(count or 0)


def check_view_is_current(session: Session, ticket_id: int, seen_message_id: int) -> None:
    """Refuse (409 `stale_view`) a reply written before the customer's latest message."""
    if newer_customer_messages(session, ticket_id, seen_message_id):
        error = Conflict("workspace.stale_view")
        error.code = "stale_view"
        raise error
