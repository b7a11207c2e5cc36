"""The inbox's order — most urgent first, then the longest waiting — read from the queue
index (tickets.open_rank) for open tickets and sorted for any other status, on SQLite and
PostgreSQL."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from kefu.auth.agents import create_agent
from kefu.services import Services
from kefu.store.models import Customer, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.queries import AgentFilter, agent_tickets, view_filter
from kefu.tickets.status import OPEN_STATUSES, Priority, Status

RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
MARKS = ("账户冻结", "充值到账")


def _tickets(services: Services) -> int:
    """Tickets in every status and priority, shuffled waiting times, some assigned."""
    shuffle = random.Random(7)
    now = utcnow()
    with services.db.write() as session:
        agent = create_agent(session, "order@kefu.test", "Order", "order-password-1", "agent", None)
        customer = Customer(uid="order-1", email="order@example.com")
        session.add(customer)
        session.flush()
        combos = list(itertools.product(Status, Priority, range(3)))
        shuffle.shuffle(combos)
        for n, (status, priority, copy) in enumerate(combos):
            session.add(
                Ticket(
                    customer_id=customer.id,
                    subject=f"{status.value} {priority.value} {copy} {MARKS[n % 2]}",
                    status=status.value,
                    priority=priority.value,
                    channel="web",
                    assignee_id=agent.id if n % 3 == 0 else None,
                    updated_at=now - timedelta(minutes=shuffle.randrange(10_000)),
                )
            )
        return agent.id


def _expected(services: Services, keep: Callable[[Ticket], bool]) -> list[int]:
    with services.db.read() as session:
        every = list(session.scalars(select(Ticket)))
    chosen = [t for t in every if keep(t)]
    chosen.sort(key=lambda t: (RANK[t.priority], t.updated_at, t.id))
    return [t.id for t in chosen]


def _listed(services: Services, where: AgentFilter) -> tuple[list[int], int]:
    pages: list[int] = []
    with services.db.read() as session:
        for offset in itertools.count(0, 7):
            page, total = agent_tickets(session, replace(where, limit=7, offset=offset))
            if not page:
                return pages, total
            pages += [t.id for t in page]
    raise AssertionError("unreachable")


def test_open_rank_is_the_priority_rank_exactly_while_a_ticket_is_open(services: Services) -> None:
    _tickets(services)
    with services.db.write() as session:
        tickets = list(session.scalars(select(Ticket)))
        for ticket in tickets:
            expected = RANK[ticket.priority] if ticket.status in OPEN_STATUSES else None
            assert ticket.open_rank == expected, (ticket.status, ticket.priority)
        # It follows every change of status or priority.
        first = tickets[0]
        first.status, first.priority = "open", "low"
        session.flush()
        session.refresh(first)
        assert first.open_rank == 3
        first.status = "solved"
        session.flush()
        session.refresh(first)
        assert first.open_rank is None


def test_every_view_lists_in_the_inbox_order_page_after_page(services: Services) -> None:
    agent_id = _tickets(services)
    open_statuses = {s.value for s in OPEN_STATUSES}
    cases: dict[str, Callable[[Ticket], bool]] = {
        "all": lambda t: t.status in open_statuses,
        "mine": lambda t: t.status in open_statuses and t.assignee_id == agent_id,
        "unassigned": lambda t: t.status in open_statuses and t.assignee_id is None,
        "urgent": lambda t: t.status in open_statuses and t.priority in ("urgent", "high"),
        "waiting": lambda t: t.status == "pending",
    }
    marked = set(_expected(services, lambda t: MARKS[0] in t.subject))
    for view, keep in cases.items():
        listed, total = _listed(services, view_filter(view, agent_id))
        expected = _expected(services, keep)
        assert listed == expected, view
        assert total == len(expected), view
        # The same view searched: only the matching tickets, in the same order.
        listed, total = _listed(services, view_filter(view, agent_id, text="冻结"))
        expected = [i for i in expected if i in marked]
        assert listed == expected, view
        assert total == len(expected), view
    high, total = _listed(services, view_filter("all", agent_id, priority="high"))
    assert high == _expected(services, lambda t: t.status in open_statuses and t.priority == "high")
    assert total == len(high)
    assert _listed(services, view_filter("urgent", agent_id, priority="low")) == ([], 0)
    solved, _ = _listed(services, AgentFilter(status="solved"))
    assert solved == _expected(services, lambda t: t.status == "solved")
