"""persist: ticket, message, attachments, audit events and outbox jobs, in one transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.ingest.draft import Draft
from kefu.jobs.outbox import enqueue
from kefu.services import Services
from kefu.store.models import Message, Team, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.attachments import store_attachment
from kefu.tickets.numbers import ticket_number
from kefu.tickets.status import Status
from kefu.work.automations import on_ticket_created
from kefu.work.triggers import ticket_changed

# A customer writing again moves the ticket back to the agents' side.
REOPENING = {Status.PENDING.value: Status.OPEN.value, Status.SOLVED.value: Status.OPEN.value}


def persist(session: Session, services: Services, draft: Draft) -> None:
    assert draft.customer is not None
    actor = Actor("customer", draft.customer.id)
    created = draft.ticket is None
    ticket = draft.ticket or _open_ticket(session, draft)
    if not created:
        _customer_replied(session, ticket, actor)
    message = _add_message(session, draft, ticket)
    _add_attachments(session, services, draft, message)
    ticket.updated_at = utcnow()
    record_event(
        session,
        "ticket.created" if created else "message.received",
        actor,
        ticket.id,
        message_id=message.id,
        channel=draft.inbound.channel.value,
        redactions=len(draft.findings),
    )
    _enqueue_reactions(session, draft, ticket, message, created)
    draft.ticket = ticket
    draft.message = message
    draft.created_ticket = created


def _open_ticket(session: Session, draft: Draft) -> Ticket:
    assert draft.customer is not None
    team_id = session.scalar(select(Team.id).where(Team.slug == draft.team_slug))
    tags = [*draft.inbound.tags, *(["follow_up"] if draft.follow_up_of else [])]
    if draft.possible_duplicate is not None:
        tags.append("possible_duplicate")
    ticket = Ticket(
        customer_id=draft.customer.id,
        subject=(draft.subject or _subject_from_text(draft.text))[:300],
        status=Status.NEW.value,
        priority=draft.priority,
        category=draft.category,
        channel=draft.inbound.channel.value,
        language=draft.language,
        team_id=team_id,
        tags=tags,
        duplicate_of_id=draft.possible_duplicate.id if draft.possible_duplicate else None,
        mailbox=draft.inbound.mailbox,
    )
    session.add(ticket)
    session.flush()  # the id gives the number; both land in this transaction
    ticket.number = ticket_number(ticket.id)
    return ticket


def _subject_from_text(text: str) -> str:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first_line[:80]


def _customer_replied(session: Session, ticket: Ticket, actor: Actor) -> None:
    new_status = REOPENING.get(ticket.status)
    if new_status:
        record_event(
            session, "ticket.status_changed", actor, ticket.id, old=ticket.status, new=new_status
        )
        ticket.status = new_status
        ticket.solved_at = None


def _add_message(session: Session, draft: Draft, ticket: Ticket) -> Message:
    assert draft.customer is not None
    meta: dict[str, object] = dict(draft.inbound.metadata)
    if draft.inbound.subject and draft.ticket is not None:
        meta["subject"] = draft.subject
    if draft.follow_up_of is not None:
        meta["follow_up_of"] = draft.follow_up_of.number
    if draft.inbound.tags:
        meta["tags"] = list(draft.inbound.tags)
    message = Message(
        ticket_id=ticket.id,
        author_kind="customer",
        customer_id=draft.customer.id,
        visibility="public",
        channel=draft.inbound.channel.value,
        external_id=draft.inbound.external_id,
        body_text=draft.text,
        body_html=draft.html,
        trust=draft.trust.value,
        redactions=draft.findings,
        meta=meta,
    )
    session.add(message)
    session.flush()
    return message


def _add_attachments(session: Session, services: Services, draft: Draft, message: Message) -> None:
    for checked in draft.attachments:
        store_attachment(
            session,
            services.files,
            message.id,
            checked.filename,
            checked.verdict,
            checked.content_id,
        )


def _enqueue_reactions(
    session: Session, draft: Draft, ticket: Ticket, message: Message, created: bool
) -> None:
    payload = {"ticket_id": ticket.id, "message_id": message.id}
    answer = created and draft.inbound.auto_respond
    if answer and draft.customer is not None and draft.customer.email:
        enqueue(session, "email.ticket_confirmation", payload)
    if draft.findings:
        enqueue(session, "customer.secret_warning", payload)
    # Issue #8: SLA clocks (start, or resume on a customer reply) and assignment.
    ticket_changed(session, ticket)
    if created:
        on_ticket_created(session, ticket.id)  # event automations, when any are active
