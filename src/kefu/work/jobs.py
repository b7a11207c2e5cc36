"""The workflow's outbox job kinds and their handlers (registered in kefu.jobs.handlers)."""

from __future__ import annotations

from kefu.jobs.worker import Handler
from kefu.services import Services
from kefu.store.models import Ticket
from kefu.work.assignment import run_assignment_job
from kefu.work.automations import on_ticket_created
from kefu.work.presence import away_check_job
from kefu.work.sla import recompute_sla_job, sla_timer_job
from kefu.work.triggers import TICKET_CREATED_JOB, ticket_changed


def ticket_created_job(services: Services, payload: dict[str, object]) -> None:
    """Job: a new ticket's SLA clocks, assignment and event rules (each its own job)."""
    with services.db.write() as session:
        ticket = session.get(Ticket, int(str(payload["ticket_id"])))
        if ticket is None:
            return
        ticket_changed(session, ticket)
        on_ticket_created(session, ticket.id)


WORK_HANDLERS: dict[str, Handler] = {
    TICKET_CREATED_JOB: ticket_created_job,
    "sla.recompute": recompute_sla_job,
    "sla.timer": sla_timer_job,
    "assignment.run": run_assignment_job,
    "assignment.away_check": away_check_job,
}
