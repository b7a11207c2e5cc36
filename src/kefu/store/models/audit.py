"""The append-only audit trail: every change and every sensitive read.

The migration adds database triggers that refuse UPDATE and DELETE on this table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_ticket", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    actor_kind: Mapped[str] = mapped_column(String(10))  # customer / agent / system / api
    actor_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(60))  # ticket.created, ticket.status_changed …
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
