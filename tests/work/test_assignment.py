"""Assignment on a real database: modes, presence, capacity, skills, oldest first, away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kefu.audit import Actor
from kefu.ingest.inbound import Channel
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import Agent, AgentAvailability, OutboxJob, Team, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.actions import set_status
from kefu.work.assignment import PRESENCE_STALE_AFTER, configure_team, describe_assignment
from kefu.work.presence import set_capacity, set_presence
from tests.work.conftest import drain, events, get_ticket, make_agent, make_due_now, open_ticket

DEPOSIT = {"category": "deposit_withdrawal"}  # routed to the support team


def configure(services: Services, mode: str, away_minutes: int | None = None) -> None:
    with services.db.write() as session:
        team_id = session.scalar(select(Team.id).where(Team.slug == "support"))
        assert team_id is not None
        configure_team(session, team_id, mode, away_minutes)


def online(services: Services, agent_id: int, **capacity: object) -> None:
    with services.db.write() as session:
        set_capacity(session, agent_id, **capacity)  # type: ignore[arg-type]
        set_presence(session, agent_id, "online", utcnow())


def presence(services: Services, agent_id: int, value: str) -> None:
    with services.db.write() as session:
        set_presence(session, agent_id, value, utcnow())


def assignees(services: Services, ticket_ids: list[int]) -> list[int | None]:
    return [get_ticket(services, ticket_id).assignee_id for ticket_id in ticket_ids]


@pytest.fixture
def alice(services: Services) -> int:
    return make_agent(services, "Alice")


@pytest.fixture
def carol(services: Services) -> int:
    return make_agent(services, "Carol")


def test_round_robin_takes_turns_and_the_history_says_why(
    services: Services, worker: Worker, alice: int, carol: int
) -> None:
    configure(services, "round_robin")
    online(services, alice)
    online(services, carol)
    tickets = [open_ticket(services, f"充值问题 {n}", **DEPOSIT) for n in range(4)]
    drain(worker)

    assert assignees(services, tickets) == [alice, carol, alice, carol]
    [why] = events(services, tickets[1], "ticket.assigned")
    assert (why["agent_id"], why["mode"], why["load"], why["capacity"]) == (
        carol,
        "round_robin",
        0,
        20,
    )
    assert describe_assignment(why, "en") == (
        "Assigned to Carol by round robin (online, capacity 0/20, skills match)."
    )
    assert "按轮流分配给 Carol" in describe_assignment(why, "zh-Hans")


def test_least_loaded_fills_the_emptiest_agent_first(
    services: Services, worker: Worker, alice: int, carol: int
) -> None:
    configure(services, "least_loaded")
    online(services, alice)
    first = [open_ticket(services, f"旧问题 {n}", **DEPOSIT) for n in range(2)]
    drain(worker)
    assert assignees(services, first) == [alice, alice]

    online(services, carol)
    later = [open_ticket(services, f"新问题 {n}", **DEPOSIT) for n in range(3)]
    drain(worker)
    assert assignees(services, later) == [carol, carol, alice]
    assert events(services, later[0], "ticket.assigned")[0]["mode"] == "least_loaded"


def test_the_oldest_waiting_ticket_is_assigned_first_when_room_appears(
    services: Services, worker: Worker, alice: int
) -> None:
    configure(services, "least_loaded")
    tickets = [open_ticket(services, f"排队 {n}", **DEPOSIT) for n in range(3)]
    drain(worker)
    assert assignees(services, tickets) == [None, None, None]  # nobody online

    online(services, alice, max_tickets=1)
    drain(worker)
    assert assignees(services, tickets) == [alice, None, None]

    with services.db.write() as session:
        ticket = session.get(Ticket, tickets[0])
        assert ticket is not None
        set_status(session, ticket, "solved", Actor("agent", alice))  # frees her one place
    drain(worker)
    assert assignees(services, tickets) == [alice, alice, None]


def test_chats_and_tickets_have_separate_capacity(
    services: Services, worker: Worker, alice: int
) -> None:
    configure(services, "round_robin")
    online(services, alice, max_chats=1, max_tickets=0)
    chat = open_ticket(services, "在线咨询", channel=Channel.CHAT, **DEPOSIT)
    second_chat = open_ticket(services, "还在吗", channel=Channel.CHAT, uid="20000009", **DEPOSIT)
    email = open_ticket(services, "邮件工单", channel=Channel.EMAIL, **DEPOSIT)
    drain(worker)
    assert assignees(services, [chat, second_chat, email]) == [alice, None, None]
    assert events(services, chat, "ticket.assigned")[0]["queue"] == "chat"


def test_skills_languages_and_categories_decide_who_may_take_a_ticket(
    services: Services, worker: Worker, alice: int, carol: int
) -> None:
    configure(services, "round_robin")
    with services.db.write() as session:
        english_only = session.get(Agent, alice)
        assert english_only is not None
        english_only.languages = ["en"]
    online(services, alice)
    online(services, carol, categories=["trading"])
    chinese_deposit = open_ticket(services, "充值没到账", **DEPOSIT)
    chinese_trading = open_ticket(services, "订单没成交", category="trading")
    drain(worker)
    # Alice reads no Chinese; Carol takes only trading.
    assert assignees(services, [chinese_deposit, chinese_trading]) == [None, carol]


def test_away_offline_and_silent_agents_get_nothing(
    services: Services, worker: Worker, alice: int, carol: int
) -> None:
    configure(services, "round_robin")
    online(services, alice)
    online(services, carol)
    presence(services, alice, "away")
    with services.db.write() as session:
        silent = session.get(AgentAvailability, carol)
        assert silent is not None
        silent.last_seen_at = utcnow() - PRESENCE_STALE_AFTER - timedelta(seconds=1)
    ticket = open_ticket(services, "充值没到账", **DEPOSIT)
    drain(worker)
    assert get_ticket(services, ticket).assignee_id is None


def test_manual_teams_enqueue_no_assignment(services: Services, alice: int) -> None:
    configure(services, "manual")
    online(services, alice)
    open_ticket(services, "充值没到账", **DEPOSIT)
    with services.db.read() as session:
        kinds = session.scalars(select(OutboxJob.kind)).all()
    assert "assignment.run" not in kinds
    with pytest.raises(ValueError, match="unknown assignment mode"), services.db.write() as s:
        configure_team(s, 1, "lottery")


def test_an_agent_away_too_long_loses_waiting_tickets_to_a_colleague(
    services: Services, worker: Worker, alice: int, carol: int
) -> None:
    configure(services, "round_robin", away_minutes=15)
    online(services, alice)
    ticket = open_ticket(services, "充值没到账", **DEPOSIT)
    drain(worker)
    assert get_ticket(services, ticket).assignee_id == alice

    presence(services, alice, "away")
    online(services, carol)
    drain(worker)
    [check] = [j for j in _pending(services) if j.kind == "assignment.away_check"]
    assert check.run_after > utcnow() + timedelta(minutes=14)
    make_due_now(services, check.id)
    drain(worker)

    assert get_ticket(services, ticket).assignee_id == carol
    [why] = events(services, ticket, "ticket.unassigned")
    assert (why["agent_id"], why["reason"], why["minutes"]) == (alice, "agent_away", 15)
    assert [e["agent_id"] for e in events(services, ticket, "ticket.assigned")] == [alice, carol]


def test_an_agent_back_before_the_check_keeps_their_tickets(
    services: Services, worker: Worker, alice: int, carol: int
) -> None:
    configure(services, "round_robin", away_minutes=15)
    online(services, alice)
    ticket = open_ticket(services, "充值没到账", **DEPOSIT)
    drain(worker)
    presence(services, alice, "away")
    presence(services, alice, "online")
    online(services, carol)
    for job in _pending(services):
        make_due_now(services, job.id)
    drain(worker)
    assert get_ticket(services, ticket).assignee_id == alice
    assert events(services, ticket, "ticket.unassigned") == []


def _pending(services: Services) -> list[OutboxJob]:
    with services.db.read() as session:
        return list(session.scalars(select(OutboxJob).where(OutboxJob.status == "pending")))
