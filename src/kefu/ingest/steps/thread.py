"""thread: find the conversation this message continues, if any."""

from __future__ import annotations

from sqlalchemy import bindparam, literal_column, select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.errors import NotFound
from kefu.ingest.draft import Draft
from kefu.ingest.inbound import Channel
from kefu.services import Services
from kefu.store.models import Message, Ticket
from kefu.store.prebuilt import Prebuilt
from kefu.tickets.numbers import ticket_id_from_number
from kefu.tickets.statements import TICKET_ROW
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
    ticket = TICKET_ROW.get(session, {"ticket_id": ticket_id})
    return ticket if ticket is not None and ticket.customer_id == customer_id else None


# The customer's ticket holding the message a reference names. Every channel is listed so
# that the lookup uses the (channel, external_id) dedupe index, whatever channel the
# named message came by (an agent's reply sent by email to a web ticket is a "web" one).
TICKET_BY_REF = Prebuilt(
    select(Message.ticket_id)
    .join(Ticket, Ticket.id == Message.ticket_id)
    .where(
        Message.channel.in_([literal_column(f"'{channel.value}'") for channel in Channel]),
        Message.external_id == bindparam("ref"),
        Ticket.customer_id == bindparam("customer_id"),
    )
    .limit(1)
)


def _ticket_by_refs(session: Session, refs: tuple[str, ...], customer_id: int) -> Ticket | None:
    """The customer's ticket holding a message any of `refs` names (newest reference first)."""
    connection = session.connection()
    for ref in reversed(refs):
        ticket_id = TICKET_BY_REF.scalar(connection, {"ref": ref, "customer_id": customer_id})
        if ticket_id is not None:
            with session.no_autoflush:  # a lookup by key: nothing pending can change it
                return session.get(Ticket, ticket_id)
    return None
