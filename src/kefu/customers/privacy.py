"""Personal-data requests: export everything kefu holds about a customer, or erase it.

Erasure replaces content (message bodies, subjects, rating comments, chat drafts), deletes
attachment files and clears the customer's name, email and anti-phishing code. It keeps
the skeleton: ticket numbers, timestamps, statuses, the customer's exchange UID, security
records (freezes) and the audit log, which is append-only and never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.errors import NotFound
from kefu.i18n import t
from kefu.store.files import FileStore
from kefu.store.models import (
    AccountAction,
    Attachment,
    ChatSession,
    Customer,
    CustomerLink,
    Message,
    SatisfactionRating,
    Ticket,
)

ERASED = "erased"  # Attachment.status once its file is gone


def erased_marker() -> str:
    """What erased text reads as, in both languages (any reader may see it)."""
    return f"{t('hardening.erased_marker', 'zh-Hans')} {t('hardening.erased_marker', 'en')}"


def find_customer(session: Session, who: str) -> Customer:
    """The customer with this exchange UID, or else this email address."""
    by_uid = session.scalars(select(Customer).where(Customer.uid == who.strip())).first()
    if by_uid is not None:
        return by_uid
    email = who.strip().lower()
    by_email = session.scalars(select(Customer).where(Customer.email == email)).first()
    if by_email is None:
        raise NotFound("hardening.customer_not_found", who=who)
    return by_email


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _tickets(session: Session, customer: Customer) -> list[Ticket]:
    query = select(Ticket).where(Ticket.customer_id == customer.id).order_by(Ticket.id)
    return list(session.scalars(query))


def _messages(session: Session, customer: Customer, ticket_ids: list[int]) -> list[Message]:
    """Every message on the customer's tickets, and theirs on anyone else's."""
    mine = or_(Message.ticket_id.in_(ticket_ids), Message.customer_id == customer.id)
    return list(session.scalars(select(Message).where(mine).order_by(Message.id)))


def _attachments(session: Session, message_ids: list[int]) -> list[Attachment]:
    query = select(Attachment).where(Attachment.message_id.in_(message_ids))
    return list(session.scalars(query.order_by(Attachment.id)))


def _attachment_out(attachment: Attachment) -> dict[str, Any]:
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "status": attachment.status,
        "created_at": _when(attachment.created_at),
    }


def _message_out(message: Message, attachments: list[Attachment]) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author_kind,
        "visibility": message.visibility,
        "channel": message.channel,
        "body_text": message.body_text,
        "body_html": message.body_html,
        "created_at": _when(message.created_at),
        "attachments": [_attachment_out(a) for a in attachments if a.message_id == message.id],
    }


def _rating_out(rating: SatisfactionRating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {
        "score": rating.score,
        "comment": rating.comment,
        "created_at": _when(rating.created_at),
    }


def _ticket_out(
    session: Session, ticket: Ticket, messages: list[Message], attachments: list[Attachment]
) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "category": ticket.category,
        "channel": ticket.channel,
        "language": ticket.language,
        "created_at": _when(ticket.created_at),
        "updated_at": _when(ticket.updated_at),
        "solved_at": _when(ticket.solved_at),
        "messages": [_message_out(m, attachments) for m in messages if m.ticket_id == ticket.id],
        "rating": _rating_out(session.get(SatisfactionRating, ticket.id)),
    }


def _profile(customer: Customer) -> dict[str, Any]:
    return {
        "uid": customer.uid,
        "email": customer.email,
        "name": customer.name,
        "language": customer.language,
        "anti_phishing_code": customer.anti_phishing_code,
        "tier": customer.tier,
        "verification": customer.verification,
        "created_at": _when(customer.created_at),
    }


def _account_actions(session: Session, customer: Customer) -> list[dict[str, Any]]:
    query = select(AccountAction).where(AccountAction.customer_id == customer.id)
    return [
        {
            "action": a.action,
            "status": a.status,
            "reason": a.reason,
            "created_at": _when(a.created_at),
            "finished_at": _when(a.finished_at),
        }
        for a in session.scalars(query.order_by(AccountAction.id))
    ]


def export_customer(session: Session, customer: Customer) -> dict[str, Any]:
    """Everything kefu holds about the customer, as JSON-ready data."""
    tickets = _tickets(session, customer)
    messages = _messages(session, customer, [ticket.id for ticket in tickets])
    attachments = _attachments(session, [m.id for m in messages])
    others = sorted({m.ticket_id for m in messages} - {ticket.id for ticket in tickets})
    return {
        "customer": _profile(customer),
        "tickets": [_ticket_out(session, ticket, messages, attachments) for ticket in tickets],
        "messages_on_other_tickets": [
            _message_out(m, attachments) for m in messages if m.ticket_id in others
        ],
        "account_actions": _account_actions(session, customer),
    }


@dataclass(frozen=True)
class Erasure:
    uid: str
    messages: int
    attachments: int


def _erase_files(session: Session, files: FileStore, attachments: list[Attachment]) -> None:
    """Delete each file unless a attachment not being erased shares it (content-addressed)."""
    erasing = {a.id for a in attachments}
    for key in {a.storage_key for a in attachments}:
        users = session.scalars(select(Attachment.id).where(Attachment.storage_key == key))
        if set(users) <= erasing:
            (files.root / key).unlink(missing_ok=True)


def _erase_attachments(session: Session, files: FileStore, attachments: list[Attachment]) -> None:
    _erase_files(session, files, attachments)
    for attachment in attachments:
        attachment.filename = ERASED
        attachment.status = ERASED
        attachment.reason = "customer_erasure"
        attachment.content_id = None


def _erase_messages(messages: list[Message], marker: str) -> None:
    for message in messages:
        message.body_text = marker  # the search-term triggers re-index it
        message.body_html = None
        message.redactions = []
        message.meta = {"erased": True}
        message.external_id = None


def _erase_tickets(session: Session, tickets: list[Ticket], marker: str) -> None:
    ids = [ticket.id for ticket in tickets]
    for ticket in tickets:
        ticket.subject = marker
        ticket.mailbox = None
    for rating in session.scalars(
        select(SatisfactionRating).where(SatisfactionRating.ticket_id.in_(ids))
    ):
        rating.comment = ""
    for chat in session.scalars(select(ChatSession).where(ChatSession.ticket_id.in_(ids))):
        chat.pending_text = None
        chat.clarify_options = []


def _erase_profile(session: Session, customer: Customer) -> None:
    customer.email = None
    customer.name = ""
    customer.anti_phishing_code = None
    for link in session.scalars(
        select(CustomerLink).where(CustomerLink.customer_id == customer.id)
    ):
        session.delete(link)


def erase_customer(session: Session, files: FileStore, customer: Customer) -> Erasure:
    """Erase the customer's content and personal fields; see the module docstring."""
    marker = erased_marker()
    tickets = _tickets(session, customer)
    messages = _messages(session, customer, [ticket.id for ticket in tickets])
    attachments = _attachments(session, [m.id for m in messages])
    _erase_attachments(session, files, attachments)
    _erase_messages(messages, marker)
    _erase_tickets(session, tickets, marker)
    _erase_profile(session, customer)
    record_event(
        session,
        "customer.erased",
        Actor.system(),
        customer_id=customer.id,
        tickets=len(tickets),
        messages=len(messages),
        attachments=len(attachments),
    )
    return Erasure(customer.uid or f"#{customer.id}", len(messages), len(attachments))
