"""The SLA countdown shown on inbox rows: the earliest running clock of a ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kefu.store.models import Ticket
from kefu.store.models.base import utcnow

CLOCKS = ("first_reply_due_at", "next_reply_due_at", "resolution_due_at")
SOON = timedelta(hours=2)


@dataclass(frozen=True)
class Due:
    kind: str  # which clock
    at: datetime
    state: str  # breached / soon / ok
    label: str  # "-1h20m" when breached, "3h05m" left otherwise


def sla_due(ticket: Ticket, now: datetime | None = None) -> Due | None:
    """None when no clock runs (paused while waiting on the customer, or none applies)."""
    if ticket.sla_paused_at is not None:
        return None
    running = [(getattr(ticket, name), name) for name in CLOCKS if getattr(ticket, name)]
    if not running:
        return None
    at, kind = min(running)
    left = at - (now or utcnow())
    state = "breached" if left <= timedelta(0) else "soon" if left <= SOON else "ok"
    return Due(kind.removesuffix("_due_at"), at, state, _duration(left))


def _duration(left: timedelta) -> str:
    minutes = int(abs(left.total_seconds()) // 60)
    text = f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"
    return f"-{text}" if left.total_seconds() < 0 else text
