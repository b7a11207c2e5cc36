"""Before any SLA policy exists: no SLA jobs, and the promise comes from the built-in defaults."""

from __future__ import annotations

from sqlalchemy import select

from kefu.services import Services
from kefu.store.models import OutboxJob
from kefu.work.policies import expected_first_reply
from tests.work.conftest import get_ticket, open_ticket


def test_without_policies_ingest_enqueues_no_sla_work(services: Services) -> None:
    open_ticket(services)
    with services.db.read() as session:
        kinds = session.scalars(select(OutboxJob.kind)).all()
    assert "sla.recompute" not in kinds and "assignment.run" not in kinds


def test_the_promise_falls_back_to_the_built_in_defaults(services: Services) -> None:
    ticket = get_ticket(services, open_ticket(services, "urgent!!", priority_floor="urgent"))
    ticket.language = "en"
    assert expected_first_reply(services, ticket) == (2, "24/7")
    ticket.priority = "normal"
    assert expected_first_reply(services, ticket) == (
        24,
        "Mon–Fri 09:00–18:00 UTC+8 (except public holidays)",
    )
