"""Job `chat.transcript`: email the customer their chat, with the anti-phishing line."""

from __future__ import annotations

import re

from sqlalchemy import select

from kefu.audit import Actor, record_event
from kefu.channels.chat.visitor import ANONYMOUS_DOMAIN
from kefu.channels.email.compose import Recipient, compose
from kefu.channels.email.send import SendError, send_email
from kefu.errors import UserError
from kefu.i18n import t
from kefu.jobs.outbox import enqueue
from kefu.jobs.worker import PermanentJobError
from kefu.services import Services
from kefu.store.models import ChatSession, Customer, Message, Ticket
from kefu.store.models.base import utcnow

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")


def request_transcript(
    services: Services, visitor_key: str, uid: str | None, email: str | None
) -> None:
    """Queue the transcript: to the account email when verified, else where the guest says."""
    with services.db.write() as session:
        chat = session.scalar(select(ChatSession).where(ChatSession.visitor_key == visitor_key))
        if chat is None or chat.ticket_id is None or chat.customer_uid != uid:
            raise UserError("chat.error.not_found", code="not_found")
        address = None if uid else (email or "").strip()
        if address is not None and (not EMAIL.match(address) or address.endswith(ANONYMOUS_DOMAIN)):
            raise UserError("chat.error.needs_email", code="needs_email")
        chat.transcript_sent_at = utcnow()
        enqueue(session, "chat.transcript", {"ticket_id": chat.ticket_id, "email": address})


def send_transcript(services: Services, payload: dict[str, object]) -> None:
    with services.db.read() as session:
        ticket = session.get(Ticket, int(str(payload["ticket_id"])))
        if ticket is None:
            raise PermanentJobError("ticket not found")
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None
        messages = list(
            session.scalars(
                select(Message)
                .where(Message.ticket_id == ticket.id, Message.visibility == "public")
                .order_by(Message.id)
            )
        )
    address = str(payload.get("email") or customer.email or "")
    if not address or address.endswith(ANONYMOUS_DOMAIN):
        raise PermanentJobError("no address for the transcript")
    lang = ticket.language
    lines = [
        f"[{m.created_at:%Y-%m-%d %H:%M} UTC] {t('chat.author.' + m.author_kind, lang)}: "
        f"{m.body_text}"
        for m in messages
    ]
    brand = services.settings.brand_name_zh if lang == "zh-Hans" else services.settings.brand_name
    # A guest's typed address is not proven theirs: no anti-phishing code goes to it.
    code = customer.anti_phishing_code if not payload.get("email") else None
    message = compose(
        services.settings.mail_from,
        Recipient(address, customer.name, lang, code),
        t("chat.transcript_subject", lang, brand=brand, number=ticket.number),
        [t("chat.transcript_intro", lang), "\n".join(lines)],
    )
    try:
        send_email(services.settings, message)
    except SendError as exc:
        if exc.permanent:
            raise PermanentJobError(str(exc)) from None
        raise
    with services.db.write() as session:
        record_event(session, "chat.transcript_sent", Actor.system(), ticket.id)
