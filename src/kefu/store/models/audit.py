"""The append-only audit trail: every change and every sensitive read.

The migration adds database triggers that refuse UPDATE and DELETE on this table, and
each row's `chain_hash` chains it to the one before (see `kefu.audit`).
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
    # sha256(previous chain_hash + canonical JSON of this row), set by `record_event`.
    chain_hash: Mapped[str | None] = mapped_column(String(64))
