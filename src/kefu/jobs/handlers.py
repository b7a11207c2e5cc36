"""Job kind → the function that runs it. Handlers are idempotent where it matters."""

from __future__ import annotations

from kefu.channels.chat.transcript import send_transcript
from kefu.channels.email.notify import send_agent_reply, send_magic_link, send_ticket_confirmation
from kefu.customers.warnings import post_secret_warning
from kefu.insider.access import ALERT_EMAIL_JOB
from kefu.insider.alert_email import send_alert_email
from kefu.jobs.worker import Handler
from kefu.kb.signals import PRUNE_JOB, prune_job
from kefu.trust.playbooks import JOB_KIND as ACCOUNT_ACTION_JOB
from kefu.trust.playbooks import run_account_action_job
from kefu.work.automations import EVENT_JOB, SWEEP_JOB, sweep_job, ticket_created_job
from kefu.work.csat import request_survey
from kefu.work.jobs import WORK_HANDLERS

HANDLERS: dict[str, Handler] = {
    "email.ticket_confirmation": send_ticket_confirmation,
    "email.magic_link": send_magic_link,
    "customer.agent_reply": send_agent_reply,
    "customer.secret_warning": post_secret_warning,
    "chat.transcript": send_transcript,  # issue #5
    ACCOUNT_ACTION_JOB: run_account_action_job,  # freeze / unfreeze retries (issue #9)
    "csat.request": request_survey,  # satisfaction survey once solved (issue #8)
    SWEEP_JOB: sweep_job,  # time rules, every 5 minutes (issue #8)
    EVENT_JOB: ticket_created_job,  # event rules on new tickets (issue #8)
    ALERT_EMAIL_JOB: send_alert_email,  # unusual-access alert to admins (issue #9)
    PRUNE_JOB: prune_job,  # help-center signals past the report's year, daily (issue #4)
    **WORK_HANDLERS,  # sla.*, assignment.* (issue #8)
}
