"""SLA clocks on tickets: recompute due times, fire warnings and breaches (outbox jobs).

`sla.recompute` (enqueued by `kefu.work.triggers` when a ticket is created, gets a
message, changes status or priority) reads the ticket's history, matches its policy,
stores the due times on the ticket and in `sla_clocks`, and schedules `sla.timer`
jobs at the warning and due instants whenever those move. A timer re-reads the
history when it fires: a clock that was paused or met meanwhile makes it a no-op, and
an event per (metric, cycle, kind) makes a retried timer harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.i18n import t
from kefu.jobs.outbox import enqueue
from kefu.live.hub import LiveEvent
from kefu.services import Services
from kefu.store.models import (
    Agent,
    BusinessCalendar,
    Event,
    Message,
    SlaClock,
    SlaPolicy,
    Ticket,
)
from kefu.store.models.base import utcnow
from kefu.tickets.actions import add_agent_message
from kefu.work.calendar import Calendar
from kefu.work.clock import Reading, Timeline, read_clock, spans
from kefu.work.policies import calendar_of, match_policy

DUE_COLUMNS = {
    "first_reply": "first_reply_due_at",
    "next_reply": "next_reply_due_at",
    "resolution": "resolution_due_at",
}
TARGET_FIELDS = {
    "first_reply": "first_reply_minutes",
    "next_reply": "next_reply_minutes",
    "resolution": "resolution_minutes",
}
WARNING, BREACH = "warning", "breach"
EVENT_KINDS = {WARNING: "sla.warning", BREACH: "sla.breached"}


@dataclass(frozen=True)
class SlaState:
    policy: SlaPolicy
    calendar: Calendar
    readings: dict[str, Reading]


def recompute_sla_job(services: Services, payload: dict[str, object]) -> None:
    """Job `sla.recompute`: bring one ticket's due times up to date."""
    with services.db.write() as session:
        ticket = _lock_ticket(services, session, int(str(payload["ticket_id"])))
        if ticket is not None:
            update_sla(session, ticket, utcnow())


def update_sla(session: Session, ticket: Ticket, now: datetime) -> SlaState | None:
    """Recompute from history; store due times; schedule timers for instants that moved."""
    policy = match_policy(session, ticket)
    if policy is None:
        _clear(session, ticket)
        return None
    row = session.get(BusinessCalendar, policy.calendar_id)
    assert row is not None
    calendar = calendar_of(row)
    timeline = load_timeline(session, ticket)
    readings = {
        span.metric: read_clock(calendar, timeline, span, target, policy.warn_percent / 100, now)
        for span in spans(timeline)
        if (target := _target(policy, span.metric)) is not None
    }
    if ticket.sla_policy_id != policy.id:
        record_event(session, "sla.policy_applied", Actor.system(), ticket.id, policy=policy.slug)
    ticket.sla_policy_id = policy.id
    ticket.sla_paused_at = timeline.paused_since()
    for metric, column in DUE_COLUMNS.items():
        reading = readings.get(metric)
        running = reading is not None and reading.state == "running"
        setattr(ticket, column, reading.due_at if running and reading else None)
    _store_clocks(session, ticket, policy, readings)
    return SlaState(policy, calendar, readings)


def _target(policy: SlaPolicy, metric: str) -> timedelta | None:
    minutes: int | None = getattr(policy, TARGET_FIELDS[metric])
    return timedelta(minutes=minutes) if minutes else None


def load_timeline(session: Session, ticket: Ticket) -> Timeline:
    changes = session.execute(
        select(Event.created_at, Event.data)
        .where(Event.ticket_id == ticket.id, Event.kind == "ticket.status_changed")
        .order_by(Event.id)
    ).all()
    messages = session.execute(
        select(Message.created_at, Message.author_kind)
        .where(Message.ticket_id == ticket.id, Message.visibility == "public")
        .where(Message.author_kind.in_(("customer", "agent")))
        .order_by(Message.id)
    ).all()
    return Timeline(
        created_at=ticket.created_at,
        status_changes=tuple((at, str(data["new"])) for at, data in changes),
        customer_messages=tuple(at for at, kind in messages if kind == "customer"),
        agent_replies=tuple(at for at, kind in messages if kind == "agent"),
    )


def _store_clocks(
    session: Session, ticket: Ticket, policy: SlaPolicy, readings: dict[str, Reading]
) -> None:
    clocks = {
        c.metric: c
        for c in session.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id))
    }
    for metric, clock in clocks.items():
        if metric not in readings:
            session.delete(clock)
    for metric, reading in readings.items():
        clock = clocks.get(metric) or SlaClock(ticket_id=ticket.id, metric=metric)
        if reading.state == "running":
            _schedule_timers(session, ticket, clock, reading)
        clock.policy_id = policy.id
        clock.state = reading.state
        clock.cycle_started_at = reading.cycle_started_at
        clock.target_seconds = int(reading.target.total_seconds())
        clock.elapsed_seconds = int(reading.elapsed.total_seconds())
        clock.due_at = reading.due_at if reading.state == "running" else None
        clock.warn_at = reading.warn_at if reading.state == "running" else None
        clock.breached = reading.breached
        clock.updated_at = utcnow()
        session.add(clock)


def _schedule_timers(session: Session, ticket: Ticket, clock: SlaClock, reading: Reading) -> None:
    """One timer per instant: only when the warning or due instant differs from last time."""
    payload: dict[str, Any] = {
        "ticket_id": ticket.id,
        "metric": reading.metric,
        "cycle": reading.cycle_started_at.isoformat(),
    }
    if reading.warn_at is not None and reading.warn_at != clock.warn_at:
        warning = {**payload, "kind": WARNING, "at": reading.warn_at.isoformat()}
        enqueue(session, "sla.timer", warning, run_after=reading.warn_at)
    if reading.due_at is not None and reading.due_at != clock.due_at:
        breach = {**payload, "kind": BREACH, "at": reading.due_at.isoformat()}
        enqueue(session, "sla.timer", breach, run_after=reading.due_at)


def _clear(session: Session, ticket: Ticket) -> None:
    ticket.sla_policy_id = None
    ticket.sla_paused_at = None
    for column in DUE_COLUMNS.values():
        setattr(ticket, column, None)
    for clock in session.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id)):
        session.delete(clock)


def _lock_ticket(services: Services, session: Session, ticket_id: int) -> Ticket | None:
    # Two workers recomputing one ticket on PostgreSQL take turns; SQLite has one writer.
    return session.get(Ticket, ticket_id, with_for_update=not services.db.is_sqlite)


def sla_timer_job(services: Services, payload: dict[str, object]) -> None:
    """Job `sla.timer`: record and announce a warning or breach that is (still) real."""
    live: list[LiveEvent] = []
    with services.db.write() as session:
        ticket = _lock_ticket(services, session, int(str(payload["ticket_id"])))
        if ticket is None:
            return
        now = utcnow()
        state = update_sla(session, ticket, now)
        reading = state.readings.get(str(payload["metric"])) if state else None
        kind = str(payload["kind"])
        if state is None or reading is None or not _fires(reading, kind, payload, now):
            return
        if _already_recorded(session, ticket.id, kind, reading):
            return
        live = _announce(session, ticket, state, reading, kind)
    for event in live:  # after commit: agents never hear of a change that rolled back
        services.live.publish("agents", event)


def _fires(reading: Reading, kind: str, payload: dict[str, object], now: datetime) -> bool:
    """The worker runs a timer once its instant has come; it still counts only if that
    instant is the clock's current one (a pause or a new priority moves it, and the
    recompute that moved it scheduled a newer timer)."""
    if reading.state != "running" or reading.cycle_started_at.isoformat() != payload["cycle"]:
        return False
    at = reading.warn_at if kind == WARNING else reading.due_at
    if at is None or at.isoformat() != payload["at"]:
        return False
    past_due = reading.due_at is not None and reading.due_at <= now
    return not (kind == WARNING and past_due)  # past due: the breach says it all


def _already_recorded(session: Session, ticket_id: int, kind: str, reading: Reading) -> bool:
    recorded = session.scalars(
        select(Event.data).where(Event.ticket_id == ticket_id, Event.kind == EVENT_KINDS[kind])
    )
    cycle = reading.cycle_started_at.isoformat()
    return any(d.get("metric") == reading.metric and d.get("cycle") == cycle for d in recorded)


def _announce(
    session: Session, ticket: Ticket, state: SlaState, reading: Reading, kind: str
) -> list[LiveEvent]:
    leads = _team_leads(session, ticket) if kind == BREACH else []
    due = reading.due_at
    assert due is not None
    record_event(
        session,
        EVENT_KINDS[kind],
        Actor.system(),
        ticket.id,
        metric=reading.metric,
        cycle=reading.cycle_started_at.isoformat(),
        due_at=due.isoformat(),
        policy=state.policy.slug,
        assignee_id=ticket.assignee_id,
        escalated_to=[lead.id for lead in leads],
    )
    for lead in leads:
        record_event(
            session,
            "sla.escalated",
            Actor.system(),
            ticket.id,
            metric=reading.metric,
            lead_id=lead.id,
        )
    note = "\n".join(_note(kind, state, reading, leads, lang) for lang in ("zh-Hans", "en"))
    add_agent_message(session, ticket, Actor.system(), note, internal=True)
    base = {
        "ticket_id": ticket.id,
        "number": ticket.number,
        "metric": reading.metric,
        "due_at": due.isoformat(),
        "assignee_id": ticket.assignee_id,
    }
    events: list[LiveEvent] = [{"type": f"sla.{kind}", **base}]
    events += [{"type": "sla.escalated", "lead_id": lead.id, **base} for lead in leads]
    return events


def _team_leads(session: Session, ticket: Ticket) -> list[Agent]:
    if ticket.team_id is None:
        return []
    return list(
        session.scalars(
            select(Agent)
            .where(Agent.team_id == ticket.team_id, Agent.role == "lead", Agent.is_active)
            .order_by(Agent.id)
        )
    )


def _note(kind: str, state: SlaState, reading: Reading, leads: list[Agent], lang: str) -> str:
    due = reading.due_at
    assert due is not None
    local = due.astimezone(state.calendar.zone).strftime("%Y-%m-%d %H:%M")
    params = {
        "metric": t(f"work.metric.{reading.metric}", lang),
        "due": f"{local} ({state.calendar.time_zone})",
        "policy": state.policy.name_zh if lang == "zh-Hans" else state.policy.name_en,
    }
    if kind == WARNING:
        return t("work.sla_warning_note", lang, percent=state.policy.warn_percent, **params)
    names = ", ".join(lead.name for lead in leads) or t("work.no_lead", lang)
    return t("work.sla_breach_note", lang, leads=names, **params)
