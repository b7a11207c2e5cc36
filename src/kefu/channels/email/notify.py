"""Job handlers that email customers: confirmation, agent reply, sign-in link.

Security emails (see `kefu.trust.freeze_link`) also carry the one-click freeze link."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.categories import CATEGORY_BY_SLUG
from kefu.channels.email.compose import Recipient, compose
from kefu.channels.email.mailboxes import load_mailboxes
from kefu.channels.email.send import SendError, send_email
from kefu.customers.signin import mint_magic_link
from kefu.i18n import t
from kefu.jobs.worker import PermanentJobError
from kefu.services import Services
from kefu.store.models import Attachment, Customer, Message, Ticket
from kefu.trust.freeze_link import freeze_link_paragraphs
from kefu.work.policies import promise_text, reply_promise

log = logging.getLogger(__name__)
_EMAIL_ID = re.compile(r"<[^<>\s]+>")
MAX_REFERENCES = 10


@dataclass(frozen=True)
class _TicketMail:
    ticket: Ticket
    customer: Customer
    message: Message | None


def send_ticket_confirmation(services: Services, payload: dict[str, object]) -> None:
    found = _load(services, payload)
    ticket, customer = found.ticket, found.customer
    lang = ticket.language
    category = CATEGORY_BY_SLUG.get(ticket.category or "")
    promise = reply_promise(services, ticket)  # the matching SLA policy and its calendar
    paragraphs = [
        t("mail.confirmation_intro", lang, name=customer.name or t("mail.customer", lang)),
        f"{t('tickets.number', lang)}: {ticket.number}\n"
        f"{t('tickets.subject', lang)}: {ticket.subject}\n"
        f"{t('tickets.category', lang)}: {category.name(lang) if category else '-'}\n"
        f"{t('tickets.priority', lang)}: {t('priority.' + ticket.priority, lang)}",
        promise_text(promise, lang),
        t("mail.view_ticket", lang, url=_ticket_url(services, ticket)),
        *freeze_link_paragraphs(services, ticket, customer, lang),
    ]
    subject = t("mail.confirmation_subject", lang, number=ticket.number, subject=ticket.subject)
    _send(
        services,
        customer,
        lang,
        subject,
        paragraphs,
        Threading(
            message_id=outgoing_message_id(services, f"t{ticket.id}c"),
            references=_references(services, ticket.id, before=None),
            mailbox=ticket.mailbox,
        ),
    )


def send_agent_reply(services: Services, payload: dict[str, object]) -> None:
    found = _load(services, payload)
    ticket, customer, message = found.ticket, found.customer, found.message
    if message is None or message.visibility != "public" or ticket.channel == "chat":
        return  # chat replies travel over the socket, not by email
    lang = ticket.language
    paragraphs = [
        t("mail.reply_intro", lang, name=customer.name or t("mail.customer", lang)),
        message.body_text,
        t("mail.view_ticket", lang, url=_ticket_url(services, ticket)),
        *freeze_link_paragraphs(services, ticket, customer, lang),
    ]
    subject = t("mail.reply_subject", lang, number=ticket.number, subject=ticket.subject)
    threading = Threading(
        message_id=_record_message_id(services, message.id),
        references=_references(services, ticket.id, before=message.id),
        mailbox=ticket.mailbox,
    )
    _send(services, customer, lang, subject, paragraphs, threading, _files_of(services, message.id))


def _files_of(services: Services, message_id: int) -> list[tuple[str, str, bytes]]:
    """(filename, content type, bytes) of the clean attachments of a message."""
    with services.db.read() as session:
        rows = session.scalars(
            select(Attachment).where(Attachment.message_id == message_id, Attachment.status == "ok")
        ).all()
    return [(a.filename, a.content_type, services.files.load(a.storage_key)) for a in rows]


def send_magic_link(services: Services, payload: dict[str, object]) -> None:
    with services.db.write() as session:
        customer = session.get(Customer, int(str(payload["customer_id"])))
        if customer is None or not customer.email:
            raise PermanentJobError("customer without email")
        token = mint_magic_link(session, customer.id)
    lang = customer.language
    url = f"{services.settings.public_base_url}/portal/link/{token}"
    _send(
        services,
        customer,
        lang,
        t("mail.magic_subject", lang),
        [t("mail.magic_body", lang, url=url)],
    )


def _load(services: Services, payload: dict[str, object]) -> _TicketMail:
    with services.db.read() as session:
        ticket = session.get(Ticket, int(str(payload["ticket_id"])))
        if ticket is None:
            raise PermanentJobError("ticket not found")
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None
        message_id = payload.get("message_id")
        message = (
            session.scalars(select(Message).where(Message.id == int(str(message_id)))).first()
            if message_id is not None
            else None
        )
        return _TicketMail(ticket, customer, message)


@dataclass(frozen=True)
class Threading:
    """How an email joins its ticket's thread in the customer's mail client (and ours)."""

    message_id: str | None = None
    references: list[str] | None = None
    mailbox: str | None = None  # the ticket's mailbox: replies come from the address written to


def outgoing_message_id(services: Services, key: str) -> str:
    """A Message-ID that is the same on every retry of a job, and unguessable."""
    domain = load_mailboxes(services.settings).domain
    return f"<kf.{key}.{_digest(services, key)}@{domain}>"


def _digest(services: Services, key: str) -> str:
    secret = services.settings.resolved_secret_key().encode()
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:16]


_OUR_ID = re.compile(r"<kf\.((?:t\d+c)|(?:m\d+))\.([0-9a-f]{16})@[^<>\s]+>")


def ticket_of_our_email(session: Session, services: Services, message_id: str) -> Ticket | None:
    """The ticket an email we sent belongs to, from its Message-ID (a bounce names it).
    Only our own IDs count: their HMAC cannot be forged, so no stranger can attach mail
    to someone else's ticket this way."""
    match = _OUR_ID.fullmatch(message_id.strip())
    if match is None:
        return None
    key, digest = match.groups()
    if not hmac.compare_digest(_digest(services, key), digest):
        return None
    if key.startswith("t"):
        return session.get(Ticket, int(key[1:-1]))
    message = session.get(Message, int(key[1:]))
    return session.get(Ticket, message.ticket_id) if message is not None else None


def _record_message_id(services: Services, message_id: int) -> str:
    """The agent message's Message-ID, recorded before sending so a reply finds the ticket."""
    with services.db.write() as session:
        message = session.get(Message, message_id)
        if message is None:
            raise PermanentJobError("message not found")
        if not message.external_id:
            message.external_id = outgoing_message_id(services, f"m{message_id}")
        return message.external_id


def _references(services: Services, ticket_id: int, *, before: int | None) -> list[str]:
    """The ticket's email Message-IDs so far: the first one and the latest ones."""
    query = select(Message.external_id).where(
        Message.ticket_id == ticket_id, Message.external_id.is_not(None)
    )
    if before is not None:
        query = query.where(Message.id < before)
    with services.db.read() as session:
        ids = [
            i for i in session.scalars(query.order_by(Message.id)) if i and _EMAIL_ID.fullmatch(i)
        ]
    return ids if len(ids) <= MAX_REFERENCES else [ids[0], *ids[-(MAX_REFERENCES - 1) :]]


def _sender_address(services: Services, mailbox: str | None) -> str:
    """Reply from the mailbox the customer wrote to, under our usual display name."""
    mail_from = services.settings.mail_from
    if mailbox and load_mailboxes(services.settings).find(mailbox) is not None:
        return formataddr((parseaddr(mail_from)[0], mailbox))
    return mail_from


def _send(
    services: Services,
    customer: Customer,
    lang: str,
    subject: str,
    paragraphs: list[str],
    threading: Threading | None = None,
    files: list[tuple[str, str, bytes]] | None = None,
) -> None:
    if not customer.email:
        return
    if load_mailboxes(services.settings).is_ours(customer.email):
        log.warning("not sending to our own address (mail loop guard)")
        return
    threading = threading or Threading()
    recipient = Recipient(customer.email, customer.name, lang, customer.anti_phishing_code)
    message = compose(
        _sender_address(services, threading.mailbox),
        recipient,
        subject,
        paragraphs,
        message_id=threading.message_id,
        references=threading.references or None,
    )
    for filename, content_type, data in files or []:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(
            data, maintype=maintype, subtype=subtype or "octet-stream", filename=filename
        )
    try:
        send_email(services.settings, message)
    except SendError as exc:
        if exc.permanent:
            raise PermanentJobError(str(exc)) from None
        raise


def _ticket_url(services: Services, ticket: Ticket) -> str:
    return f"{services.settings.public_base_url}/portal/tickets/{ticket.number}"
