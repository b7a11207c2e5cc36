"""Merging a ticket into another: messages move, both sides are recorded, the customer is told."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.errors import Conflict, UserError
from kefu.i18n import t
from kefu.jobs.outbox import enqueue
from kefu.store.models import Message, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.status import Status


def merge_tickets(session: Session, source: Ticket, target: Ticket, actor: Actor) -> int:
    """Move every message of `source` into `target` and close `source`; return messages moved."""
    check_mergeable(source, target)
    moved = session.execute(
        update(Message).where(Message.ticket_id == source.id).values(ticket_id=target.id)
    ).rowcount  # type: ignore[attr-defined]
    note = t("workspace.merged_note", source.language, source=source.number, target=target.number)
    notice = Message(
        ticket_id=target.id,
        author_kind="system",
        visibility="public",
        channel=target.channel,
        body_text=note,
        trust="verified",
    )
    session.add(notice)
    record_event(session, "ticket.merged", actor, source.id, into=target.number, messages=moved)
    record_event(session, "ticket.merged_from", actor, target.id, source=source.number)
    source.merged_into_id = target.id
    source.status = Status.CLOSED.value
    source.updated_at = target.updated_at = utcnow()
    if target.status in (Status.SOLVED, Status.CLOSED):
        target.status = Status.OPEN.value if target.status == Status.SOLVED else target.status
    session.flush()
    # The notice is a public message: it reaches the customer the way replies do.
    enqueue(session, "customer.agent_reply", {"ticket_id": target.id, "message_id": notice.id})
    return int(moved or 0)


def check_mergeable(source: Ticket, target: Ticket) -> None:
    if source.id == target.id:
        raise UserError("workspace.merge_same", code="validation_error")
    if source.customer_id != target.customer_id:
        # Merging two customers' conversations would show each the other's messages.
        raise Conflict("workspace.merge_other_customer")
    if target.status == Status.CLOSED:
        raise Conflict("workspace.merge_into_closed", number=target.number)
