"""persist: ticket, message, attachments, audit events and outbox jobs, in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.ingest.draft import Draft
from kefu.jobs.outbox import enqueue
from kefu.services import Services
from kefu.store.models import Message, Ticket
from kefu.store.models.base import utcnow
from kefu.store.prebuilt import as_stored
from kefu.tickets.attachments import store_attachment
from kefu.tickets.numbers import ticket_number
from kefu.tickets.statements import (
    INSERT_MESSAGE,
    INSERT_TICKET,
    UPDATE_TICKET,
    write_through,
)
from kefu.tickets.status import Status
from kefu.tickets.teams import team_id
from kefu.work.triggers import TICKET_CREATED_JOB, ticket_changed

# A customer writing again moves the ticket back to the agents' side.
REOPENING = {Status.PENDING.value: Status.OPEN.value, Status.SOLVED.value: Status.OPEN.value}


def persist(session: Session, services: Services, draft: Draft) -> None:
    assert draft.customer is not None
    actor = Actor("customer", draft.customer.id)
    created = draft.ticket is None
    if draft.ticket is None:
        ticket = _open_ticket(session, draft, utcnow())
    else:
        ticket = draft.ticket
        _customer_replied(session, ticket, actor)
    now = ticket.updated_at
    message = _add_message(session, draft, ticket.id, now)
    message_id = message.id
    _add_attachments(session, services, draft, message_id)
    record_event(
        session,
        "ticket.created" if created else "message.received",
        actor,
        ticket.id,
        message_id=message_id,
        channel=draft.inbound.channel.value,
        redactions=len(draft.findings),
    )
    _enqueue_reactions(session, draft, ticket, message_id, created)
    draft.ticket = ticket
    draft.message = message
    draft.created_ticket = created


def _open_ticket(session: Session, draft: Draft, now: datetime) -> Ticket:
    """Insert the ticket and give it its number; returns the row as a (transient) Ticket."""
    assert draft.customer is not None
    tags = [*draft.inbound.tags, *(["follow_up"] if draft.follow_up_of else [])]
    if draft.possible_duplicate is not None:
        tags.append("possible_duplicate")
    values: dict[str, Any] = {
        "customer_id": draft.customer.id,
        "subject": (draft.subject or _subject_from_text(draft.text))[:300],
        "status": Status.NEW.value,
        "priority": draft.priority,
        "category": draft.category,
        "channel": draft.inbound.channel.value,
        "language": draft.language,
        "team_id": team_id(session, draft.team_slug),
        "tags": tags,
        "duplicate_of_id": draft.possible_duplicate.id if draft.possible_duplicate else None,
        "mailbox": draft.inbound.mailbox,
        "created_at": now,
        "updated_at": now,
    }
    connection = session.connection()
    ticket_id: int = INSERT_TICKET.scalar(connection, values)
    number = ticket_number(ticket_id)  # from the id, so in this same transaction
    UPDATE_TICKET.run(connection, {"ticket_id": ticket_id, "number": number})
    return as_stored(Ticket, {**values, "id": ticket_id, "number": number})


def _subject_from_text(text: str) -> str:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first_line[:80]


def _customer_replied(session: Session, ticket: Ticket, actor: Actor) -> None:
    """The ticket moves back to the agents' side and its clock restarts. Written with one
    statement and set on the object as committed, so the session has nothing to flush:
    the ORM's flush would cost more than everything else a reply does."""
    values: dict[str, Any] = {}
    new_status = REOPENING.get(ticket.status)
    if new_status:
        record_event(
            session, "ticket.status_changed", actor, ticket.id, old=ticket.status, new=new_status
        )
        values |= {"status": new_status, "solved_at": None}
    values["updated_at"] = utcnow()  # after the reopening event: the reply restarts the clock
    write_through(session, UPDATE_TICKET, {"ticket_id": ticket.id}, ticket, values)


def _add_message(session: Session, draft: Draft, ticket_id: int, now: datetime) -> Message:
    """Insert the message; returns the row as stored (transient: not in the session)."""
    assert draft.customer is not None
    meta: dict[str, object] = dict(draft.inbound.metadata)
    if draft.inbound.subject and draft.ticket is not None:
        meta["subject"] = draft.subject
    if draft.follow_up_of is not None:
        meta["follow_up_of"] = draft.follow_up_of.number
    if draft.inbound.tags:
        meta["tags"] = list(draft.inbound.tags)
    values = {
        "ticket_id": ticket_id,
        "author_kind": "customer",
        "customer_id": draft.customer.id,
        "visibility": "public",
        "channel": draft.inbound.channel.value,
        "external_id": draft.inbound.external_id,
        "body_text": draft.text,
        "body_html": draft.html,
        "trust": draft.trust.value,
        "redactions": draft.findings,
        "meta": meta,
        "created_at": now,
    }
    message_id: int = INSERT_MESSAGE.scalar(session.connection(), values)
    return as_stored(Message, {**values, "id": message_id, "author_agent_id": None})


def _add_attachments(session: Session, services: Services, draft: Draft, message_id: int) -> None:
    for checked in draft.attachments:
        store_attachment(
            session,
            services.files,
            message_id,
            checked.filename,
            checked.verdict,
            checked.content_id,
        )


def _enqueue_reactions(
    session: Session, draft: Draft, ticket: Ticket, message_id: int, created: bool
) -> None:
    payload = {"ticket_id": ticket.id, "message_id": message_id}
    answer = created and draft.inbound.auto_respond
    if answer and draft.customer is not None and draft.customer.email:
        enqueue(session, "email.ticket_confirmation", payload)
    if draft.findings:
        enqueue(session, "customer.secret_warning", payload)
    if created:
        # Issue #8: SLA clocks, assignment and event automations, decided by the worker
        # (their configuration lookups stay off the intake path).
        enqueue(session, TICKET_CREATED_JOB, {"ticket_id": ticket.id})
    else:
        ticket_changed(session, ticket)  # resume the SLA clock, maybe reassign
