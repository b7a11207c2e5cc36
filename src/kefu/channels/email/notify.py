"""Job handlers that email customers: confirmation, agent reply, sign-in link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kefu.categories import CATEGORY_BY_SLUG
from kefu.channels.email.compose import Recipient, compose
from kefu.channels.email.send import SendError, send_email
from kefu.customers.signin import mint_magic_link
from kefu.i18n import t
from kefu.jobs.worker import PermanentJobError
from kefu.services import Services
from kefu.store.models import Customer, Message, Ticket

# Expected first-reply time by priority, in business hours (issue #8 makes these policies).
EXPECTED_REPLY_HOURS = {"urgent": 2, "high": 8, "normal": 24, "low": 48}


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
    paragraphs = [
        t("mail.confirmation_intro", lang, name=customer.name or t("mail.customer", lang)),
        f"{t('tickets.number', lang)}: {ticket.number}\n"
        f"{t('tickets.subject', lang)}: {ticket.subject}\n"
        f"{t('tickets.category', lang)}: {category.name(lang) if category else '-'}\n"
        f"{t('tickets.priority', lang)}: {t('priority.' + ticket.priority, lang)}",
        t(
            "ticket.expected_reply",
            lang,
            hours=EXPECTED_REPLY_HOURS[ticket.priority],
            business_hours=t("ticket.business_hours", lang),
        ),
        t("mail.view_ticket", lang, url=_ticket_url(services, ticket)),
    ]
    subject = t("mail.confirmation_subject", lang, number=ticket.number, subject=ticket.subject)
    _send(services, customer, lang, subject, paragraphs)


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
    ]
    subject = t("mail.reply_subject", lang, number=ticket.number, subject=ticket.subject)
    _send(services, customer, lang, subject, paragraphs)


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


def _send(
    services: Services, customer: Customer, lang: str, subject: str, paragraphs: list[str]
) -> None:
    if not customer.email:
        return
    recipient = Recipient(customer.email, customer.name, lang, customer.anti_phishing_code)
    message = compose(services.settings.mail_from, recipient, subject, paragraphs)
    try:
        send_email(services.settings.smtp_url, message)
    except SendError as exc:
        if exc.permanent:
            raise PermanentJobError(str(exc)) from None
        raise


def _ticket_url(services: Services, ticket: Ticket) -> str:
    return f"{services.settings.public_base_url}/portal/tickets/{ticket.number}"
