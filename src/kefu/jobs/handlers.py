"""Job kind → the function that runs it. Handlers are idempotent where it matters."""

from __future__ import annotations

from kefu.channels.email.notify import send_agent_reply, send_magic_link, send_ticket_confirmation
from kefu.customers.warnings import post_secret_warning
from kefu.jobs.worker import Handler

HANDLERS: dict[str, Handler] = {
    "email.ticket_confirmation": send_ticket_confirmation,
    "email.magic_link": send_magic_link,
    "customer.agent_reply": send_agent_reply,
    "customer.secret_warning": post_secret_warning,
}
