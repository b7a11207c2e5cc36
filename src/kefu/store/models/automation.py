"""Automation rules: data that admins edit, run by the job worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class AutomationRule(Base):
    """`kind` "time": checked by the periodic sweep; "event": when a ticket is created.

    conditions: {"status", "priority", "category", "channel", "tag", "idle_hours"}
    actions: {"set_status", "add_tag", "macro", "note"}
    """

    __tablename__ = "automation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
