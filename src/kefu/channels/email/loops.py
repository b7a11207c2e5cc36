"""Loop protection: mail that must be stored and shown, but never answered automatically.

Auto-replies (out-of-office, mailing lists: `parsed.auto_reply`), bounces (DSN), mail from
our own addresses, and a sender writing too often (two autoresponders answering each
other). The message is kept and tagged; only the automatic answer is withheld.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu.channels.email.mailboxes import Mailboxes
from kefu.channels.email.parse import ParsedEmail
from kefu.settings import Settings
from kefu.store.models import Customer, Message, Ticket
from kefu.store.models.base import utcnow


def loop_tags(
    session: Session, settings: Settings, mailboxes: Mailboxes, parsed: ParsedEmail
) -> tuple[str, ...]:
    """Why this message must not be answered automatically; empty when it may be."""
    sender = parsed.from_address.lower()
    tags: list[str] = []
    if parsed.bounce:
        tags.append("bounce")
    elif parsed.auto_reply:
        tags.append("auto_reply")
    if mailboxes.is_ours(sender):
        tags.append("own_address")
    if sender and _recent_messages(session, sender, settings) + 1 >= settings.email_rate_limit:
        tags.append("rate_limited")
    return tuple(tags)


def _recent_messages(session: Session, sender: str, settings: Settings) -> int:
    since = utcnow() - timedelta(seconds=settings.email_rate_window_seconds)
    # Customer (by email) → their tickets → messages: each step has an index, so the cost
    # does not grow with the messages table. Any channel counts: a loop is a loop.
    count = session.scalar(
        select(func.count(Message.id))
        .join(Ticket, Ticket.id == Message.ticket_id)
        .join(Customer, Customer.id == Ticket.customer_id)
        .where(
            Message.customer_id == Customer.id,
            Customer.email == sender,
            Message.author_kind == "customer",
            Message.created_at >= since,
        )
    )
    return count or 0
