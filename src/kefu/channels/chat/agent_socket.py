"""The agent chat console's WebSocket: the queue and the agent's chats, live."""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress

import anyio.to_thread
from pydantic import ValidationError

from kefu.auth.agents import AgentPrincipal
from kefu.channels.chat import console
from kefu.channels.chat.frames import (
    AGENT_FRAME,
    Accept,
    AgentRead,
    AgentTyping,
    End,
    Open,
    Presence,
    Refresh,
    Reply,
)
from kefu.channels.chat.idle import IdleDeadline
from kefu.channels.chat.socket import FrameSocket, publish_queue
from kefu.channels.chat.topics import QUEUE_TOPIC, internal_topic, public_topic
from kefu.errors import KefuError
from kefu.i18n import t
from kefu.live.hub import LiveEvent
from kefu.services import Services

IDLE_TIMEOUT_SECONDS = 65
PRESENCE_TOUCH_SECONDS = 60


class _Follower:
    """One socket following many topics: a task per topic feeds one inbox."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.inbox: asyncio.Queue[tuple[str, LiveEvent]] = asyncio.Queue()
        self.tasks: dict[str, asyncio.Task[None]] = {}

    async def follow(self, topic: str, label: str) -> None:
        if topic in self.tasks:
            return
        ready = asyncio.Event()
        self.tasks[topic] = asyncio.create_task(self._pump(topic, label, ready))
        await asyncio.wait_for(ready.wait(), 5)

    async def _pump(self, topic: str, label: str, ready: asyncio.Event) -> None:
        async with self.services.live.subscribe(topic) as queue:
            ready.set()
            while True:
                self.inbox.put_nowait((label, await queue.get()))

    async def close(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        for task in self.tasks.values():
            with suppress(asyncio.CancelledError, Exception):
                await task


async def serve_agent(
    ws: FrameSocket, services: Services, principal: AgentPrincipal, lang: str
) -> None:
    follower = _Follower(services)
    try:
        await follower.follow(QUEUE_TOPIC, "")
        state = await anyio.to_thread.run_sync(console.console_state, services, principal)
        for row in state["mine"]:
            await _follow_chat(follower, row["visitor"], row["ticket"])
        await ws.send_json(state)
        forward = asyncio.create_task(_forward(ws, services, principal, follower))
        try:
            await _read_frames(ws, services, principal, follower, lang)
        finally:
            forward.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await forward
    finally:
        await follower.close()


async def _follow_chat(follower: _Follower, visitor_key: str, number: str) -> None:
    await follower.follow(public_topic(visitor_key), number)
    await follower.follow(internal_topic(visitor_key), number)


async def _forward(
    ws: FrameSocket, services: Services, principal: AgentPrincipal, follower: _Follower
) -> None:
    while True:
        label, event = await follower.inbox.get()
        if event.get("type") == "queue.changed":
            await ws.send_json(
                await anyio.to_thread.run_sync(console.console_state, services, principal)
            )
            continue
        if event.get("type") == "queue" or event.get("from") == "agent":
            continue  # customers' positions, and agents' own typing
        await ws.send_json({**event, "ticket": label})


async def _read_frames(
    ws: FrameSocket, services: Services, principal: AgentPrincipal, follower: _Follower, lang: str
) -> None:
    touched = 0.0
    async with IdleDeadline(IDLE_TIMEOUT_SECONDS) as idle:
        while True:
            raw = await ws.receive_text()
            idle.touch()
            try:
                frame = AGENT_FRAME.validate_json(raw)
            except ValidationError:
                message = t("chat.error.bad_frame", lang)
                await ws.send_json({"type": "error", "code": "bad_frame", "message": message})
                continue
            try:
                await _handle(ws, services, principal, follower, frame)
            except KefuError as exc:
                message = t(exc.message_key, lang, **exc.params)
                await ws.send_json({"type": "error", "code": exc.code, "message": message})
            if time.monotonic() - touched > PRESENCE_TOUCH_SECONDS:
                touched = time.monotonic()
                await services.db.run_write(console.touch_presence, services, principal)


async def _handle(
    ws: FrameSocket,
    services: Services,
    principal: AgentPrincipal,
    follower: _Follower,
    frame: object,
) -> None:
    if isinstance(frame, Presence):
        await services.db.run_write(console.set_presence, services, principal, frame.presence)
        await ws.send_json(
            await anyio.to_thread.run_sync(console.console_state, services, principal)
        )
        for team in ("support", "security", "api", "business"):
            await publish_queue(services, team)  # estimates depend on who is online
    elif isinstance(frame, Open):
        opened = await anyio.to_thread.run_sync(
            console.open_chat, services, principal, frame.ticket
        )
        await _follow_chat(follower, opened["visitor"], frame.ticket)
        await ws.send_json(opened)
    elif isinstance(frame, Accept):
        outcome = await services.db.run_write(console.accept, services, principal, frame.ticket)
        await _follow_chat(follower, outcome.visitor_key, frame.ticket)
        await _publish(services, outcome)
        await ws.send_json(
            await anyio.to_thread.run_sync(console.open_chat, services, principal, frame.ticket)
        )
    elif isinstance(frame, Reply):
        outcome = await services.db.run_write(
            console.reply, services, principal, frame.ticket, frame.text, frame.internal
        )
        await _publish(services, outcome)
    elif isinstance(frame, AgentTyping):
        key = await anyio.to_thread.run_sync(console.visitor_of, services, principal, frame.ticket)
        services.live.publish(
            public_topic(key), {"type": "typing", "from": "agent", "on": frame.on}
        )
    elif isinstance(frame, AgentRead):
        moved = await services.db.run_write(
            console.mark_agent_read, services, principal, frame.ticket, frame.seq
        )
        if moved is not None:
            services.live.publish(
                public_topic(moved), {"type": "read", "from": "agent", "seq": frame.seq}
            )
    elif isinstance(frame, End):
        outcome = await services.db.run_write(console.end, services, principal, frame.ticket)
        await _publish(services, outcome)
        await ws.send_json(
            await anyio.to_thread.run_sync(console.console_state, services, principal)
        )
    elif isinstance(frame, Refresh):
        await ws.send_json(
            await anyio.to_thread.run_sync(console.console_state, services, principal)
        )
    else:
        await ws.send_json({"type": "pong"})


async def _publish(services: Services, outcome: console.Outcome) -> None:
    for event in outcome.public:
        services.live.publish(public_topic(outcome.visitor_key), event)
    for event in outcome.internal:
        services.live.publish(internal_topic(outcome.visitor_key), event)
    if outcome.team:
        await publish_queue(services, outcome.team)
