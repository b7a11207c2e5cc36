"""Hardening: an agent's consecutive failed sign-ins and the lockout they earned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class AgentLockout(Base):
    """One row per agent who has failed to sign in since their last success."""

    __tablename__ = "agent_lockouts"

    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
