"""The workflow's outbox job kinds and their handlers (registered in kefu.jobs.handlers)."""

from __future__ import annotations

from kefu.jobs.worker import Handler
from kefu.work.assignment import run_assignment_job
from kefu.work.presence import away_check_job
from kefu.work.sla import recompute_sla_job, sla_timer_job

WORK_HANDLERS: dict[str, Handler] = {
    "sla.recompute": recompute_sla_job,
    "sla.timer": sla_timer_job,
    "assignment.run": run_assignment_job,
    "assignment.away_check": away_check_job,
}
