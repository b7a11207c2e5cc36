"""dedupe: a message the channel already delivered ends the run with the first receipt."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.ingest.draft import Draft, Receipt
from kefu.ingest.stops import Duplicate
from kefu.services import Services
from kefu.store.models import Message, Ticket


def dedupe(session: Session, services: Services, draft: Draft) -> None:
    inbound = draft.inbound
    if not inbound.external_id:
        return
    receipt = find_receipt(session, inbound.channel, inbound.external_id)
    if receipt is not None:
        raise Duplicate(receipt)


def find_receipt(session: Session, channel: str, external_id: str) -> Receipt | None:
    row = session.execute(
        select(Message.id, Ticket)
        .join(Ticket, Ticket.id == Message.ticket_id)
        .where(Message.channel == channel, Message.external_id == external_id)
    ).first()
    if row is None:
        return None
    message_id, ticket = row
    return Receipt(
        customer_id=ticket.customer_id,
        ticket_id=ticket.id,
        ticket_number=ticket.number or "",
        ticket=ticket,
        message_id=message_id,
        created_ticket=False,
        replayed=True,
    )
