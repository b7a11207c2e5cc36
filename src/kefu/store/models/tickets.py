"""Tickets, their messages and attachments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Computed, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kefu.store.models.base import Base, utcnow

# The inbox's order for tickets still being worked on (new, open, pending, on hold): most
# urgent first; NULL once solved or closed. A generated column, so one index serves the
# inbox's "most urgent, then longest waiting" order without sorting every open ticket.
OPEN_RANK_SQL = (
    "CASE WHEN status IN ('new', 'open', 'pending', 'on_hold') THEN "
    "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 "
    "WHEN 'low' THEN 3 ELSE 4 END END"
)


class Ticket(Base):
    __tablename__ = "tickets"
    # AUTOINCREMENT: SQLite then never reuses an id, so a ticket number is never reused.
    __table_args__ = (
        Index("ix_tickets_customer_status", "customer_id", "status"),
        Index("ix_tickets_status_priority", "status", "priority"),
        Index("ix_tickets_open_queue", "open_rank", "updated_at", "id"),
        Index("ix_tickets_assignee_queue", "assignee_id", "open_rank", "updated_at", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    subject: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(10), default="new")
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    category: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(12))
    language: Mapped[str] = mapped_column(String(8), default="zh-Hans")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    merged_into_id: Mapped[int | None]  # set when merged; no FK so SQLite needs no table rebuild
    mailbox: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    solved_at: Mapped[datetime | None]
    # SLA (kefu.work.sla): due times of running clocks; paused while waiting on the customer.
    first_reply_due_at: Mapped[datetime | None] = mapped_column(index=True)
    next_reply_due_at: Mapped[datetime | None] = mapped_column(index=True)
    resolution_due_at: Mapped[datetime | None] = mapped_column(index=True)
    sla_policy_id: Mapped[int | None]  # no FK: adding one on SQLite means rebuilding tickets
    sla_paused_at: Mapped[datetime | None]
    # Stored on PostgreSQL, computed on read on SQLite (which cannot add a stored column).
    # For queries; deferred, as statements that change the status do not refresh it.
    open_rank: Mapped[int | None] = mapped_column(Computed(OPEN_RANK_SQL), deferred=True)

    messages: Mapped[list[Message]] = relationship(
        back_populates="ticket", order_by="Message.id", lazy="raise"
    )


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # The dedupe key: one message per channel id, whatever retries happen.
        UniqueConstraint("channel", "external_id"),
        Index("ix_messages_ticket", "ticket_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    author_kind: Mapped[str] = mapped_column(String(10))  # customer / agent / bot / system
    author_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    visibility: Mapped[str] = mapped_column(String(10), default="public")  # public / internal
    channel: Mapped[str] = mapped_column(String(12))
    external_id: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)  # sanitised
    trust: Mapped[str] = mapped_column(String(12), default="anonymous")
    # What the shield found: [{"kind", "start", "end"}] — never the value.
    redactions: Mapped[list[Any]] = mapped_column(default=list)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages", lazy="raise")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", order_by="Attachment.id", lazy="raise"
    )


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12), default="ok")  # ok / quarantined
    reason: Mapped[str | None] = mapped_column(String(40))
    content_id: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[Message] = relationship(back_populates="attachments", lazy="raise")
