"""Four-eyes unfreeze: one security agent requests it with a reason, a different one approves.

Only the approval asks the exchange, through the same once-only machinery as a freeze
(`carry_out_now` with the key `unfreeze-request:{id}`): approving twice, or retrying an
approval after the exchange failed to answer, unfreezes once. An agent approving their own
request is refused, and the refusal is audited. See docs/subsystems/trust.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kefu.audit import record_event
from kefu.auth.agents import AgentPrincipal
from kefu.errors import Forbidden, NotFound
from kefu.services import Services
from kefu.store.ids import can_be_row_id
from kefu.store.models import AccountAction, Ticket, UnfreezeRequest
from kefu.store.models.base import utcnow
from kefu.trust.playbooks import (
    UNFREEZE,
    AccountRequest,
    ActionOutcome,
    carry_out_now,
    check_reason,
    check_security_agent,
    ticket_id_for_agent,
)

AWAITING, APPROVED = "awaiting_approval", "approved"


@dataclass(frozen=True)
class UnfreezeView:
    """Where an unfreeze request stands; `action` is the exchange call once approved."""

    request_id: int
    uid: str
    reason: str
    status: str  # awaiting_approval / approved
    requested_by: int
    approved_by: int | None
    ticket_number: str | None
    action: ActionOutcome | None = None
    replayed: bool = False


def request_unfreeze(
    services: Services,
    agent: AgentPrincipal,
    uid: str,
    *,
    reason: str,
    key: str,
    ticket_number: str | None = None,
) -> UnfreezeView:
    """Record the request (once per key); nothing reaches the exchange until approved."""
    agent_id = check_security_agent(agent)
    reason = check_reason(reason)
    ticket_id = ticket_id_for_agent(services, agent, ticket_number)
    scoped_key = f"agent:{agent_id}:unfreeze-request:{uid}:{key}"
    existing = _request_id_for_key(services, scoped_key)
    if existing is not None:
        return _view(services, existing, replayed=True)
    try:
        with services.db.write() as session:
            row = UnfreezeRequest(
                uid=uid,
                reason=reason,
                idempotency_key=scoped_key,
                requested_by_agent_id=agent_id,
                ticket_id=ticket_id,
            )
            session.add(row)
            session.flush()
            record_event(
                session,
                "security.unfreeze_approval_requested",
                agent.actor(),
                ticket_id,
                uid=uid,
                request_id=row.id,
                reason=reason,
            )
            request_id = row.id
    except IntegrityError:
        raced = _request_id_for_key(services, scoped_key)
        if raced is None:
            raise
        return _view(services, raced, replayed=True)
    return _view(services, request_id)


def approve_unfreeze(services: Services, agent: AgentPrincipal, request_id: int) -> UnfreezeView:
    """A second security agent approves; then the exchange is asked, exactly once."""
    check_security_agent(agent)
    replayed = _record_approval(services, agent, request_id)
    with services.db.read() as session:
        row = _get(session, request_id)
        request = AccountRequest(
            action=UNFREEZE,
            uid=row.uid,
            key=f"unfreeze-request:{row.id}",
            reason=(
                f"{row.reason} (four eyes: requested by agent #{row.requested_by_agent_id}, "
                f"approved by agent #{row.approved_by_agent_id})"
            ),
            actor=agent.actor(),
            ticket_id=row.ticket_id,
        )
    outcome = carry_out_now(services, request)
    return _view(services, request_id, action=outcome, replayed=replayed)


def list_awaiting(services: Services, agent: AgentPrincipal) -> list[UnfreezeView]:
    """Requests still waiting for a second agent, oldest first (security team only)."""
    check_security_agent(agent)
    with services.db.read() as session:
        ids = session.scalars(
            select(UnfreezeRequest.id)
            .where(UnfreezeRequest.status == AWAITING)
            .order_by(UnfreezeRequest.id)
        ).all()
    return [_view(services, request_id) for request_id in ids]


def _record_approval(services: Services, agent: AgentPrincipal, request_id: int) -> bool:
    """Mark the request approved by `agent`; True if it already was (a retried approval)."""
    with services.db.write() as session:
        row = _get(session, request_id, for_update=True)
        if row.requested_by_agent_id != agent.agent_id:
            if row.status == APPROVED:
                return True
            row.status, row.approved_by_agent_id, row.approved_at = (
                APPROVED,
                agent.agent_id,
                utcnow(),
            )
            record_event(
                session,
                "security.unfreeze_approved",
                agent.actor(),
                row.ticket_id,
                uid=row.uid,
                request_id=row.id,
                requested_by=row.requested_by_agent_id,
            )
            return False
        record_event(
            session,
            "security.unfreeze_approval_refused",
            agent.actor(),
            row.ticket_id,
            uid=row.uid,
            request_id=row.id,
            why="same_agent",
        )
    # Raised after the commit, so the refusal stays in the audit trail.
    raise Forbidden("trust.unfreeze_needs_second_agent")


def _get(session: Session, request_id: int, *, for_update: bool = False) -> UnfreezeRequest:
    if not can_be_row_id(request_id):
        raise NotFound()
    row = session.get(UnfreezeRequest, request_id, with_for_update=for_update)
    if row is None:
        raise NotFound()
    return row


def _request_id_for_key(services: Services, key: str) -> int | None:
    with services.db.read() as session:
        return session.scalar(
            select(UnfreezeRequest.id).where(UnfreezeRequest.idempotency_key == key)
        )


def _view(
    services: Services,
    request_id: int,
    *,
    action: ActionOutcome | None = None,
    replayed: bool = False,
) -> UnfreezeView:
    with services.db.read() as session:
        row = _get(session, request_id)
        ticket = session.get(Ticket, row.ticket_id) if row.ticket_id else None
        number = ticket.number if ticket else None
        if action is None and row.status == APPROVED:
            action = _approved_action(session, row, number)
        return UnfreezeView(
            request_id=row.id,
            uid=row.uid,
            reason=row.reason,
            status=row.status,
            requested_by=row.requested_by_agent_id,
            approved_by=row.approved_by_agent_id,
            ticket_number=number,
            action=action,
            replayed=replayed,
        )


def _approved_action(
    session: Session, row: UnfreezeRequest, ticket_number: str | None
) -> ActionOutcome | None:
    action = session.scalars(
        select(AccountAction).where(AccountAction.idempotency_key == f"unfreeze-request:{row.id}")
    ).first()
    if action is None:
        return None
    return ActionOutcome(
        action_id=action.id,
        action=action.action,
        uid=action.uid,
        status=action.status,
        ticket_number=ticket_number,
        exchange_ref=action.exchange_ref,
        replayed=True,
    )
