"""Live chat: one row per widget conversation, and images uploaded before they are sent.

The conversation's messages are ordinary `Message` rows of its ticket (channel `chat`);
this row holds only what the socket needs to resume on any server process: who the
visitor is, where the bot and the queue stand, and what each side has read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class ChatSession(Base):
    __tablename__ = "chat_sessions"
    __table_args__ = (Index("ix_chat_sessions_state_queued", "state", "queued_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The random id inside the widget's signed session token.
    visitor_key: Mapped[str] = mapped_column(String(40), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    # A verified UID the conversation belongs to; None for an anonymous visitor.
    customer_uid: Mapped[str | None] = mapped_column(String(64))
    trust: Mapped[str] = mapped_column(String(12), default="anonymous")
    language: Mapped[str] = mapped_column(String(8), default="zh-Hans")
    category: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10), default="bot")  # bot/queued/active/ended/offline
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    team_slug: Mapped[str | None] = mapped_column(String(40))
    bot_failures: Mapped[int] = mapped_column(default=0)
    awaiting: Mapped[str | None] = mapped_column(String(12))  # feedback / clarify
    pending_text: Mapped[str | None] = mapped_column(Text)  # held while asking to clarify
    clarify_options: Mapped[list[Any]] = mapped_column(default=list)
    handoff_reason: Mapped[str | None] = mapped_column(String(20))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    queued_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    customer_read_seq: Mapped[int] = mapped_column(default=0)
    agent_read_seq: Mapped[int] = mapped_column(default=0)
    transcript_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatUpload(Base):
    """An image uploaded over HTTP, waiting to be referenced by a chat message."""

    __tablename__ = "chat_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_key: Mapped[str] = mapped_column(String(40), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
