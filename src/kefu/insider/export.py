"""A CSV of a ticket list, for leads and admins: the `export` permission, always audited.

Customer emails and names stay masked in the file as everywhere else: an export is not a
way around the per-field reveal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import record_event
from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Scope
from kefu.errors import Forbidden
from kefu.insider.masking import mask_email, mask_name
from kefu.store.models import Customer, Ticket

COLUMNS = (
    "number",
    "status",
    "priority",
    "category",
    "channel",
    "language",
    "subject",
    "team_id",
    "assignee_id",
    "created_at",
    "updated_at",
    "customer_id",
    "customer_uid",
    "customer_email",
    "customer_name",
)


def check_export(principal: AgentPrincipal) -> None:
    if Scope.EXPORT.value not in principal.scopes:
        raise Forbidden("insider.export_forbidden")


def export_tickets(
    session: Session, principal: AgentPrincipal, tickets: Sequence[Ticket], filters: dict[str, str]
) -> str:
    """The CSV text; the export (who, how many, which filters) goes to the audit log."""
    check_export(principal)
    customers = _customers(session, {t.customer_id for t in tickets})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for ticket in tickets:
        writer.writerow(_row(ticket, customers.get(ticket.customer_id)))
    record_event(session, "tickets.exported", principal.actor(), rows=len(tickets), filters=filters)
    return out.getvalue()


def _customers(session: Session, ids: set[int]) -> dict[int, Customer]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))}


def _row(ticket: Ticket, customer: Customer | None) -> list[object]:
    return [
        ticket.number,
        ticket.status,
        ticket.priority,
        ticket.category or "",
        ticket.channel,
        ticket.language,
        _safe_cell(ticket.subject),
        ticket.team_id or "",
        ticket.assignee_id or "",
        ticket.created_at.isoformat(),
        ticket.updated_at.isoformat(),
        ticket.customer_id,
        customer.uid or "" if customer else "",
        mask_email(customer.email) or "" if customer else "",
        mask_name(customer.name) or "" if customer else "",
    ]


def _safe_cell(text: str) -> str:
    """No formula injection when the file is opened in a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
