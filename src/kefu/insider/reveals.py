"""Unmasking one customer field for one viewer, for a short time, with an audited reason.

The audit event names who, which customer, which field and why — never the value.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import record_event
from kefu.auth.agents import AgentPrincipal
from kefu.errors import UserError
from kefu.insider.masking import FIELDS
from kefu.store.models import FieldReveal
from kefu.store.models.base import utcnow

REASON_MIN = 10
REASON_MAX = 500


def viewer_of(principal: AgentPrincipal) -> str:
    """`agent:{id}` for a signed-in agent (or a token bound to one), else `api:{token id}`."""
    if principal.agent_id is not None:
        return f"agent:{principal.agent_id}"
    return f"api:{principal.token_id}"


def check_reason(reason: str) -> str:
    cleaned = " ".join(reason.split())
    if not REASON_MIN <= len(cleaned) <= REASON_MAX:
        raise UserError(
            "insider.reason_length", code="reason_required", min=REASON_MIN, max=REASON_MAX
        )
    return cleaned


def check_field(field: str) -> str:
    if field not in FIELDS:
        raise UserError("insider.unknown_field", code="unknown_field", field=field[:40])
    return field


def reveal_field(
    session: Session,
    principal: AgentPrincipal,
    customer_id: int,
    field: str,
    reason: str,
    *,
    minutes: int,
    ticket_id: int | None = None,
    now: datetime | None = None,
) -> FieldReveal:
    """Record the reveal and its audit event in the caller's transaction."""
    field, reason = check_field(field), check_reason(reason)
    now = now or utcnow()
    reveal = FieldReveal(
        viewer=viewer_of(principal),
        customer_id=customer_id,
        field=field,
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    session.add(reveal)
    record_event(
        session,
        "customer.field_revealed",
        principal.actor(),
        ticket_id,
        customer=customer_id,
        field=field,
        reason=reason,
        minutes=minutes,
    )
    return reveal


def revealed_fields(
    session: Session, principal: AgentPrincipal, customer_id: int, now: datetime | None = None
) -> frozenset[str]:
    """The fields this viewer may see unmasked for this customer at `now`."""
    rows = session.scalars(
        select(FieldReveal.field).where(
            FieldReveal.viewer == viewer_of(principal),
            FieldReveal.customer_id == customer_id,
            FieldReveal.expires_at > (now or utcnow()),
        )
    )
    return frozenset(rows)
