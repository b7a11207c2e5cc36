"""Fan-out of live events: in-process by default (Redis pub/sub for many processes).

Publishers may be worker threads; subscribers are asyncio tasks. `publish` is
thread-safe and never blocks: a slow subscriber loses its oldest events, not the
publisher's time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

LiveEvent = dict[str, Any]
Subscriber = tuple[asyncio.AbstractEventLoop, asyncio.Queue[LiveEvent]]


class LiveHub(Protocol):
    def publish(self, topic: str, event: LiveEvent) -> None:
        """Deliver `event` to every current subscriber of `topic`."""

    def subscribe(self, topic: str) -> Any:
        """Async context manager yielding an asyncio.Queue of events for `topic`."""

    def close(self) -> None:
        """Release what the hub holds (connections, sockets)."""


class MemoryLiveHub:
    """See `LiveHub`. One process only."""

    def __init__(self, queue_size: int = 1000) -> None:
        self._subscribers: dict[
            str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[LiveEvent]]]
        ] = {}
        self._lock = threading.Lock()
        self._queue_size = queue_size

    def publish(self, topic: str, event: LiveEvent) -> None:
        with self._lock:
            targets = list(self._subscribers.get(topic, ()))
        for loop, queue in targets:
            loop.call_soon_threadsafe(_put_dropping_oldest, queue, event)

    def close(self) -> None:
        pass  # nothing outside this process

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[asyncio.Queue[LiveEvent]]:
        queue: asyncio.Queue[LiveEvent] = asyncio.Queue(self._queue_size)
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.setdefault(topic, set()).add(entry)
        try:
            yield queue
        finally:
            with self._lock:
                self._subscribers.get(topic, set()).discard(entry)


def _put_dropping_oldest(queue: asyncio.Queue[LiveEvent], event: LiveEvent) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(event)
