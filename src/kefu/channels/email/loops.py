"""Loop protection: mail that must be stored and shown, but never answered automatically.

Auto-replies (out-of-office, mailing lists: `parsed.auto_reply`), bounces (DSN), mail from
our own addresses, and a sender writing too often (two autoresponders answering each
other). The message is kept and tagged; only the automatic answer is withheld.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu.channels.email.mailboxes import Mailboxes
from kefu.channels.email.parse import ParsedEmail
from kefu.settings import Settings
from kefu.store.models import Customer, Message, Ticket
from kefu.store.models.base import utcnow

RATE_LIMITED = "rate_limited"


def machine_tags(mailboxes: Mailboxes, parsed: ParsedEmail) -> tuple[str, ...]:
    """The tags the message itself shows (no database): bounce, auto_reply, own_address."""
    tags: list[str] = []
    if parsed.bounce:
        tags.append("bounce")
    elif parsed.auto_reply:
        tags.append("auto_reply")
    if mailboxes.is_ours(parsed.from_address.lower()):
        tags.append("own_address")
    return tuple(tags)


def over_rate(earlier: int, settings: Settings) -> bool:
    """A sender with `earlier` messages in the window is over the limit with this one."""
    return earlier + 1 >= settings.email_rate_limit


def recent_messages(
    session: Session, settings: Settings, senders: Collection[str]
) -> dict[str, int]:
    """Customer messages within the rate window, per sender address (absent: none)."""
    if not senders:
        return {}
    since = utcnow() - timedelta(seconds=settings.email_rate_window_seconds)
    # Customer (by email) → their tickets → messages: each step has an index, so the cost
    # does not grow with the messages table. Any channel counts: a loop is a loop.
    rows = session.execute(
        select(Customer.email, func.count(Message.id))
        .join(Ticket, Ticket.customer_id == Customer.id)
        .join(Message, Message.ticket_id == Ticket.id)
        .where(
            Message.customer_id == Customer.id,
            Customer.email.in_(sorted(senders)),
            Message.author_kind == "customer",
            Message.created_at >= since,
        )
        .group_by(Customer.email)
    )
    return {email: count for email, count in rows if email is not None}
