"""dedupe: a message the channel already delivered ends the run with the first receipt."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from kefu.ingest.draft import Draft, Receipt
from kefu.ingest.stops import Duplicate
from kefu.services import Services
from kefu.store.models import Message, Ticket
from kefu.store.prebuilt import Prebuilt

# Built once: every message with an external id runs this inside the write transaction,
# and it nearly always finds nothing (the ORM select with a joined Ticket cost ~4x).
_M = cast(Table, Message.__table__)
BY_EXTERNAL_ID = Prebuilt(
    select(_M.c.id, _M.c.ticket_id).where(
        _M.c.channel == bindparam("channel"), _M.c.external_id == bindparam("external_id")
    )
)


def dedupe(session: Session, services: Services, draft: Draft) -> None:
    inbound = draft.inbound
    if not inbound.external_id:
        return
    receipt = find_receipt(session, inbound.channel, inbound.external_id)
    if receipt is not None:
        raise Duplicate(receipt)


def find_receipt(session: Session, channel: str, external_id: str) -> Receipt | None:
    params = {"channel": channel, "external_id": external_id}
    row = BY_EXTERNAL_ID.first(session.connection(), params)
    if row is None:
        return None
    message_id, ticket_id = row
    ticket = session.get(Ticket, ticket_id)
    assert ticket is not None, "a message's ticket exists (foreign key)"
    return Receipt(
        customer_id=ticket.customer_id,
        ticket_id=ticket.id,
        ticket_number=ticket.number or "",
        ticket=ticket,
        message_id=message_id,
        created_ticket=False,
        replayed=True,
    )
