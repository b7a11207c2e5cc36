"""Where the rest of kefu tells the workflow that a ticket changed.

Called inside the caller's transaction (ingest's persist step, ticket actions); it only
enqueues outbox jobs, so the work happens after commit and survives a crash. Import-light
on purpose: `kefu.tickets.actions` imports this module.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from kefu.jobs.outbox import enqueue
from kefu.store.models import SlaPolicy, TeamAssignment, Ticket
from kefu.store.prebuilt import Prebuilt

# Tickets in these statuses wait for an agent; in the others they free capacity.
WAITING_FOR_AGENT = frozenset({"new", "open"})
AUTOMATIC_MODES = frozenset({"round_robin", "least_loaded"})
# Enqueued by intake for each new ticket; its handler (kefu.work.jobs) calls
# `ticket_changed` and the event automations in the worker.
TICKET_CREATED_JOB = "workflow.ticket_created"

# Plain statements, not ORM queries: a query through the session would first flush
# whatever the caller has pending (intake writes a whole batch in one session).
ANY_SLA_POLICY = Prebuilt(select(SlaPolicy.id).limit(1))
TEAM_MODE = Prebuilt(
    select(TeamAssignment.mode).where(TeamAssignment.team_id == bindparam("team_id"))
)


def ticket_changed(session: Session, ticket: Ticket) -> None:
    """Recompute SLA clocks (if any policy exists) and run assignment (if the team is
    assigned automatically and the ticket waits for an agent or freed a place)."""
    if ANY_SLA_POLICY.first(session.connection(), {}) is not None:
        enqueue_once(session, "sla.recompute", {"ticket_id": ticket.id})
    needs_agent = ticket.assignee_id is None or ticket.status not in WAITING_FOR_AGENT
    team_id = ticket.team_id
    if needs_agent and team_id is not None and team_assigns_automatically(session, team_id):
        enqueue_once(session, "assignment.run", {"team_id": team_id})


def team_assigns_automatically(session: Session, team_id: int) -> bool:
    mode = TEAM_MODE.scalar(session.connection(), {"team_id": team_id})
    return mode in AUTOMATIC_MODES


def enqueue_once(session: Session, kind: str, payload: dict[str, Any]) -> None:
    """Enqueue unless this session already did (a reply that also opens the ticket)."""
    key = (kind, json.dumps(payload, sort_keys=True))
    done: set[tuple[str, str]] = session.info.setdefault("kefu.work.enqueued", set())
    if key not in done:
        done.add(key)
        enqueue(session, kind, payload)
