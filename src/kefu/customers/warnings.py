"""Tell a customer, once per ticket, that what they pasted must never be shared."""

from __future__ import annotations

from sqlalchemy import select

from kefu.audit import Actor, record_event
from kefu.i18n import t
from kefu.services import Services
from kefu.store.models import Event, Message, Ticket


def post_secret_warning(services: Services, payload: dict[str, object]) -> None:
    ticket_id = int(str(payload["ticket_id"]))
    with services.db.write() as session:
        ticket = session.get(Ticket, ticket_id)
        already = session.scalar(
            select(Event.id).where(Event.ticket_id == ticket_id, Event.kind == "customer.warned")
        )
        if ticket is None or already is not None:
            return
        session.add(
            Message(
                ticket_id=ticket.id,
                author_kind="system",
                visibility="public",
                channel=ticket.channel,
                body_text=t("shield.warning", ticket.language),
                trust="verified",
            )
        )
        record_event(session, "customer.warned", Actor.system(), ticket.id, reason="secret")
