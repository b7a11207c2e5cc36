"""Insider-threat controls: revealed customer fields, customer views, unusual-access alerts.

`viewer` is who looked: `agent:{id}` for a signed-in agent, `api:{id}` for an API token.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class FieldReveal(Base):
    """One customer field unmasked for one viewer until `expires_at` (the reason is audited)."""

    __tablename__ = "field_reveals"
    __table_args__ = (Index("ix_field_reveals_lookup", "viewer", "customer_id", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    field: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class CustomerView(Base):
    """A viewer looked at a customer's profile (ticket page, sidebar, API)."""

    __tablename__ = "customer_views"
    __table_args__ = (Index("ix_customer_views_viewer_at", "viewer", "viewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccessAlert(Base):
    """A viewer saw unusually many distinct customers; they are throttled until reviewed."""

    __tablename__ = "access_alerts"
    __table_args__ = (Index("ix_access_alerts_viewer", "viewer", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer: Mapped[str] = mapped_column(String(40))
    distinct_customers: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
