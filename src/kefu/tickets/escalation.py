"""Escalating to another team (on hold, with a reason) and marking spam."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.errors import UserError
from kefu.store.models import Message, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.actions import set_status
from kefu.tickets.status import Status
from kefu.tickets.teams import team_id


def escalate_ticket(
    session: Session, ticket: Ticket, team_slug: str, reason: str, actor: Actor
) -> None:
    """Hand the ticket to `team_slug`: unassigned, on hold, and the reason as an internal note."""
    reason = reason.strip()
    if len(reason) < 5:
        raise UserError("workspace.reason_required", code="validation_error")
    team = team_id(session, team_slug)
    if team is None:
        raise UserError("error.validation", code="validation_error", field="team", detail=team_slug)
    record_event(
        session,
        "ticket.escalated",
        actor,
        ticket.id,
        from_team=ticket.team_id,
        to_team=team_slug,
        reason=reason,
    )
    session.add(
        Message(
            ticket_id=ticket.id,
            author_kind="agent" if actor.kind == "agent" else "system",
            author_agent_id=actor.id if actor.kind == "agent" else None,
            visibility="internal",
            channel=ticket.channel,
            body_text=f"⤴ {team_slug}: {reason}",
            trust="verified",
        )
    )
    ticket.team_id = team
    ticket.assignee_id = None
    if ticket.status != Status.ON_HOLD:
        set_status(session, ticket, Status.ON_HOLD.value, actor)
    ticket.updated_at = utcnow()


def mark_spam(session: Session, ticket: Ticket, actor: Actor) -> None:
    """Spam is closed and tagged, never deleted: the audit trail keeps what arrived."""
    record_event(session, "ticket.marked_spam", actor, ticket.id)
    ticket.tags = sorted({*ticket.tags, "spam"})
    if ticket.status != Status.CLOSED:
        if ticket.status not in (Status.NEW, Status.SOLVED):
            set_status(session, ticket, Status.SOLVED.value, actor)
        set_status(session, ticket, Status.CLOSED.value, actor)
