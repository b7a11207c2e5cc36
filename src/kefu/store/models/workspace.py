"""The agent workspace: macros (canned replies in both languages), saved views, viewers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class Macro(Base):
    """A canned response. `{customer_name}`, `{ticket_number}`, `{agent_name}` are filled in;
    the body in the ticket's language is used."""

    __tablename__ = "macros"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    # Field changes applied with the reply: {"status": "pending", "tags": ["kyc"]}.
    actions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedView(Base):
    """A named inbox filter; `agent_id` None means shared with everyone."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("agent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    name: Mapped[str] = mapped_column(String(80))
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)


class TicketViewer(Base):
    """Who has a ticket open right now (refreshed by the page); shared by every web node."""

    __tablename__ = "ticket_viewers"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    composing: Mapped[bool] = mapped_column(default=False)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
