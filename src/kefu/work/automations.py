"""Automations: event rules (a ticket was created) and time rules (the periodic sweep).

Every run goes through the outbox worker, so a killed worker loses no timer: the sweep
job re-schedules itself before it works. A time rule acts on a ticket at most once per
stretch of real activity: automations do not count as activity (the ticket's
`updated_at` is left as the customer and agents last touched it), and a rule that
already acted since then is skipped. Each action is recorded on the ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.errors import UserError
from kefu.jobs.outbox import enqueue, schedule_once
from kefu.services import Services
from kefu.store.models import AutomationRule, Event, Macro, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.actions import add_agent_message, set_status
from kefu.tickets.macros import apply_macro
from kefu.tickets.status import Priority, Status

SWEEP_JOB = "automation.sweep"
EVENT_JOB = "automation.ticket_created"
SWEEP_EVERY = timedelta(minutes=5)
BATCH = 500
CONDITIONS = frozenset({"status", "priority", "category", "channel", "tag", "idle_hours"})
ACTIONS = frozenset({"set_status", "add_tag", "macro", "note"})
ROBOT = Actor("system")

DEFAULT_RULES: tuple[tuple[str, dict[str, Any], dict[str, Any]], ...] = (
    (
        "pending-48h-reminder",
        {"status": "pending", "idle_hours": 48},
        {"macro": "pending-reminder"},
    ),
    (
        "pending-5d-solve",
        {"status": "pending", "idle_hours": 120},
        {"macro": "pending-auto-solve", "set_status": "solved"},
    ),
    ("solved-7d-close", {"status": "solved", "idle_hours": 168}, {"set_status": "closed"}),
)
DEFAULT_MACROS = (
    (
        "pending-reminder",
        "{customer_name}您好，工单 {ticket_number} 仍在等待您的回复。如问题已解决，可忽略此消息。",
        "Hello {customer_name}, ticket {ticket_number} is still waiting for your reply. If it is "
        "solved, you can ignore this message.",
    ),
    (
        "pending-auto-solve",
        "{customer_name}您好，由于 5 天未收到回复，我们已将工单 {ticket_number} 标记为已解决。"
        "如仍需帮助，直接回复即可重新打开。",
        "Hello {customer_name}, we have not heard back in 5 days, so ticket {ticket_number} is now "
        "marked solved. Just reply if you still need help and it will reopen.",
    ),
)


@dataclass(frozen=True)
class RuleInput:
    name: str
    kind: str
    conditions: dict[str, Any]
    actions: dict[str, Any]


def check_rule(rule: RuleInput) -> None:
    """Raise UserError naming what is wrong; a rule must be able to run as written."""
    if rule.kind not in ("time", "event") or not rule.name.strip():
        raise UserError("automation.bad_rule", code="validation_error", detail="kind/name")
    unknown = (set(rule.conditions) - CONDITIONS) | (set(rule.actions) - ACTIONS)
    if unknown:
        raise UserError("automation.bad_rule", code="validation_error", detail=sorted(unknown)[0])
    if not rule.actions:
        raise UserError("automation.bad_rule", code="validation_error", detail="actions")
    if rule.kind == "time" and not rule.conditions.get("idle_hours"):
        raise UserError("automation.bad_rule", code="validation_error", detail="idle_hours")
    for key, allowed in (("status", Status), ("set_status", Status), ("priority", Priority)):
        value = rule.conditions.get(key, rule.actions.get(key))
        if value is not None and value not in {item.value for item in allowed}:
            raise UserError("automation.bad_rule", code="validation_error", detail=f"{key}={value}")


def matching_tickets(session: Session, rule: AutomationRule, now: datetime) -> list[Ticket]:
    """The tickets `rule` would act on now (also the dry-run)."""
    query = select(Ticket).where(*_conditions(rule, now)).order_by(Ticket.id).limit(BATCH)
    return list(session.scalars(query))


def _matches(session: Session, rule: AutomationRule, ticket: Ticket, now: datetime) -> bool:
    """Whether `rule` would act on this one ticket now."""
    query = select(Ticket.id).where(Ticket.id == ticket.id, *_conditions(rule, now))
    return session.scalar(query) is not None


def _conditions(rule: AutomationRule, now: datetime) -> list[ColumnElement[bool]]:
    given = rule.conditions
    found: list[ColumnElement[bool]] = []
    for key in ("status", "priority", "category", "channel"):
        if given.get(key):
            found.append(getattr(Ticket, key) == given[key])
    if given.get("tag"):
        found.append(cast(Ticket.tags, String).like(f'%"{given["tag"]}"%'))
    if given.get("idle_hours"):
        found.append(Ticket.updated_at <= now - timedelta(hours=float(given["idle_hours"])))
        already = select(Event.ticket_id).where(
            Event.kind == "automation.applied",
            cast(Event.data, String).like(f'%"rule": {rule.id},%'),
            Event.created_at >= Ticket.updated_at,
            Event.ticket_id == Ticket.id,
        )
        found.append(~already.exists())
    return found


def apply_rule(session: Session, rule: AutomationRule, ticket: Ticket) -> None:
    """Do the rule's actions on the ticket, recorded on it; activity time is kept."""
    last_activity = ticket.updated_at
    actions = rule.actions
    record_event(session, "automation.applied", ROBOT, ticket.id, rule=rule.id, name=rule.name)
    if actions.get("macro"):
        macro = session.scalars(select(Macro).where(Macro.name == actions["macro"])).first()
        if macro is not None:
            apply_macro(session, macro, ticket, ROBOT)
    if actions.get("note"):
        add_agent_message(session, ticket, ROBOT, str(actions["note"]), internal=True)
    if actions.get("add_tag"):
        ticket.tags = sorted({*ticket.tags, str(actions["add_tag"])})
    if actions.get("set_status") and actions["set_status"] != ticket.status:
        set_status(session, ticket, str(actions["set_status"]), ROBOT)
    ticket.updated_at = last_activity  # automations are not activity


def sweep_job(services: Services, payload: dict[str, object]) -> None:
    """Job: schedule the next sweep first (a crash loses no timer), then run time rules."""
    with services.db.write() as session:
        schedule_once(session, SWEEP_JOB, utcnow() + SWEEP_EVERY)
    run_time_rules(services, utcnow())


def run_time_rules(services: Services, now: datetime) -> int:
    """Apply every active time rule to its matching tickets; one transaction per ticket."""
    applied = 0
    with services.db.read() as session:
        rules = list(
            session.scalars(
                select(AutomationRule).where(
                    AutomationRule.kind == "time", AutomationRule.is_active
                )
            )
        )
    for rule in rules:
        with services.db.read() as session:
            ticket_ids = [t.id for t in matching_tickets(session, rule, now)]
        for ticket_id in ticket_ids:
            with services.db.write() as session:
                ticket = session.get(Ticket, ticket_id)
                current = session.get(AutomationRule, rule.id)
                # Re-check inside the write: another worker may have acted meanwhile.
                if ticket is None or current is None or not _matches(session, current, ticket, now):
                    continue
                apply_rule(session, current, ticket)
                applied += 1
    return applied


def ticket_created_job(services: Services, payload: dict[str, object]) -> None:
    """Job: run the active event rules whose conditions the new ticket meets."""
    ticket_id = int(str(payload["ticket_id"]))
    with services.db.write() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            return
        rules = session.scalars(
            select(AutomationRule)
            .where(AutomationRule.kind == "event", AutomationRule.is_active)
            .order_by(AutomationRule.id)
        )
        for rule in rules:
            matched = _matches(session, rule, ticket, utcnow())
            done = session.scalar(
                select(Event.id).where(
                    Event.ticket_id == ticket_id,
                    Event.kind == "automation.applied",
                    cast(Event.data, String).like(f'%"rule": {rule.id},%'),
                )
            )
            if matched and done is None:
                apply_rule(session, rule, ticket)


def on_ticket_created(session: Session, ticket_id: int) -> None:
    """Called in the creating transaction: queue the event rules, if any are active."""
    active = session.scalar(
        select(func.count(AutomationRule.id)).where(
            AutomationRule.kind == "event", AutomationRule.is_active
        )
    )
    if active:
        enqueue(session, EVENT_JOB, {"ticket_id": ticket_id})


def ensure_default_automations(services: Services) -> None:
    """The issue's time rules and their macros, once; and a scheduled sweep."""
    with services.db.write() as session:
        existing_macros = set(session.scalars(select(Macro.name)))
        for name, zh, en in DEFAULT_MACROS:
            if name not in existing_macros:
                session.add(Macro(name=name, body_zh=zh, body_en=en, actions={}))
        existing_rules = set(session.scalars(select(AutomationRule.name)))
        for name, conditions, actions in DEFAULT_RULES:
            if name not in existing_rules:
                session.add(
                    AutomationRule(name=name, kind="time", conditions=conditions, actions=actions)
                )
        schedule_once(session, SWEEP_JOB, utcnow())
