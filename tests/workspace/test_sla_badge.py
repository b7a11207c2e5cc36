from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kefu.store.models import Ticket
from kefu.web.pages.sla_badge import sla_due

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def ticket(**due: object) -> Ticket:
    return Ticket(sla_paused_at=None, **due)


def test_the_earliest_running_clock_is_shown_with_its_state() -> None:
    due = sla_due(
        ticket(
            first_reply_due_at=NOW + timedelta(minutes=90),
            resolution_due_at=NOW + timedelta(days=2),
        ),
        NOW,
    )
    assert due is not None
    assert (due.kind, due.state, due.label) == ("first_reply", "soon", "1h30m")


def test_a_breached_clock_counts_up_negative() -> None:
    due = sla_due(ticket(next_reply_due_at=NOW - timedelta(minutes=5)), NOW)
    assert due is not None and (due.state, due.label) == ("breached", "-5m")


def test_no_clock_or_a_paused_ticket_shows_nothing() -> None:
    assert sla_due(ticket(), NOW) is None
    paused = Ticket(sla_paused_at=NOW, first_reply_due_at=NOW)
    assert sla_due(paused, NOW) is None
