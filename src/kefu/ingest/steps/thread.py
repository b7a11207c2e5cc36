"""thread: find the conversation this message continues, if any."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.errors import NotFound
from kefu.ingest.draft import Draft
from kefu.services import Services
from kefu.store.models import Message, Ticket
from kefu.tickets.numbers import ticket_id_from_number
from kefu.tickets.status import Status


def thread(session: Session, services: Services, draft: Draft) -> None:
    assert draft.customer is not None, "identify runs before thread"
    inbound = draft.inbound
    ticket = None
    if inbound.ticket_number:
        ticket = _own_ticket(session, inbound.ticket_number, draft.customer.id)
        if ticket is None:
            # Someone else's ticket and a ticket that does not exist look the same.
            raise NotFound("error.ticket_not_found", number=inbound.ticket_number)
    elif inbound.thread_refs:
        ticket = _ticket_by_refs(session, inbound.thread_refs, draft.customer.id)
    if ticket is None and inbound.ticket_hint and not inbound.ticket_number:
        # A number in a subject is only a hint: someone else's ticket is silently ignored.
        ticket = _own_ticket(session, inbound.ticket_hint, draft.customer.id)
    if ticket is not None and ticket.status == Status.CLOSED:
        if services.settings.reply_to_closed_ticket == "reopen":
            _reopen(session, ticket, draft.customer.id)
        else:
            draft.follow_up_of = ticket
            ticket = None
    draft.ticket = ticket


def _reopen(session: Session, ticket: Ticket, customer_id: int) -> None:
    """The one way out of `closed` (which agents cannot leave): the customer wrote again
    and the deployment chose reopening over a follow-up ticket."""
    record_event(
        session,
        "ticket.status_changed",
        Actor("customer", customer_id),
        ticket.id,
        old=ticket.status,
        new=Status.OPEN.value,
    )
    ticket.status = Status.OPEN.value
    ticket.solved_at = None


def _own_ticket(session: Session, number: str, customer_id: int) -> Ticket | None:
    ticket_id = ticket_id_from_number(number)
    if ticket_id is None:
        return None
    ticket = session.get(Ticket, ticket_id)
    return ticket if ticket is not None and ticket.customer_id == customer_id else None


def _ticket_by_refs(session: Session, refs: tuple[str, ...], customer_id: int) -> Ticket | None:
    """The customer's ticket holding a message any of `refs` names (newest reference first)."""
    for ref in reversed(refs):
        ticket = session.scalars(
            select(Ticket)
            .join(Message, Message.ticket_id == Ticket.id)
            .where(Message.external_id == ref, Ticket.customer_id == customer_id)
        ).first()
        if ticket is not None:
            return ticket
    return None
