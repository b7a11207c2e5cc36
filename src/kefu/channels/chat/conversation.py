"""A widget conversation in the database: the customer's messages (through ingest), the
bot's turns, history for resuming, read state.

A customer's message is one write transaction (`deliver`, through the writer lane, so it
may share its commit with other messages); everything that only reads — the shield, the
help-center search, the bot's reading — happens before it (`make_ready`).

Nothing here lives in process memory: a reconnect to any server finds the same state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple, TypeVar

import anyio.to_thread
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kefu.audit import Actor
from kefu.channels.chat.bot_turn import ChatView, Thought, bot_turn, think
from kefu.channels.chat.frames import MAX_TEXT_CHARS, Say
from kefu.channels.chat.queue import nobody_online, queue_places
from kefu.channels.chat.survey import mark_answered
from kefu.channels.chat.topics import message_event
from kefu.channels.chat.visitor import Visitor
from kefu.errors import UserError
from kefu.i18n import t
from kefu.ingest.draft import Draft, Receipt
from kefu.ingest.inbound import Channel, Inbound, InboundAttachment
from kefu.ingest.pipeline import ingest_in, prepare, publish_receipt
from kefu.live.hub import LiveEvent
from kefu.services import Services
from kefu.store.models import (
    Agent,
    Attachment,
    BusinessCalendar,
    ChatSession,
    ChatUpload,
    Message,
    Ticket,
)
from kefu.store.models.base import utcnow
from kefu.store.prebuilt import Prebuilt, PrebuiltRow
from kefu.tickets.actions import add_agent_message
from kefu.tickets.numbers import ticket_number
from kefu.tickets.statements import TICKET_ROW, UPDATE_MESSAGE, write_through
from kefu.work.describe import describe_hours
from kefu.work.policies import calendar_of, match_policy

T = TypeVar("T")
BOT_STATES = ("bot", "ended")  # a new message after the end starts over with the bot


@dataclass
class Delivery:
    """What the socket tells its client (the ack) and then publishes (after commit)."""

    seq: int
    ticket: str
    receipt: Receipt
    events: list[LiveEvent] = field(default_factory=list)  # customer-visible, in order
    internal: list[LiveEvent] = field(default_factory=list)  # agents only
    queue_changed: str | None = None  # the team whose waiting list changed


@dataclass(frozen=True)
class Snapshot:
    """The conversation as a (re)connecting client needs it."""

    state: str
    ticket: str | None
    category: str | None
    messages: list[LiveEvent]
    agent_read_seq: int
    queue: LiveEvent | None


def find_chat(session: Session, visitor: Visitor) -> ChatSession | None:
    chat = session.scalar(select(ChatSession).where(ChatSession.visitor_key == visitor.key))
    if chat is not None and chat.customer_uid != visitor.uid:
        return None  # another identity's conversation: never resumed by this one
    return chat


def snapshot(services: Services, visitor: Visitor, after_seq: int) -> Snapshot:
    with services.db.read() as session:
        chat = find_chat(session, visitor)
        if chat is None or chat.ticket_id is None:
            return Snapshot("bot", None, None, [], 0, None)
        messages = history(services, session, chat.ticket_id, after_seq, internal=False)
        queue = _queue_event(session, chat)
        return Snapshot(
            chat.state,
            ticket_number(chat.ticket_id),
            chat.category,
            messages,
            chat.agent_read_seq,
            queue,
        )


def history(
    services: Services, session: Session, ticket_id: int, after_seq: int, *, internal: bool
) -> list[LiveEvent]:
    query = select(Message).where(Message.ticket_id == ticket_id, Message.id > after_seq)
    if not internal:
        query = query.where(Message.visibility == "public")
    messages = list(session.scalars(query.order_by(Message.id)))
    attachments = _attachments(session, [m.id for m in messages])
    names = _agent_names(session, [m.author_agent_id for m in messages if m.author_agent_id])
    events = [
        message_event(services, m, attachments.get(m.id, []), names.get(m.author_agent_id or 0))
        for m in messages
    ]
    mark_answered(session, ticket_id, events)
    return events


def _attachments(session: Session, message_ids: list[int]) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = {}
    if message_ids:
        for attachment in session.scalars(
            select(Attachment).where(Attachment.message_id.in_(message_ids)).order_by(Attachment.id)
        ):
            found.setdefault(attachment.message_id, []).append(attachment)
    return found


def _agent_names(session: Session, agent_ids: list[int]) -> dict[int, str]:
    if not agent_ids:
        return {}
    rows = session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(set(agent_ids))))
    return dict(rows.tuples().all())


def check_text(say: Say) -> str:
    text = say.text.strip()
    if len(text) > MAX_TEXT_CHARS:
        raise UserError("chat.error.too_large", code="too_large", limit=MAX_TEXT_CHARS)
    if not text and not say.uploads:
        raise UserError("chat.error.empty", code="empty_message")
    return text


@dataclass(frozen=True)
class Incoming:
    """A customer's message, made ready outside the write transaction: checked, shielded
    and classified (`prepare`), and read by the bot against the conversation as it was."""

    visitor: Visitor
    say: Say
    draft: Draft
    thought: Thought | None  # None: the bot is not talking in this conversation


async def receive_message(services: Services, visitor: Visitor, say: Say) -> Delivery:
    """Store the customer's message exactly once and let the bot answer it, in one write
    transaction (which the writer lane may share with other messages); the Delivery
    arrives after the commit."""
    incoming = await off_the_writer(services, partial(make_ready, services, visitor, say))
    unit = partial(deliver, services=services, incoming=incoming)
    try:
        delivery = await services.db.write_unit(unit)
    except IntegrityError:
        # A resend raced the first delivery (another process, or the socket that dropped):
        # the winner committed the message, the chat row and the bot's answer; this run
        # finds them now and replays.
        delivery = await services.db.write_unit(unit)
    publish_receipt(services, delivery.receipt)
    return delivery


async def off_the_writer(services: Services, work: Callable[[], T]) -> T:
    """Reads and CPU work before a write. On SQLite they run on the event loop, as the
    writer lane does: local WAL reads do not wait for the writer, and a thread would only
    compete with the loop for the GIL. On PostgreSQL a read is a network round trip."""
    if services.db.is_sqlite:
        return work()
    return await anyio.to_thread.run_sync(work)


class ChatAsRead(NamedTuple):
    """What `make_ready` reads of the conversation: columns, not an ORM object."""

    customer_uid: str | None
    ticket_id: int | None
    state: str
    language: str
    category: str | None
    awaiting: str | None
    clarify_options: list[str] | None
    pending_text: str | None
    bot_failures: int


_CHAT_AS_READ = Prebuilt(
    select(*(getattr(ChatSession, name) for name in ChatAsRead._fields)).where(
        ChatSession.visitor_key == bindparam("visitor_key")
    )
)


def make_ready(services: Services, visitor: Visitor, say: Say) -> Incoming:
    text = check_text(say)
    rows = services.db.read_rows(_CHAT_AS_READ, {"visitor_key": visitor.key})
    chat = ChatAsRead(*rows[0]) if rows else None
    if chat is not None and chat.customer_uid != visitor.uid:
        chat = None  # another identity's conversation (see `find_chat`)
    attachments = _uploads(services, visitor.key, say.uploads)
    number = ticket_number(chat.ticket_id) if chat and chat.ticket_id else None
    category = (chat.category if chat else None) or say.category
    view = ChatView.of(chat) if chat and chat.state in BOT_STATES else None
    draft = prepare(
        services,
        Inbound(
            channel=Channel.CHAT,
            sender=visitor.sender,
            body_text=text,
            # Scoped by conversation: two visitors' "m1" are different messages.
            external_id=f"chat:{visitor.key}:{say.client_id}",
            ticket_number=number,
            category=category,
            attachments=attachments,
            metadata={"chat_session": visitor.key},
            auto_respond=False,  # the chat answers live; no confirmation email per chat
        ),
    )
    if chat is None:  # a new conversation starts with the bot, as `_chat_row` makes it
        view = ChatView(visitor.language, category or draft.category)
    thought = think(services, view, draft.text) if view is not None else None
    return Incoming(visitor, say, draft, thought)


def deliver(session: Session, services: Services, incoming: Incoming) -> Delivery:
    """The write transaction of one customer message: ingest, then the bot's turn."""
    receipt = ingest_in(session, services, incoming.draft)
    message = receipt.message or session.get(Message, receipt.message_id)
    ticket = receipt.ticket
    if ticket is None or ticket not in session:  # a new ticket's row was inserted, not loaded
        ticket = TICKET_ROW.get(session, {"ticket_id": receipt.ticket_id})
    assert message is not None and ticket is not None
    say = incoming.say
    chat = _chat_row(session, incoming.visitor, ticket, say.category)
    delivery = Delivery(seq=message.id, ticket=ticket.number or "", receipt=receipt)
    if receipt.replayed and _bot_answered(session, message.id):
        return delivery  # a retry: the first delivery already did everything
    attachments = _attachments(session, [message.id]).get(message.id, []) if say.uploads else []
    delivery.events.append(message_event(services, message, attachments))
    spoken: list[Message] = []
    if chat.state in BOT_STATES:
        chat.state = "bot"
        state_before = chat.state
        spoken = bot_turn(session, services, chat, ticket, message.body_text, incoming.thought)
        _mark_answered(session, spoken[0], message.id)
        if chat.state != state_before:
            delivery.queue_changed = chat.team_slug
            if nobody_online(session, chat.team_slug or "support"):
                spoken.append(_offline_notice(session, services, chat, ticket))
    chat.updated_at = utcnow()
    if chat not in session.new:
        CHAT_ROW.save(session, chat)  # the usual change, by statement
    session.flush()  # anything else (a new chat row, a handoff's changes); often nothing
    for said in spoken:
        event = message_event(services, said, [])
        (delivery.internal if said.visibility == "internal" else delivery.events).append(event)
    return delivery


def _mark_answered(session: Session, said: Message, message_id: int) -> None:
    """The bot's first words carry the id of the message they answer: a resend finds them."""
    marker = {"external_id": f"bot:{message_id}"}
    write_through(session, UPDATE_MESSAGE, {"message_id": said.id}, said, marker)


def _bot_answered(session: Session, message_id: int) -> bool:
    found = session.scalar(
        select(Message.id).where(
            Message.channel == "chat", Message.external_id == f"bot:{message_id}"
        )
    )
    return found is not None


# The conversation's row, read and written by prebuilt statements: once per message.
CHAT_ROW = PrebuiltRow(ChatSession, ChatSession.visitor_key == bindparam("visitor_key"))


def _chat_row(
    session: Session, visitor: Visitor, ticket: Ticket, category: str | None
) -> ChatSession:
    chat = CHAT_ROW.get(session, {"visitor_key": visitor.key})
    if chat is None:
        chat = ChatSession(
            visitor_key=visitor.key,
            customer_uid=visitor.uid,
            trust=visitor.sender.trust.value,
            language=visitor.language,
            category=category or ticket.category,
            state="bot",
            bot_failures=0,
            clarify_options=[],
            customer_read_seq=0,
            agent_read_seq=0,
        )
        session.add(chat)
    if chat.ticket_id != ticket.id and chat.state not in BOT_STATES:
        chat.state = "bot"  # a follow-up ticket (the old one was closed) starts with the bot
    chat.ticket_id = ticket.id
    return chat


def _offline_notice(
    session: Session, services: Services, chat: ChatSession, ticket: Ticket
) -> Message:
    hours = t("work.hours_always", chat.language)
    policy = match_policy(session, ticket)
    row = session.get(BusinessCalendar, policy.calendar_id) if policy is not None else None
    if row is not None:
        hours = describe_hours(calendar_of(row), chat.language)
    text = t("chat.offline", chat.language, number=ticket.number, hours=hours)
    return add_agent_message(session, ticket, Actor.system(), text, internal=False)


def _uploads(
    services: Services, visitor_key: str, upload_ids: list[int]
) -> tuple[InboundAttachment, ...]:
    if not upload_ids:
        return ()
    with services.db.read() as session:
        rows = session.scalars(
            select(ChatUpload).where(
                ChatUpload.id.in_(upload_ids), ChatUpload.visitor_key == visitor_key
            )
        ).all()
    return tuple(
        InboundAttachment(row.filename, row.content_type, services.files.load(row.storage_key))
        for row in rows
    )


def queue_events(services: Services, team_slug: str) -> list[tuple[str, LiveEvent]]:
    """(visitor key, queue event) for everyone waiting in `team_slug`'s queue."""
    with services.db.read() as session:
        places = queue_places(session, team_slug)
        languages = (
            dict(
                session.execute(
                    select(ChatSession.visitor_key, ChatSession.language).where(
                        ChatSession.visitor_key.in_([p.visitor_key for p in places])
                    )
                ).all()
            )
            if places
            else {}
        )
    return [
        (p.visitor_key, _place_event(p.position, p.minutes, languages.get(p.visitor_key, "en")))
        for p in places
    ]


def _queue_event(session: Session, chat: ChatSession) -> LiveEvent | None:
    if chat.state != "queued" or not chat.team_slug:
        return None
    for place in queue_places(session, chat.team_slug):
        if place.visitor_key == chat.visitor_key:
            return _place_event(place.position, place.minutes, chat.language)
    return None


def _place_event(position: int, minutes: int | None, lang: str) -> LiveEvent:
    shown = minutes if minutes is not None else "?"
    return {
        "type": "queue",
        "position": position,
        "minutes": minutes,
        "text": t("chat.widget.queue", lang, position=position, minutes=shown),
    }


def mark_customer_read(session: Session, visitor: Visitor, seq: int) -> int | None:
    """Record what the customer has read; the chat's ticket id if it moved forward."""
    chat = find_chat(session, visitor)
    if chat is None or seq <= chat.customer_read_seq:
        return None
    chat.customer_read_seq = seq
    return chat.ticket_id
