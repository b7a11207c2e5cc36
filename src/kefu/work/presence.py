"""Agent presence (online / away / offline), capacity and skills; reassigning the away.

`set_presence` is what an agent page calls (also as a heartbeat: it refreshes
`last_seen_at`). Coming online runs the team's assignment; going away or offline,
in a team with `away_reassign_minutes`, schedules `assignment.away_check` that far
ahead. When it runs and the agent is still away since the same instant, their waiting
tickets go back to the queue (the history says why) and are assigned again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.jobs.outbox import enqueue
from kefu.services import Services
from kefu.store.models import Agent, AgentAvailability, TeamAssignment, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.actions import FieldChanges, change_fields
from kefu.work.assignment import assign_waiting_tickets
from kefu.work.triggers import AUTOMATIC_MODES, WAITING_FOR_AGENT, enqueue_once

PRESENCES = ("online", "away", "offline")


def availability_of(session: Session, agent_id: int) -> AgentAvailability:
    row = session.get(AgentAvailability, agent_id)
    if row is None:
        row = AgentAvailability(agent_id=agent_id, presence="offline", presence_since=utcnow())
        session.add(row)
    return row


def set_capacity(
    session: Session,
    agent_id: int,
    *,
    max_chats: int | None = None,
    max_tickets: int | None = None,
    categories: list[str] | None = None,
) -> AgentAvailability:
    row = availability_of(session, agent_id)
    if max_chats is not None:
        row.max_chats = max(0, max_chats)
    if max_tickets is not None:
        row.max_tickets = max(0, max_tickets)
    if categories is not None:
        row.categories = sorted(set(categories))
    return row


def set_presence(session: Session, agent_id: int, presence: str, now: datetime) -> None:
    if presence not in PRESENCES:
        raise ValueError(f"unknown presence {presence!r}; choose from {PRESENCES}")
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise ValueError(f"no agent {agent_id}")
    row = availability_of(session, agent_id)
    row.last_seen_at = now
    if row.presence == presence:
        return
    record_event(
        session, "agent.presence_changed", Actor("agent", agent_id), old=row.presence, new=presence
    )
    row.presence, row.presence_since = presence, now
    config = session.get(TeamAssignment, agent.team_id) if agent.team_id else None
    if config is None or config.mode not in AUTOMATIC_MODES:
        return
    if presence == "online":
        enqueue_once(session, "assignment.run", {"team_id": config.team_id})
    elif config.away_reassign_minutes:
        payload = {"agent_id": agent_id, "since": now.isoformat()}
        run_after = now + timedelta(minutes=config.away_reassign_minutes)
        enqueue(session, "assignment.away_check", payload, run_after=run_after)


def away_check_job(services: Services, payload: dict[str, object]) -> None:
    """Job `assignment.away_check`: take tickets back from an agent who stayed away."""
    with services.db.write() as session:
        reassign_if_still_away(session, int(str(payload["agent_id"])), str(payload["since"]))


def reassign_if_still_away(session: Session, agent_id: int, since: str) -> int:
    """Unassign the agent's waiting tickets if still away since `since`; return how many."""
    row = session.get(AgentAvailability, agent_id)
    agent = session.get(Agent, agent_id)
    if row is None or agent is None or agent.team_id is None:
        return 0
    if row.presence == "online" or row.presence_since.isoformat() != since:
        return 0  # back meanwhile, or a newer away spell has its own check
    config = session.get(TeamAssignment, agent.team_id)
    if config is None or config.mode not in AUTOMATIC_MODES:
        return 0
    tickets = session.scalars(
        select(Ticket)
        .where(Ticket.assignee_id == agent_id, Ticket.status.in_(WAITING_FOR_AGENT))
        .order_by(Ticket.created_at, Ticket.id)
    ).all()
    for ticket in tickets:
        record_event(
            session,
            "ticket.unassigned",
            Actor.system(),
            ticket.id,
            agent_id=agent_id,
            agent_name=agent.name,
            reason="agent_away",
            presence=row.presence,
            minutes=config.away_reassign_minutes,
        )
        change_fields(session, ticket, FieldChanges(unassign=True), Actor.system())
    session.flush()
    assign_waiting_tickets(session, agent.team_id, utcnow())
    return len(tickets)
