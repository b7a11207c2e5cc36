"""What the agent chat console reads and does, in the database. Blocking: call from a thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Scope
from kefu.channels.chat.conversation import history
from kefu.channels.chat.queue import (
    accept_chat,
    active_chats,
    end_chat,
    waited_minutes,
    waiting_chats,
)
from kefu.channels.chat.topics import message_event
from kefu.errors import Forbidden, NotFound
from kefu.insider.masking import masked_customer
from kefu.insider.reveals import revealed_fields
from kefu.live.hub import LiveEvent
from kefu.services import Services
from kefu.store.models import Agent, AgentAvailability, ChatSession, Customer, Team, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.access import access_ticket_for_agent
from kefu.tickets.actions import add_agent_message

ALL_TEAMS_ROLES = ("lead", "admin")
PRESENCE_WRITE_EVERY = timedelta(seconds=60)


@dataclass
class Outcome:
    """Events to publish after commit, per visitor key."""

    visitor_key: str
    ticket: str
    public: list[LiveEvent] = field(default_factory=list)
    internal: list[LiveEvent] = field(default_factory=list)
    team: str | None = None  # whose queue changed


def _agent(session: Session, principal: AgentPrincipal) -> Agent:
    agent = session.get(Agent, principal.agent_id or 0)
    if agent is None or not agent.is_active:
        raise Forbidden()
    return agent


def _team_slugs(session: Session, agent: Agent) -> list[str] | None:
    """The queues an agent sees: their team's; leads and admins see every team's."""
    if agent.role in ALL_TEAMS_ROLES or agent.team_id is None:
        return None
    slug = session.scalar(select(Team.slug).where(Team.id == agent.team_id))
    return [slug] if slug else []


def console_state(services: Services, principal: AgentPrincipal) -> LiveEvent:
    with services.db.read() as session:
        agent = _agent(session, principal)
        availability = session.get(AgentAvailability, agent.id)
        now = utcnow()
        waiting = waiting_chats(session, _team_slugs(session, agent))
        mine = active_chats(session, agent.id)
        return {
            "type": "console",
            "presence": availability.presence if availability else "offline",
            "max_chats": availability.max_chats if availability else 3,
            "queue": [_row(c, tk, waited_minutes(c, now)) for c, tk in waiting],
            "mine": [_row(c, tk, None) for c, tk in mine],
        }


def _row(chat: ChatSession, ticket: Ticket, waited: int | None) -> LiveEvent:
    return {
        "ticket": ticket.number,
        "visitor": chat.visitor_key,
        "subject": ticket.subject,
        "category": chat.category,
        "priority": chat.priority,
        "team": chat.team_slug,
        "language": chat.language,
        "reason": chat.handoff_reason,
        "waited_minutes": waited,
        "trust": chat.trust,
    }


def set_presence(services: Services, principal: AgentPrincipal, presence: str) -> None:
    with services.db.write() as session:
        agent = _agent(session, principal)
        availability = session.get(AgentAvailability, agent.id)
        now = utcnow()
        if availability is None:
            availability = AgentAvailability(
                agent_id=agent.id, max_chats=3, max_tickets=20, categories=[]
            )
            session.add(availability)
        if availability.presence != presence:
            availability.presence, availability.presence_since = presence, now
        availability.last_seen_at = now


def touch_presence(services: Services, principal: AgentPrincipal) -> None:
    """The console is still open: keeps an online agent from going stale (see assignment)."""
    with services.db.write() as session:
        availability = session.get(AgentAvailability, principal.agent_id or 0)
        if availability is not None:
            availability.last_seen_at = utcnow()


def _chat(
    session: Session, principal: AgentPrincipal, number: str, scope: Scope
) -> tuple[ChatSession, Ticket]:
    ticket = access_ticket_for_agent(session, number, principal, scope)
    chat = session.scalar(select(ChatSession).where(ChatSession.ticket_id == ticket.id))
    if chat is None:
        raise NotFound("chat.error.not_found")
    return chat, ticket


def open_chat(services: Services, principal: AgentPrincipal, number: str) -> LiveEvent:
    """The whole conversation (bot turns and internal notes too) and the customer sidebar."""
    with services.db.read() as session:
        chat, ticket = _chat(session, principal, number, Scope.TICKETS_READ)
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None
        recent = session.execute(
            select(Ticket.number, Ticket.subject, Ticket.status)
            .where(Ticket.customer_id == customer.id, Ticket.id != ticket.id)
            .order_by(Ticket.id.desc())
            .limit(5)
        ).all()
        return {
            "type": "chat",
            "ticket": ticket.number,
            "visitor": chat.visitor_key,
            "state": chat.state,
            "category": chat.category,
            "priority": ticket.priority,
            "reason": chat.handoff_reason,
            "customer_read_seq": chat.customer_read_seq,
            "customer": {
                "uid": customer.uid,  # None for a guest: nothing of an account to show
                # Masked unless this agent revealed it on the ticket page (insider controls).
                "name": masked_customer(
                    customer, revealed_fields(session, principal, customer.id)
                ).name,
                "language": chat.language,
                "verification": customer.verification,
                "recent": [{"ticket": n, "subject": s, "status": st} for n, s, st in recent],
            },
            "messages": history(services, session, ticket.id, 0, internal=True),
        }


def accept(services: Services, principal: AgentPrincipal, number: str) -> Outcome:
    with services.db.write() as session:
        chat, ticket = _chat(session, principal, number, Scope.TICKETS_WRITE)
        agent = _agent(session, principal)
        joined = accept_chat(session, chat, ticket, agent)
        session.flush()
        outcome = Outcome(chat.visitor_key, number, team=chat.team_slug)
        outcome.public.append(message_event(services, joined, []))
        outcome.public.append({"type": "state", "state": "active", "agent": agent.name})
        return outcome


def reply(
    services: Services, principal: AgentPrincipal, number: str, text: str, internal: bool
) -> Outcome:
    with services.db.write() as session:
        chat, ticket = _chat(session, principal, number, Scope.TICKETS_WRITE)
        agent = _agent(session, principal)
        message = add_agent_message(session, ticket, principal.actor(), text, internal=internal)
        session.flush()
        outcome = Outcome(chat.visitor_key, number)
        event = message_event(services, message, [], agent.name)
        (outcome.internal if internal else outcome.public).append(event)
        return outcome


def end(services: Services, principal: AgentPrincipal, number: str) -> Outcome:
    with services.db.write() as session:
        chat, ticket = _chat(session, principal, number, Scope.TICKETS_WRITE)
        was_queued = chat.state == "queued"
        said = end_chat(session, chat, ticket, principal.actor())
        session.flush()
        outcome = Outcome(chat.visitor_key, number, team=chat.team_slug if was_queued else None)
        outcome.public.append(message_event(services, said, []))
        outcome.public.append({"type": "state", "state": "ended"})
        return outcome


def mark_agent_read(
    services: Services, principal: AgentPrincipal, number: str, seq: int
) -> str | None:
    with services.db.write() as session:
        chat, _ticket = _chat(session, principal, number, Scope.TICKETS_READ)
        if seq <= chat.agent_read_seq:
            return None
        chat.agent_read_seq = seq
        return chat.visitor_key


def visitor_of(services: Services, principal: AgentPrincipal, number: str) -> str:
    with services.db.read() as session:
        chat, _ticket = _chat(session, principal, number, Scope.TICKETS_READ)
        return chat.visitor_key
