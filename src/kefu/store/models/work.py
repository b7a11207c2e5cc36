"""Workflow tables: business calendars, SLA policies and clocks, assignment settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class BusinessCalendar(Base):
    """Opening hours in a time zone, plus holidays (shipped regions and extra dates)."""

    __tablename__ = "business_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    time_zone: Mapped[str] = mapped_column(String(64))
    # {"mon": [["09:00", "12:00"], ["13:00", "18:00"]], …}; a missing day is closed.
    weekly_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    holiday_regions: Mapped[list[Any]] = mapped_column(default=list)  # ["CN"], ["HK"]
    extra_holidays: Mapped[list[Any]] = mapped_column(default=list)  # ISO dates
    extra_workdays: Mapped[list[Any]] = mapped_column(default=list)  # ISO dates
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlaPolicy(Base):
    """Targets for one kind of ticket; the first active policy (by position) that matches wins."""

    __tablename__ = "sla_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=100)
    is_active: Mapped[bool] = mapped_column(default=True)
    # {"priority": [...], "channel": [...], "category": [...], "tier": [...]}; absent = any.
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("business_calendars.id"))
    first_reply_minutes: Mapped[int | None]
    next_reply_minutes: Mapped[int | None]
    resolution_minutes: Mapped[int | None]
    # Warn when this share of a target has passed (percent).
    warn_percent: Mapped[int] = mapped_column(default=80)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlaClock(Base):
    """The last computed state of one SLA metric of one ticket, and its scheduled timers."""

    __tablename__ = "sla_clocks"
    __table_args__ = (UniqueConstraint("ticket_id", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    metric: Mapped[str] = mapped_column(String(12))  # first_reply / next_reply / resolution
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("sla_policies.id"))
    state: Mapped[str] = mapped_column(String(10))  # running / paused / met / stopped
    cycle_started_at: Mapped[datetime]
    target_seconds: Mapped[int]
    elapsed_seconds: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime | None]
    warn_at: Mapped[datetime | None]
    breached: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamAssignment(Base):
    """How a team's new tickets find an agent."""

    __tablename__ = "team_assignment"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16), default="manual")  # manual/round_robin/…
    # Take tickets back from an agent away or offline this long; None = never.
    away_reassign_minutes: Mapped[int | None]
    # Round-robin pointer: the agent who got the last ticket.
    last_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentAvailability(Base):
    """An agent's presence, capacity and category skills (languages are on Agent)."""

    __tablename__ = "agent_availability"

    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    presence: Mapped[str] = mapped_column(String(8), default="offline")  # online/away/offline
    presence_since: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    max_chats: Mapped[int] = mapped_column(default=3)
    max_tickets: Mapped[int] = mapped_column(default=20)
    categories: Mapped[list[Any]] = mapped_column(default=list)  # empty = every category
    last_assigned_at: Mapped[datetime | None]
