"""The wait for a person: handing over, honest positions, accepting within capacity, ending.

The queue is the `chat_sessions` rows in state `queued`, per team, urgent first and then
oldest first. Positions are computed from the database, so every server process agrees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu.audit import Actor
from kefu.categories import CATEGORY_BY_SLUG
from kefu.errors import Conflict
from kefu.i18n import t
from kefu.store.models import Agent, AgentAvailability, ChatSession, Message, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.actions import FieldChanges, add_agent_message, change_fields, set_status
from kefu.tickets.status import Status
from kefu.tickets.teams import team_id
from kefu.work.assignment import online_candidates

PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
# What one agent takes per chat, on average; used only for the estimate shown to customers.
AVERAGE_CHAT_MINUTES = 6
DEFAULT_MAX_CHATS = 3
BOT = Actor("bot")


@dataclass(frozen=True)
class Place:
    visitor_key: str
    team_slug: str
    position: int  # 1 = next
    minutes: int | None  # None: nobody is online to estimate with


def hand_over(
    session: Session,
    chat: ChatSession,
    ticket: Ticket,
    reason: str,
    category: str | None,
    summary: str,
) -> list[Message]:
    """Queue the chat for a person: set team, category and priority, brief the agents."""
    sensitive = reason == "sensitive"
    category = category or chat.category or ticket.category
    team = "security" if sensitive else _team_of(category)
    changes = FieldChanges(
        category=category if category in CATEGORY_BY_SLUG else None,
        team=team,
        priority="urgent" if sensitive else None,
    )
    change_fields(session, ticket, changes, BOT)
    chat.state, chat.queued_at, chat.handoff_reason = "queued", utcnow(), reason
    chat.team_slug, chat.priority, chat.category = team, ticket.priority, ticket.category
    chat.awaiting = None
    note = add_agent_message(session, ticket, BOT, summary, internal=True)
    told = add_agent_message(
        session, ticket, BOT, t(f"chat.handoff.{reason}", chat.language), internal=False
    )
    return [note, told]


def _team_of(category: str | None) -> str:
    found = CATEGORY_BY_SLUG.get(category or "")
    return found.team if found else "support"


def queue_places(session: Session, team_slug: str) -> list[Place]:
    rows = session.execute(
        select(
            ChatSession.visitor_key, ChatSession.priority, ChatSession.queued_at, ChatSession.id
        ).where(ChatSession.state == "queued", ChatSession.team_slug == team_slug)
    ).all()
    ordered = sorted(rows, key=lambda r: (PRIORITY_RANK.get(r[1], 2), r[2], r[3]))
    capacity = _online_capacity(session, team_slug)
    return [
        Place(key, team_slug, i + 1, _estimate(i + 1, capacity))
        for i, (key, _priority, _queued, _id) in enumerate(ordered)
    ]


def _online_capacity(session: Session, team_slug: str) -> int:
    team = team_id(session, team_slug)
    if team is None:
        return 0
    return sum(c.availability.max_chats for c in online_candidates(session, team, utcnow()))


def _estimate(position: int, capacity: int) -> int | None:
    if capacity <= 0:
        return None
    return max(1, math.ceil(position * AVERAGE_CHAT_MINUTES / capacity))


def queue_text(place: Place, lang: str) -> str:
    minutes = place.minutes if place.minutes is not None else "?"
    return t("chat.queue", lang, ahead=place.position - 1, minutes=minutes)


def nobody_online(session: Session, team_slug: str) -> bool:
    return _online_capacity(session, team_slug) == 0


def waiting_chats(
    session: Session, team_slugs: list[str] | None
) -> list[tuple[ChatSession, Ticket]]:
    """Queued chats for an agent's console: urgent first, then oldest first."""
    query = (
        select(ChatSession, Ticket)
        .join(Ticket, Ticket.id == ChatSession.ticket_id)
        .where(ChatSession.state == "queued")
    )
    if team_slugs is not None:
        query = query.where(ChatSession.team_slug.in_(team_slugs))
    rows = [(c, tk) for c, tk in session.execute(query).all()]
    return sorted(
        rows, key=lambda r: (PRIORITY_RANK.get(r[0].priority, 2), r[0].queued_at, r[0].id)
    )


def active_chats(session: Session, agent_id: int) -> list[tuple[ChatSession, Ticket]]:
    rows = session.execute(
        select(ChatSession, Ticket)
        .join(Ticket, Ticket.id == ChatSession.ticket_id)
        .where(ChatSession.state == "active", ChatSession.agent_id == agent_id)
        .order_by(ChatSession.accepted_at)
    ).all()
    return [(c, tk) for c, tk in rows]


def max_chats(session: Session, agent_id: int) -> int:
    availability = session.get(AgentAvailability, agent_id)
    return availability.max_chats if availability is not None else DEFAULT_MAX_CHATS


def accept_chat(session: Session, chat: ChatSession, ticket: Ticket, agent: Agent) -> Message:
    """Take a waiting chat, if it is still waiting and the agent has room for it."""
    if chat.state != "queued":
        raise Conflict("chat.console.taken")
    limit = max_chats(session, agent.id)
    in_use = session.scalar(
        select(func.count(ChatSession.id)).where(
            ChatSession.state == "active", ChatSession.agent_id == agent.id
        )
    )
    if (in_use or 0) >= limit:
        error = Conflict("chat.console.full", limit=limit)
        error.code = "at_capacity"
        raise error
    actor = Actor("agent", agent.id)
    change_fields(session, ticket, FieldChanges(assignee_id=agent.id), actor)
    if ticket.status == Status.NEW:
        set_status(session, ticket, Status.OPEN.value, actor)
    chat.state, chat.agent_id, chat.accepted_at = "active", agent.id, utcnow()
    chat.updated_at = utcnow()
    text = t("chat.agent_joined", chat.language, name=agent.name)
    return add_agent_message(session, ticket, Actor.system(), text, internal=False)


def end_chat(session: Session, chat: ChatSession, ticket: Ticket, actor: Actor) -> Message:
    if ticket.status != Status.SOLVED:
        set_status(session, ticket, Status.SOLVED.value, actor)
    chat.state, chat.ended_at, chat.awaiting = "ended", utcnow(), None
    chat.bot_failures, chat.updated_at = 0, utcnow()
    return add_agent_message(
        session, ticket, Actor.system(), t("chat.ended", chat.language), internal=False
    )


def waited_minutes(chat: ChatSession, now: datetime) -> int:
    return int((now - (chat.queued_at or now)).total_seconds() // 60)
