"""Live events across processes through Redis pub/sub. See `LiveHub`.

Every web process publishes to and subscribes from the same channels, so an agent
connected to node A sees a message that arrived on node B.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import redis
import redis.asyncio as aioredis

from kefu.live.hub import LiveEvent

log = logging.getLogger(__name__)
PREFIX = "kefu:live:"


class RedisLiveHub:
    """See `LiveHub`."""

    def __init__(self, url: str, queue_size: int = 1000) -> None:
        self.url = url
        self._publisher = redis.Redis.from_url(url)
        self._queue_size = queue_size

    def publish(self, topic: str, event: LiveEvent) -> None:
        try:
            self._publisher.publish(PREFIX + topic, json.dumps(event, ensure_ascii=False))
        except redis.RedisError as exc:
            # Live events are a convenience on top of committed data: never fail the write.
            log.warning("live event not published (%s): %s", topic, type(exc).__name__)

    def close(self) -> None:
        self._publisher.close()

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[asyncio.Queue[LiveEvent]]:
        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        await pubsub.subscribe(PREFIX + topic)
        queue: asyncio.Queue[LiveEvent] = asyncio.Queue(self._queue_size)
        reader = asyncio.create_task(_pump(pubsub, queue))
        try:
            yield queue
        finally:
            reader.cancel()
            with suppress(asyncio.CancelledError):
                await reader
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]
            await client.aclose()


async def _pump(pubsub: aioredis.client.PubSub, queue: asyncio.Queue[LiveEvent]) -> None:
    async for message in pubsub.listen():
        if message.get("type") != "message":
            continue
        event = json.loads(message["data"])
        if queue.full():
            queue.get_nowait()
        queue.put_nowait(event)
