"""Assignment: which agent gets a team's waiting tickets, and why.

Per team (`TeamAssignment.mode`): `manual` (nobody is chosen automatically),
`round_robin` (the next agent after the last one chosen, by id), or `least_loaded`
(the lowest share of capacity in use). Either way an agent must be online (seen within
`PRESENCE_STALE_AFTER`), have room (chats and other tickets are counted separately
against `max_chats` / `max_tickets`), and have the skills (the ticket's language among
the agent's languages; its category among the agent's categories, if any are set).
The oldest waiting ticket is served first. Each assignment records a `ticket.assigned`
event whose data says why; `describe_assignment` turns it into words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.i18n import t
from kefu.services import Services
from kefu.store.models import Agent, AgentAvailability, TeamAssignment, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.actions import FieldChanges, change_fields
from kefu.work.triggers import AUTOMATIC_MODES, WAITING_FOR_AGENT

MODES = ("manual", "round_robin", "least_loaded")
# Tickets that take up an agent's capacity (pending ones wait on the customer).
LOAD_STATUSES = ("new", "open", "on_hold")
# An agent page heartbeats presence; an "online" agent silent for longer is gone.
PRESENCE_STALE_AFTER = timedelta(minutes=10)


@dataclass
class Candidate:
    agent: Agent
    availability: AgentAvailability
    chats: int
    tickets: int

    def load(self, kind: str) -> tuple[int, int]:
        """(in use, capacity) for "chat" or "ticket"."""
        if kind == "chat":
            return self.chats, self.availability.max_chats
        return self.tickets, self.availability.max_tickets


@dataclass(frozen=True)
class Decision:
    ticket_id: int
    agent_id: int
    mode: str
    load: int
    capacity: int


def run_assignment_job(services: Services, payload: dict[str, object]) -> None:
    """Job `assignment.run`: assign a team's waiting tickets, oldest first."""
    with services.db.write() as session:
        assign_waiting_tickets(session, int(str(payload["team_id"])), utcnow(), services)


def assign_waiting_tickets(
    session: Session, team_id: int, now: datetime, services: Services | None = None
) -> list[Decision]:
    # The config row is the team's lock on PostgreSQL: two workers take turns.
    lock = services is not None and not services.db.is_sqlite
    config = session.get(TeamAssignment, team_id, with_for_update=lock)
    if config is None or config.mode not in AUTOMATIC_MODES:
        return []
    candidates = online_candidates(session, team_id, now)
    decisions = []
    for ticket in _waiting_tickets(session, team_id):
        eligible = [c for c in candidates if _fits(c, ticket)]
        if not eligible:
            continue
        chosen = _choose(config, eligible, _kind(ticket))
        decisions.append(_assign(session, config, ticket, chosen, now))
    return decisions


def online_candidates(session: Session, team_id: int, now: datetime) -> list[Candidate]:
    rows = session.execute(
        select(Agent, AgentAvailability)
        .join(AgentAvailability, AgentAvailability.agent_id == Agent.id)
        .where(Agent.team_id == team_id, Agent.is_active, AgentAvailability.presence == "online")
        .order_by(Agent.id)
    ).all()
    fresh = [
        (agent, availability)
        for agent, availability in rows
        if availability.last_seen_at is not None
        and availability.last_seen_at >= now - PRESENCE_STALE_AFTER
    ]
    loads = _loads(session, [agent.id for agent, _ in fresh])
    return [
        Candidate(agent, availability, *loads.get(agent.id, (0, 0)))
        for agent, availability in fresh
    ]


def _loads(session: Session, agent_ids: list[int]) -> dict[int, tuple[int, int]]:
    """agent id → (open chats, other open tickets)."""
    if not agent_ids:
        return {}
    rows = session.execute(
        select(Ticket.assignee_id, Ticket.channel, func.count())
        .where(Ticket.assignee_id.in_(agent_ids), Ticket.status.in_(LOAD_STATUSES))
        .group_by(Ticket.assignee_id, Ticket.channel)
    ).all()
    loads: dict[int, tuple[int, int]] = {}
    for agent_id, channel, count in rows:
        assert agent_id is not None  # filtered by the IN clause
        chats, tickets = loads.get(agent_id, (0, 0))
        is_chat = channel == "chat"
        loads[agent_id] = (chats + count, tickets) if is_chat else (chats, tickets + count)
    return loads


def _waiting_tickets(session: Session, team_id: int) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.team_id == team_id,
                Ticket.assignee_id.is_(None),
                Ticket.status.in_(WAITING_FOR_AGENT),
            )
            .order_by(Ticket.created_at, Ticket.id)
        )
    )


def _kind(ticket: Ticket) -> str:
    return "chat" if ticket.channel == "chat" else "ticket"


def _fits(candidate: Candidate, ticket: Ticket) -> bool:
    in_use, capacity = candidate.load(_kind(ticket))
    languages = candidate.agent.languages
    categories = candidate.availability.categories
    return (
        in_use < capacity
        and (not languages or ticket.language in languages)
        and (not categories or ticket.category is None or ticket.category in categories)
    )


def _choose(config: TeamAssignment, eligible: list[Candidate], kind: str) -> Candidate:
    if config.mode == "round_robin":
        after = config.last_agent_id or 0
        later = [c for c in eligible if c.agent.id > after]
        return (later or eligible)[0]
    return min(eligible, key=lambda c: _least_loaded_key(c, kind))


def _least_loaded_key(candidate: Candidate, kind: str) -> tuple[float, int, datetime, int]:
    in_use, capacity = candidate.load(kind)
    last = candidate.availability.last_assigned_at or datetime.min.replace(tzinfo=utcnow().tzinfo)
    # Share of capacity first; then fewer tickets; then whoever waited longest for one.
    return in_use / capacity, in_use, last, candidate.agent.id


def _assign(
    session: Session, config: TeamAssignment, ticket: Ticket, chosen: Candidate, now: datetime
) -> Decision:
    kind = _kind(ticket)
    in_use, capacity = chosen.load(kind)
    record_event(
        session,
        "ticket.assigned",
        Actor.system(),
        ticket.id,
        agent_id=chosen.agent.id,
        agent_name=chosen.agent.name,
        mode=config.mode,
        queue=kind,
        load=in_use,
        capacity=capacity,
        language=ticket.language,
        category=ticket.category,
    )
    change_fields(session, ticket, FieldChanges(assignee_id=chosen.agent.id), Actor.system())
    if kind == "chat":
        chosen.chats += 1
    else:
        chosen.tickets += 1
    chosen.availability.last_assigned_at = now
    config.last_agent_id = chosen.agent.id
    config.updated_at = now
    return Decision(ticket.id, chosen.agent.id, config.mode, in_use, capacity)


def describe_assignment(data: dict[str, Any], lang: str) -> str:
    """A `ticket.assigned` event's reason in words."""
    return t(
        f"work.assigned.{data['mode']}",
        lang,
        agent=data["agent_name"],
        load=data["load"],
        capacity=data["capacity"],
    )


def configure_team(
    session: Session, team_id: int, mode: str, away_reassign_minutes: int | None = None
) -> TeamAssignment:
    if mode not in MODES:
        raise ValueError(f"unknown assignment mode {mode!r}; choose from {MODES}")
    config = session.get(TeamAssignment, team_id) or TeamAssignment(team_id=team_id)
    config.mode = mode
    config.away_reassign_minutes = away_reassign_minutes
    config.updated_at = utcnow()
    session.add(config)
    return config
