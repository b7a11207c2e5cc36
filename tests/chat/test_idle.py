"""A silent connection is closed; one that keeps talking is not (docs/chat-protocol.md)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from kefu.channels.chat import socket
from kefu.channels.chat.idle import IdleDeadline


async def _talk_then_fall_silent(seconds: float, frames: int, gap: float) -> float:
    """Touches `frames` times `gap` apart, then waits; returns when the deadline struck."""
    async with IdleDeadline(seconds) as idle:
        for _ in range(frames):
            await asyncio.sleep(gap)
            idle.touch()
        await asyncio.sleep(60)
    raise AssertionError("the deadline never struck")


def test_a_connection_that_keeps_talking_stays_and_a_silent_one_times_out() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        asyncio.run(_talk_then_fall_silent(0.2, frames=6, gap=0.1))
    elapsed = time.monotonic() - started
    # Alive through 0.6 s of frames 0.1 s apart (three times the deadline), then closed
    # about 0.2 s after the last one.
    assert 0.75 <= elapsed < 2.0


def test_one_timer_is_armed_per_silent_period_not_per_frame() -> None:
    async def count_timers() -> int:
        loop = asyncio.get_running_loop()
        armed = 0
        call_at = loop.call_at

        def counting(when: float, callback: Any, *args: Any, **kwargs: Any) -> Any:
            nonlocal armed
            armed += getattr(callback, "__func__", None) is IdleDeadline._check
            return call_at(when, callback, *args, **kwargs)

        loop.call_at = counting  # type: ignore[method-assign,assignment]
        async with IdleDeadline(0.15) as idle:
            for _ in range(30):  # 30 frames in 0.3 s: two deadlines' worth
                await asyncio.sleep(0.01)
                idle.touch()
        return armed

    assert asyncio.run(count_timers()) <= 4


def test_a_silent_widget_is_closed_with_the_idle_code(
    open_widget: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "IDLE_TIMEOUT_SECONDS", 0.3)
    widget = open_widget()
    widget.hello()
    for _ in range(4):  # heartbeats keep it open past the deadline
        time.sleep(0.15)
        widget.send({"type": "ping"})
        assert widget.until("pong")["type"] == "pong"
    with pytest.raises(WebSocketDisconnect) as closed:
        widget.until("never")
    assert closed.value.code == 4408
