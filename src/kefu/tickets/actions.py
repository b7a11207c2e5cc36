"""What agents and customers do to tickets, outside the inbound pipeline.

Customer *messages* only ever arrive through `kefu.ingest`; these are the other
changes: agent replies and notes, status and field changes, marking solved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.categories import CATEGORY_BY_SLUG
from kefu.errors import UserError
from kefu.jobs.outbox import enqueue
from kefu.shield.html import sanitize_html
from kefu.store.models import Agent, Message, Ticket
from kefu.store.models.base import utcnow
from kefu.store.prebuilt import as_stored
from kefu.tickets.statements import INSERT_MESSAGE
from kefu.tickets.status import Priority, Status, check_transition
from kefu.tickets.teams import team_id
from kefu.work.triggers import ticket_changed

MAX_BODY_CHARS = 50_000


@dataclass(frozen=True)
class FieldChanges:
    status: str | None = None
    priority: str | None = None
    category: str | None = None
    team: str | None = None
    assignee_id: int | None = None
    unassign: bool = False
    tags: list[str] | None = None


def add_agent_message(
    session: Session,
    ticket: Ticket,
    actor: Actor,
    body: str,
    *,
    internal: bool,
    html: str | None = None,
) -> Message:
    """A public reply (emailed to the customer) or an internal note (agents only)."""
    body = _check_body(body)
    message = Message(
        ticket_id=ticket.id,
        author_kind=actor.kind if actor.kind in ("agent", "bot") else "system",
        author_agent_id=actor.id if actor.kind == "agent" else None,
        visibility="internal" if internal else "public",
        channel=ticket.channel,
        body_text=body,
        body_html=sanitize_html(html) if html else None,
        trust="verified",
    )
    session.add(message)
    session.flush()
    kind = "ticket.note_added" if internal else "ticket.replied"
    record_event(session, kind, actor, ticket.id, message_id=message.id)
    if not internal and actor.kind != "bot":  # the bot's turns are chat-only, not a reply
        if ticket.status == Status.NEW:
            set_status(session, ticket, Status.OPEN.value, actor)
        enqueue(session, "customer.agent_reply", {"ticket_id": ticket.id, "message_id": message.id})
        ticket_changed(session, ticket)  # issue #8: a public reply meets SLA clocks
    ticket.updated_at = utcnow()
    return message


def add_bot_message(
    session: Session, ticket: Ticket, body: str, *, meta: dict[str, Any] | None = None
) -> Message:
    """The chat bot's public turn: `add_agent_message` for the bot, as one prebuilt insert
    (a bot answers every chat message, inside that message's write transaction). Returns
    the row as stored, outside the session: change it with statements, not attributes."""
    values: dict[str, Any] = {
        "ticket_id": ticket.id,
        "author_kind": "bot",
        "author_agent_id": None,
        "customer_id": None,
        "visibility": "public",
        "channel": ticket.channel,
        "external_id": None,
        "body_text": _check_body(body),
        "body_html": None,
        "trust": "verified",
        "redactions": [],
        "meta": meta or {},
        "created_at": utcnow(),
    }
    message_id: int = INSERT_MESSAGE.scalar(session.connection(), values)
    record_event(session, "ticket.replied", Actor("bot"), ticket.id, message_id=message_id)
    return as_stored(Message, {**values, "id": message_id})


def set_status(session: Session, ticket: Ticket, status: str, actor: Actor) -> None:
    check_transition(ticket.status, status)
    if ticket.status == status:
        return
    record_event(session, "ticket.status_changed", actor, ticket.id, old=ticket.status, new=status)
    ticket.status = status
    ticket.solved_at = utcnow() if status == Status.SOLVED else None
    ticket.updated_at = utcnow()
    ticket_changed(session, ticket)  # issue #8: pending pauses SLA clocks; solved stops them
    if status == Status.SOLVED:
        enqueue(session, "csat.request", {"ticket_id": ticket.id})


def change_fields(session: Session, ticket: Ticket, changes: FieldChanges, actor: Actor) -> None:
    """Apply agent edits; each change is checked and recorded in the audit trail."""
    if changes.status is not None:
        set_status(session, ticket, changes.status, actor)
    if changes.priority is not None:
        _record_change(session, ticket, "priority", Priority(changes.priority).value, actor)
    if changes.category is not None:
        if changes.category not in CATEGORY_BY_SLUG:
            raise UserError("error.unknown_category", category=changes.category)
        _record_change(session, ticket, "category", changes.category, actor)
    if changes.team is not None:
        _record_change(session, ticket, "team_id", _team_id(session, changes.team), actor)
    if changes.unassign:
        _record_change(session, ticket, "assignee_id", None, actor)
    elif changes.assignee_id is not None:
        _record_change(
            session, ticket, "assignee_id", _agent_id(session, changes.assignee_id), actor
        )
    if changes.tags is not None:
        tags = sorted({t.strip()[:40] for t in changes.tags if t.strip()})
        _record_change(session, ticket, "tags", tags, actor)
    if changes.priority or changes.category or changes.team:
        ticket_changed(session, ticket)  # issue #8: another SLA policy or team may apply
    ticket.updated_at = utcnow()


def _record_change(
    session: Session, ticket: Ticket, field: str, value: object, actor: Actor
) -> None:
    old = getattr(ticket, field)
    if old == value:
        return
    record_event(session, "ticket.field_changed", actor, ticket.id, field=field, old=old, new=value)
    setattr(ticket, field, value)


def _team_id(session: Session, slug: str) -> int:
    team = team_id(session, slug)
    if team is None:
        raise UserError("error.validation", field="team", detail=slug)
    return team


def _agent_id(session: Session, agent_id: int) -> int:
    agent = session.get(Agent, agent_id)
    if agent is None or not agent.is_active:
        raise UserError("error.validation", field="assignee_id", detail=str(agent_id))
    return agent.id


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise UserError("error.empty_message", code="empty_message")
    if len(body) > MAX_BODY_CHARS:
        raise UserError("error.too_large", code="too_large", limit=f"{MAX_BODY_CHARS} chars")
    return body
