"""Workflow fixtures: default SLA policies, support-team agents, and helpers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from kefu.auth.agents import create_agent
from kefu.ingest.pipeline import ingest
from kefu.jobs.worker import Worker
from kefu.live.hub import LiveEvent
from kefu.services import Services
from kefu.store.models import Agent, Event, Message, OutboxJob, Ticket
from kefu.store.models.base import utcnow
from kefu.work.policies import ensure_default_sla_policies
from tests.support import inbound


@pytest.fixture
def sla_policies(services: Services) -> None:
    ensure_default_sla_policies(services)


def make_agent(services: Services, name: str, role: str = "agent", team: str = "support") -> int:
    with services.db.write() as session:
        agent = create_agent(
            session, f"{name.lower()}@demo-exchange.example", name, f"{name}-password-1", role, team
        )
        return agent.id


def open_ticket(services: Services, text: str = "充值没到账", **extra: Any) -> int:
    extra.setdefault("external_id", f"work-{utcnow().timestamp()}-{text}")
    return ingest(services, inbound(text, **extra)).ticket_id


def drain(worker: Worker) -> int:
    """Run jobs until none is due (a job may enqueue more)."""
    total = 0
    while ran := worker.run_once():
        total += ran
    return total


def get_ticket(services: Services, ticket_id: int) -> Ticket:
    with services.db.read() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket


def events(services: Services, ticket_id: int, kind: str) -> list[dict[str, Any]]:
    with services.db.read() as session:
        rows = session.scalars(
            select(Event.data).where(Event.ticket_id == ticket_id, Event.kind == kind)
        )
        return [dict(row) for row in rows]


def pending_jobs(services: Services, kind: str) -> list[OutboxJob]:
    with services.db.read() as session:
        return list(
            session.scalars(
                select(OutboxJob)
                .where(OutboxJob.kind == kind, OutboxJob.status == "pending")
                .order_by(OutboxJob.id)
            )
        )


def make_due_now(services: Services, job_id: int) -> None:
    """What time passing does to a timer job, without sleeping."""
    with services.db.write() as session:
        session.execute(
            update(OutboxJob)
            .where(OutboxJob.id == job_id)
            .values(run_after=utcnow() - timedelta(seconds=1))
        )


def backdate(services: Services, ticket_id: int, by: timedelta) -> None:
    """Move a ticket and its messages into the past (events are append-only: none yet)."""
    with services.db.write() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        ticket.created_at -= by
        for message in session.scalars(select(Message).where(Message.ticket_id == ticket_id)):
            message.created_at -= by


def with_live_events(services: Services, action: Callable[[], object]) -> list[LiveEvent]:
    """Run `action` in a thread while subscribed to the agents' topic; return what arrived."""

    async def collect() -> list[LiveEvent]:
        async with services.live.subscribe("agents") as queue:
            await asyncio.to_thread(action)
            await asyncio.sleep(0)  # let call_soon_threadsafe deliveries land
            received = []
            while not queue.empty():
                received.append(queue.get_nowait())
            return received

    return asyncio.run(collect())


def agent_named(services: Services, name: str) -> Agent:
    with services.db.read() as session:
        return session.scalars(select(Agent).where(Agent.name == name)).one()


def as_utc(value: datetime | None) -> datetime:
    assert value is not None
    return value
