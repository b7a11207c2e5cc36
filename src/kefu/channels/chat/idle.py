"""Closing a connection that has gone silent, without a timer for every frame."""

from __future__ import annotations

import asyncio
from types import TracebackType


class IdleDeadline:
    """`async with IdleDeadline(65) as idle:` raises TimeoutError in the task once
    `idle.touch()` has not been called for 65 seconds.

    `asyncio.timeout` around each receive would arm and cancel a timer per frame: with
    10,000 idle widgets sending heartbeats, those timers were a third of the objects each
    heartbeat left for the garbage collector. Here one timer fires per period of silence
    and, if a frame came meanwhile, re-arms for the new deadline.
    """

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._timeout = asyncio.timeout(None)
        self._loop = asyncio.get_running_loop()
        self._last = self._loop.time()
        self._timer: asyncio.TimerHandle | None = None

    async def __aenter__(self) -> IdleDeadline:
        await self._timeout.__aenter__()
        self.touch()
        self._timer = self._loop.call_at(self._last + self._seconds, self._check)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        await self._timeout.__aexit__(kind, error, traceback)

    def touch(self) -> None:
        """A frame arrived: the connection is alive for another `seconds`."""
        self._last = self._loop.time()

    def _check(self) -> None:
        expires = self._last + self._seconds
        if self._loop.time() < expires:
            self._timer = self._loop.call_at(expires, self._check)
        else:
            self._timeout.reschedule(expires)  # already past: cancels the task (TimeoutError)
