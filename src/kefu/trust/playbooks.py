"""Security playbooks: the emergency freeze (customer, one step) and security-team freezes.

Unfreezing takes two security agents (four eyes): `kefu.trust.unfreeze`.

Every freeze or unfreeze becomes an `AccountAction` row with an idempotency key before
the exchange is called, then is tried at once; if the exchange does not answer, the
outbox job `exchange.account_action` retries with the same key, so the exchange
applies it exactly once however often it is retried. Every step is audited.
See docs/subsystems/trust.md.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kefu.audit import Actor, record_event
from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Role, Scope
from kefu.errors import Forbidden, Unavailable, UserError
from kefu.exchange.client import (
    AccountClosed,
    AccountNotFound,
    ExchangeRejected,
    FreezeResult,
    Requester,
)
from kefu.exchange.http import exchange_client
from kefu.i18n import t
from kefu.ingest.inbound import Channel, Inbound, Sender, Trust
from kefu.ingest.pipeline import ingest
from kefu.jobs.outbox import enqueue
from kefu.services import Services
from kefu.store.models import AccountAction, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.access import access_ticket_for_agent
from kefu.tickets.actions import add_agent_message

JOB_KIND = "exchange.account_action"
# The request tries the exchange itself; the job is the safety net if that attempt fails.
RETRY_AFTER = timedelta(seconds=30)
FREEZE, UNFREEZE = "freeze", "unfreeze"


@dataclass(frozen=True)
class ActionOutcome:
    action_id: int
    action: str
    uid: str
    status: str  # done / pending / failed
    ticket_number: str | None
    exchange_ref: str | None
    replayed: bool


@dataclass(frozen=True)
class AccountRequest:
    """A freeze or unfreeze about to be recorded; `key` makes it once-only."""

    action: str
    uid: str
    key: str
    reason: str
    actor: Actor
    customer_id: int | None = None
    ticket_id: int | None = None


def check_verified(sender: Sender) -> str:
    """The sender's exchange UID, if their identity is proven; else 403 with what to do."""
    if sender.trust is not Trust.VERIFIED or not sender.uid:
        raise Forbidden("trust.freeze_needs_verification")
    return sender.uid


def emergency_freeze(
    services: Services, sender: Sender, *, note: str, key: str, language: str
) -> ActionOutcome:
    """A verified customer freezes their own account: urgent ticket, freeze, confirmation."""
    uid = check_verified(sender)
    scoped_key = f"customer:{uid}:{key}"
    receipt = ingest(
        services,
        Inbound(
            channel=Channel.WEB,
            sender=sender,
            subject=t("trust.freeze_ticket_subject", language),
            body_text=t("trust.freeze_ticket_body", language, reason=note.strip()[:2000] or "-"),
            category="security",
            external_id=f"freeze:{scoped_key}",
            metadata={"playbook": "emergency_freeze"},
        ),
    )
    request = AccountRequest(
        action=FREEZE,
        uid=uid,
        key=scoped_key,
        # The customer's own words stay in the (redacted) ticket; the exchange gets a fixed text.
        reason=f"customer emergency freeze via support, ticket {receipt.ticket_number}",
        actor=Actor("customer", receipt.customer_id),
        customer_id=receipt.customer_id,
        ticket_id=receipt.ticket_id,
    )
    return carry_out_now(services, request)


def security_freeze(
    services: Services,
    agent: AgentPrincipal,
    uid: str,
    *,
    reason: str,
    key: str,
    ticket_number: str | None = None,
) -> ActionOutcome:
    """A security agent freezes an account, with a reason for the audit log.

    Unfreezing needs a second agent: see `kefu.trust.unfreeze`.
    """
    agent_id = check_security_agent(agent)
    reason = check_reason(reason)
    ticket_id = ticket_id_for_agent(services, agent, ticket_number)
    request = AccountRequest(
        action=FREEZE,
        uid=uid,
        key=f"agent:{agent_id}:{FREEZE}:{uid}:{key}",
        reason=reason,
        actor=agent.actor(),
        ticket_id=ticket_id,
    )
    return carry_out_now(services, request)


def check_security_agent(agent: AgentPrincipal) -> int:
    """The agent's id if they are on the security team; else 403."""
    if agent.agent_id is None or agent.role != Role.SECURITY:
        raise Forbidden("trust.security_role_required")
    return agent.agent_id


def check_reason(reason: str) -> str:
    """The reason, trimmed: 5–500 characters, for the audit log."""
    reason = reason.strip()
    if not 5 <= len(reason) <= 500:
        raise UserError("trust.reason_required", code="validation_error")
    return reason


def ticket_id_for_agent(
    services: Services, agent: AgentPrincipal, ticket_number: str | None
) -> int | None:
    """The id of the ticket an agent names (access-checked), or None when none is named."""
    if not ticket_number:
        return None
    with services.db.read() as session:
        return access_ticket_for_agent(session, ticket_number, agent, Scope.TICKETS_WRITE).id


def run_account_action_job(services: Services, payload: dict[str, object]) -> None:
    """Outbox handler: retry a pending freeze/unfreeze; Unavailable makes the worker back off."""
    carry_out(services, int(str(payload["action_id"])))


def carry_out(services: Services, action_id: int) -> str:
    """Ask the exchange (again) for a pending action; the status it ends in."""
    with services.db.read() as session:
        action = session.get(AccountAction, action_id)
        if action is None:
            return "failed"
        if action.status != "pending":
            return action.status
        requester = Requester(action.requested_by_kind, str(action.requested_by_id or ""))
        call = (action.action, action.uid, action.reason, action.idempotency_key)
    try:
        result = _call_exchange(services, *call, requester)
    except Unavailable as exc:
        _note_failed_attempt(services, action_id, exc.code)
        raise
    except (AccountNotFound, AccountClosed, ExchangeRejected) as exc:
        _finish(services, action_id, "failed", error=exc.code)
        return "failed"
    _finish(services, action_id, "done", result=result)
    return "done"


def _call_exchange(
    services: Services, action: str, uid: str, reason: str, key: str, requester: Requester
) -> FreezeResult:
    with exchange_client(services.settings) as client:
        change = client.freeze if action == FREEZE else client.unfreeze
        return change(uid, reason=reason, idempotency_key=key, requested_by=requester)


def carry_out_now(services: Services, request: AccountRequest) -> ActionOutcome:
    """Record the request (once per key), ask the exchange now, and say where it stands."""
    action_id, replayed = _record_request(services, request)
    with contextlib.suppress(Unavailable):  # recorded and audited; the outbox job retries
        carry_out(services, action_id)
    with services.db.read() as session:
        action = session.get(AccountAction, action_id)
        assert action is not None
        ticket = session.get(Ticket, action.ticket_id) if action.ticket_id else None
        return ActionOutcome(
            action_id=action.id,
            action=action.action,
            uid=action.uid,
            status=action.status,
            ticket_number=ticket.number if ticket else None,
            exchange_ref=action.exchange_ref,
            replayed=replayed,
        )


def _record_request(services: Services, request: AccountRequest) -> tuple[int, bool]:
    """The action row, its audit event and its retry job, in one transaction (once per key)."""
    existing = _action_id_for_key(services, request.key)
    if existing is not None:
        return existing, True
    try:
        with services.db.write() as session:
            action = AccountAction(
                action=request.action,
                uid=request.uid,
                idempotency_key=request.key,
                reason=request.reason,
                requested_by_kind=request.actor.kind,
                requested_by_id=request.actor.id,
                customer_id=request.customer_id,
                ticket_id=request.ticket_id,
            )
            session.add(action)
            session.flush()
            record_event(
                session,
                f"security.{request.action}_requested",
                request.actor,
                request.ticket_id,
                uid=request.uid,
                action_id=action.id,
                reason=request.reason,
            )
            enqueue(session, JOB_KIND, {"action_id": action.id}, utcnow() + RETRY_AFTER)
            return action.id, False
    except IntegrityError:
        # The same request raced in twice; the first one owns the key.
        raced = _action_id_for_key(services, request.key)
        if raced is None:
            raise
        return raced, True


def _action_id_for_key(services: Services, key: str) -> int | None:
    with services.db.read() as session:
        return session.scalar(select(AccountAction.id).where(AccountAction.idempotency_key == key))


def _note_failed_attempt(services: Services, action_id: int, error: str) -> None:
    with services.db.write() as session:
        action = session.get(AccountAction, action_id)
        assert action is not None
        action.attempts += 1
        action.last_error = error
        record_event(
            session,
            f"security.{action.action}_attempt_failed",
            Actor.system(),
            action.ticket_id,
            uid=action.uid,
            action_id=action.id,
            error=error,
            attempt=action.attempts,
        )


def _finish(
    services: Services,
    action_id: int,
    status: str,
    *,
    result: FreezeResult | None = None,
    error: str | None = None,
) -> None:
    with services.db.write() as session:
        action = session.get(AccountAction, action_id, with_for_update=True)
        assert action is not None
        if action.status != "pending":
            return  # the request and the retry job both got an answer; the first one counts
        action.status = status
        action.attempts += 1
        action.finished_at = utcnow()
        action.exchange_ref = result.action_id if result else None
        action.last_error = error
        done = "frozen" if action.action == FREEZE else "unfrozen"
        record_event(
            session,
            f"security.account_{done}" if status == "done" else f"security.{action.action}_failed",
            Actor.system(),
            action.ticket_id,
            uid=action.uid,
            action_id=action.id,
            exchange_ref=action.exchange_ref,
            exchange_replayed=result.replayed if result else None,
            error=error,
        )
        if action.ticket_id is not None:
            ticket = session.get(Ticket, action.ticket_id)
            assert ticket is not None
            note = _ticket_note(action, ticket.language, result, error)
            # The customer who asked hears the outcome (email too); agent actions stay internal.
            internal = action.requested_by_kind != "customer"
            add_agent_message(session, ticket, Actor.system(), note, internal=internal)


def _ticket_note(
    action: AccountAction, language: str, result: FreezeResult | None, error: str | None
) -> str:
    if result is not None:
        at = result.at.strftime("%Y-%m-%d %H:%M UTC")
        return t(f"trust.{action.action}_note_done", language, at=at, ref=result.action_id)
    return t(f"trust.{action.action}_note_failed", language, error=error or "-")
