"""SLA clocks from a ticket's history: pure functions, no database.

A clock counts business time while the ticket is *active* (new, open, on hold) between
its start and its stop. It pauses while the ticket is pending (waiting on the customer)
and stops when it is solved or closed; a reopened ticket resumes its resolution clock.

Everything is recomputed from the history each time (creation, status changes, public
messages), so the result does not depend on how many times or in what order the
recompute jobs ran — the property a retried outbox job needs.

- first_reply: from creation to the first public agent reply.
- next_reply: from the first customer message after the latest public agent reply,
  until the next one (only after a first reply).
- resolution: from creation until solved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kefu.work.calendar import BusinessPoint, Calendar, advance, duration_micros, points_apart

ACTIVE = frozenset({"new", "open", "on_hold"})
PAUSED = frozenset({"pending"})
METRICS = ("first_reply", "next_reply", "resolution")

Window = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class Timeline:
    created_at: datetime
    status_changes: tuple[tuple[datetime, str], ...]  # (when, new status), oldest first
    customer_messages: tuple[datetime, ...]
    agent_replies: tuple[datetime, ...]  # public replies by agents

    @property
    def status(self) -> str:
        return self.status_changes[-1][1] if self.status_changes else "new"

    def active_windows(self) -> list[Window]:
        """Spans when SLA time may run; the last is open-ended (None) while active."""
        windows: list[Window] = []
        status, since = "new", self.created_at
        for at, new in self.status_changes:
            if status in ACTIVE and new not in ACTIVE:
                windows.append((since, at))
            elif status not in ACTIVE and new in ACTIVE:
                since = at
            status = new
        if status in ACTIVE:
            windows.append((since, None))
        return windows

    def paused_since(self) -> datetime | None:
        if self.status not in PAUSED:
            return None
        return self.status_changes[-1][0]


@dataclass(frozen=True)
class Span:
    """When a metric's clock starts, and when (if yet) its goal was met."""

    metric: str
    start: datetime
    met_at: datetime | None


@dataclass(frozen=True)
class Reading:
    metric: str
    state: str  # running / paused / met / stopped
    cycle_started_at: datetime
    target: timedelta
    elapsed: timedelta
    due_at: datetime | None  # when the target is (or was) reached, if it is reached
    warn_at: datetime | None
    breached: bool


def spans(timeline: Timeline) -> list[Span]:
    """The clocks a ticket has now: always first reply and resolution; next reply if owed."""
    replies = sorted(timeline.agent_replies)
    result = [
        Span("first_reply", timeline.created_at, replies[0] if replies else None),
        Span("resolution", timeline.created_at, None),
    ]
    if replies:
        waiting = [at for at in timeline.customer_messages if at > replies[-1]]
        if waiting:
            result.append(Span("next_reply", min(waiting), None))
    return result


def read_clock(
    calendar: Calendar,
    timeline: Timeline,
    span: Span,
    target: timedelta,
    warn_share: float,
    now: datetime,
) -> Reading:
    """Where one clock stands at `now`: elapsed business time, due and warning instants."""
    segments = _clip(timeline.active_windows(), span.start, span.met_at)
    target_us, warn_us = duration_micros(target), duration_micros(target * warn_share)
    elapsed = 0  # business microseconds
    due_at = warn_at = None
    for begins, ends in segments:
        origin = calendar.point(begins)  # one lookup serves all three questions below
        if warn_at is None:
            warn_at = _crossing(calendar, begins, origin, ends, warn_us - elapsed)
        if due_at is None:
            due_at = _crossing(calendar, begins, origin, ends, target_us - elapsed)
        upto = max(begins, min(ends or now, now))  # clocks of other machines may lag
        elapsed += points_apart(calendar, origin, calendar.point(upto))
    state = _state(timeline, span, segments)
    breached = elapsed > target_us or (state == "running" and due_at is not None and due_at <= now)
    spent = timedelta(microseconds=elapsed)
    return Reading(span.metric, state, span.start, target, spent, due_at, warn_at, breached)


def _clip(windows: list[Window], start: datetime, stop: datetime | None) -> list[Window]:
    clipped: list[Window] = []
    for begins, ends in windows:
        begins = max(begins, start)
        if stop is not None:
            ends = stop if ends is None else min(ends, stop)
        if ends is None or ends > begins:
            clipped.append((begins, ends))
    return clipped


def _crossing(
    calendar: Calendar,
    begins: datetime,
    origin: BusinessPoint,
    ends: datetime | None,
    needed: int,
) -> datetime | None:
    """When `needed` more business microseconds are reached inside this segment, if so."""
    if needed <= 0:
        return begins
    at = advance(calendar, origin, needed)
    return at if ends is None or at <= ends else None


def _state(timeline: Timeline, span: Span, segments: list[Window]) -> str:
    if span.met_at is not None:
        return "met"
    if span.metric == "resolution" and timeline.status in ("solved", "closed"):
        return "met"
    if segments and segments[-1][1] is None:
        return "running"
    return "paused" if timeline.status in PAUSED else "stopped"
