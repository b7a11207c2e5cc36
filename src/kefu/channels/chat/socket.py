"""The widget's WebSocket, frame by frame (docs/chat-protocol.md).

Order of a message: ingest commits → `ack` to the sender → live events published. A
reconnect (to any process) sends `hello` with the session token and the last seq it
holds; everything after it comes from the database.
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import suppress
from functools import partial
from typing import Any, Protocol

import anyio.to_thread
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from kefu.categories import CATEGORIES
from kefu.channels.chat.conversation import (
    Delivery,
    mark_customer_read,
    queue_events,
    receive_message,
    snapshot,
)
from kefu.channels.chat.frames import (
    CUSTOMER_FRAME,
    MAX_TEXT_CHARS,
    Freeze,
    Hello,
    Rate,
    Read,
    Say,
    Transcript,
    Typing,
)
from kefu.channels.chat.idle import IdleDeadline
from kefu.channels.chat.survey import rate_in_chat
from kefu.channels.chat.topics import QUEUE_TOPIC, internal_topic, public_topic
from kefu.channels.chat.transcript import request_transcript
from kefu.channels.chat.visitor import (
    Visitor,
    identify_visitor,
    new_visitor_key,
    session_token,
    visitor_key_from,
)
from kefu.errors import KefuError
from kefu.i18n import t
from kefu.live.hub import LiveEvent
from kefu.services import Services
from kefu.store.models import ChatSession
from kefu.trust.playbooks import emergency_freeze

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 20  # the client pings this often
IDLE_TIMEOUT_SECONDS = 65  # nothing at all for this long: the connection is gone
HELLO_TIMEOUT_SECONDS = 15
MAX_UNECHOED = 64


class FrameSocket(Protocol):
    async def send_json(self, data: Any, mode: str = "text") -> None: ...
    async def receive_text(self) -> str: ...


class ClientGone(Exception):
    pass


async def serve_customer(ws: FrameSocket, services: Services, address: str = "unknown") -> None:
    """`address` is the client's, for the per-address message limit."""
    hello = await _hello(ws)
    visitor = await anyio.to_thread.run_sync(_visitor_for, services, hello)
    sent: set[int] = set()  # seqs this socket told its client itself (its message and answer)
    async with services.live.subscribe(public_topic(visitor.key)) as events:
        await _welcome(ws, services, visitor, hello.last_seq)
        forward = asyncio.create_task(_forward(ws, events, sent))
        try:
            await _read_frames(ws, services, visitor, address, sent)
        finally:
            forward.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await forward


async def _hello(ws: FrameSocket) -> Hello:
    raw = await asyncio.wait_for(ws.receive_text(), HELLO_TIMEOUT_SECONDS)
    frame = CUSTOMER_FRAME.validate_json(raw)
    if not isinstance(frame, Hello):
        raise ClientGone("the first frame must be hello")
    return frame


def _visitor_for(services: Services, hello: Hello) -> Visitor:
    """The session token's conversation, unless it belongs to someone else (then a new one)."""
    settings = services.settings
    key = visitor_key_from(settings, hello.session) or new_visitor_key()
    visitor = identify_visitor(settings, hello.token, key, hello.lang)
    with services.db.read() as session:
        owner = session.execute(
            select(ChatSession.customer_uid).where(ChatSession.visitor_key == key)
        ).first()
    if owner is not None and owner[0] != visitor.uid:
        visitor = identify_visitor(settings, hello.token, new_visitor_key(), hello.lang)
    return visitor


async def _welcome(ws: FrameSocket, services: Services, visitor: Visitor, last_seq: int) -> None:
    snap = await anyio.to_thread.run_sync(snapshot, services, visitor, last_seq)
    lang = visitor.language
    brand = services.settings.brand_name_zh if lang == "zh-Hans" else services.settings.brand_name
    await ws.send_json(
        {
            "type": "welcome",
            "session": session_token(services.settings, visitor.key),
            "trust": visitor.sender.trust.value,
            "notice": t(visitor.notice, lang) if visitor.notice else None,
            "greeting": t("chat.welcome", lang, brand=brand),
            "lang": lang,
            "state": snap.state,
            "ticket": snap.ticket,
            "category": snap.category,
            "categories": [{"slug": c.slug, "name": c.name(lang)} for c in CATEGORIES],
            "agent_read_seq": snap.agent_read_seq,
            "heartbeat_seconds": HEARTBEAT_SECONDS,
            "max_text_chars": MAX_TEXT_CHARS,
            "max_image_bytes": services.settings.max_attachment_bytes,
        }
    )
    for event in snap.messages:
        await ws.send_json(event)
    if snap.queue is not None:
        await ws.send_json(snap.queue)


async def _forward(ws: FrameSocket, events: asyncio.Queue[LiveEvent], sent: set[int]) -> None:
    while True:
        event = await events.get()
        if event.get("from") == "customer":
            continue  # our own typing and read receipts
        if event["type"] == "message" and event["seq"] in sent:
            sent.discard(event["seq"])  # `_say` gave it to the client already
            continue
        await ws.send_json(event)


async def _read_frames(
    ws: FrameSocket, services: Services, visitor: Visitor, address: str, sent: set[int]
) -> None:
    async with IdleDeadline(IDLE_TIMEOUT_SECONDS) as idle:
        while True:
            raw = await ws.receive_text()
            idle.touch()
            await _handle_frame(ws, services, visitor, address, sent, raw)


async def _handle_frame(
    ws: FrameSocket, services: Services, visitor: Visitor, address: str, sent: set[int], raw: str
) -> None:
    try:
        frame = CUSTOMER_FRAME.validate_json(raw)
    except ValidationError:
        await _error(ws, visitor, "bad_frame", "chat.error.bad_frame", _client_id(raw))
        return
    if isinstance(frame, Say):
        limits = services.limits
        wait = services.limiter.allow(limits.chat_session, "visitor:" + visitor.key)
        wait = max(wait, services.limiter.allow(limits.chat_ip, "ip:" + address))
        if wait:
            message = "hardening.chat_rate_limited"
            await _error(ws, visitor, "rate_limited", message, frame.client_id, seconds=wait)
            return
        await _say(ws, services, visitor, frame, sent)
    elif isinstance(frame, Typing):
        services.live.publish(
            public_topic(visitor.key), {"type": "typing", "from": "customer", "on": frame.on}
        )
    elif isinstance(frame, Read):
        await _read(services, visitor, frame)
    elif isinstance(frame, Transcript):
        await _transcript(ws, services, visitor, frame)
    elif isinstance(frame, Rate):
        await _rate(ws, services, visitor, frame)
    elif isinstance(frame, Freeze):
        await _freeze(ws, services, visitor, frame)
    elif frame.type == "ping":
        await ws.send_json({"type": "pong"})


async def _say(
    ws: FrameSocket, services: Services, visitor: Visitor, say: Say, sent: set[int]
) -> None:
    try:
        delivery = await receive_message(services, visitor, say)
    except KefuError as exc:
        await _error(ws, visitor, exc.code, exc.message_key, say.client_id, **exc.params)
        return
    except OperationalError:
        # Locked or down: not acknowledged, so the widget sends the same client id again.
        await _error(ws, visitor, "unavailable", "chat.error.unavailable", say.client_id)
        return
    ack = {
        "type": "ack",
        "client_id": say.client_id,
        "seq": delivery.seq,
        "ticket": delivery.ticket,
    }
    stored = delivery.events[0]["text"] if delivery.events else None
    if stored is not None and stored != say.text.strip():
        ack["text"] = stored  # the shield hid something: the widget shows what was kept
    await ws.send_json(ack)
    # The sender hears its answer (the bot's turn) straight away, not one loop turn later
    # through the hub; its own message needs no echo: the ack stands for it.
    for event in delivery.events[1:]:
        await ws.send_json(event)
    if len(sent) > MAX_UNECHOED:
        sent.clear()  # echoes lost on the way (a hub dropped them): a repeat is harmless
    sent.update(event["seq"] for event in delivery.events)
    await publish_delivery(services, visitor.key, delivery)


async def publish_delivery(services: Services, visitor_key: str, delivery: Delivery) -> None:
    for event in delivery.events:
        services.live.publish(public_topic(visitor_key), event)
    for event in delivery.internal:
        services.live.publish(internal_topic(visitor_key), event)
    if delivery.queue_changed:
        await publish_queue(services, delivery.queue_changed)


async def publish_queue(services: Services, team_slug: str) -> None:
    """Tell everyone waiting in the team's queue where they stand now, and the consoles."""
    places = await anyio.to_thread.run_sync(queue_events, services, team_slug)
    for visitor_key, event in places:
        services.live.publish(public_topic(visitor_key), event)
    services.live.publish(QUEUE_TOPIC, {"type": "queue.changed", "team": team_slug})


async def _read(services: Services, visitor: Visitor, frame: Read) -> None:
    marking = partial(mark_customer_read, visitor=visitor, seq=frame.seq)
    moved = await services.db.write_unit(marking)
    if moved is not None:
        services.live.publish(
            public_topic(visitor.key), {"type": "read", "from": "customer", "seq": frame.seq}
        )


async def _transcript(
    ws: FrameSocket, services: Services, visitor: Visitor, frame: Transcript
) -> None:
    try:
        await services.db.run_write(
            request_transcript, services, visitor.key, visitor.uid, frame.email
        )
    except KefuError as exc:
        await _error(ws, visitor, exc.code, exc.message_key, None, **exc.params)
        return
    await ws.send_json({"type": "notice", "text": t("chat.transcript_queued", visitor.language)})


async def _rate(ws: FrameSocket, services: Services, visitor: Visitor, frame: Rate) -> None:
    try:
        rated = await services.db.run_write(rate_in_chat, services, visitor, frame)
    except KefuError as exc:
        await _error(ws, visitor, exc.code, exc.message_key, None, **exc.params)
        return
    await ws.send_json(rated)


async def _freeze(ws: FrameSocket, services: Services, visitor: Visitor, frame: Freeze) -> None:
    """Anonymous visitors are refused (the playbook checks the identity token)."""
    freeze = partial(
        emergency_freeze,
        services,
        visitor.sender,
        note=frame.note,
        key=f"chat:{visitor.key}:{frame.client_id}",
        language=visitor.language,
    )
    try:
        outcome = await anyio.to_thread.run_sync(freeze)
    except KefuError as exc:
        await _error(ws, visitor, exc.code, exc.message_key, frame.client_id, **exc.params)
        return
    done = outcome.status == "done"
    await ws.send_json(
        {
            "type": "frozen",
            "client_id": frame.client_id,
            "status": outcome.status,
            "ticket": outcome.ticket_number,
            "text": t(
                "chat.freeze_done" if done else "chat.freeze_pending",
                visitor.language,
                ticket=outcome.ticket_number or "",
            ),
        }
    )


async def _error(
    ws: FrameSocket, visitor: Visitor, code: str, key: str, client_id: str | None, **params: object
) -> None:
    await ws.send_json(
        {
            "type": "error",
            "code": code,
            "client_id": client_id,
            "message": t(key, visitor.language, **params),
        }
    )


def _client_id(raw: str) -> str | None:
    with suppress(ValueError, AttributeError):
        value = json.loads(raw).get("client_id")
        return str(value)[:64] if value else None
    return None
