"""One contract, every LiveHub: memory (one process), peers (processes of one machine)
and Redis (many machines)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kefu.live.hub import LiveHub, MemoryLiveHub
from kefu.live.peers import PeerLiveHub
from kefu.live.redis import RedisLiveHub
from tests.conftest import REDIS_URL

HubFactory = Callable[[], LiveHub]


@pytest.fixture(params=["memory", "peers", pytest.param("redis", marks=pytest.mark.redis)])
def make_hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HubFactory]:
    if request.param == "memory":
        shared = MemoryLiveHub()  # one process: publisher and subscriber share the hub
        yield lambda: shared
    elif request.param == "peers":
        made: list[PeerLiveHub] = []

        def peer() -> LiveHub:  # each call is like another process
            made.append(PeerLiveHub(tmp_path))
            return made[-1]

        yield peer
        for hub in made:
            hub.close()
    else:
        yield lambda: RedisLiveHub(REDIS_URL)  # each call is like another process


def test_a_subscriber_gets_events_of_its_topic_in_order(make_hub: HubFactory) -> None:
    async def scenario() -> list[str]:
        publisher, subscriber = make_hub(), make_hub()
        async with subscriber.subscribe("agents") as queue:
            await asyncio.sleep(0.05)
            publisher.publish("agents", {"type": "ticket.created", "ticket": "KF-100001"})
            publisher.publish("other", {"type": "ignored"})
            publisher.publish("agents", {"type": "message.created", "ticket": "KF-100001"})
            first = await asyncio.wait_for(queue.get(), 2)
            second = await asyncio.wait_for(queue.get(), 2)
            return [first["type"], second["type"]]

    assert asyncio.run(scenario()) == ["ticket.created", "message.created"]


def test_publishing_from_a_worker_thread_reaches_the_event_loop(make_hub: HubFactory) -> None:
    async def scenario() -> str:
        hub = make_hub()
        async with hub.subscribe("agents") as queue:
            await asyncio.sleep(0.05)
            await asyncio.to_thread(hub.publish, "agents", {"type": "from-thread"})
            event = await asyncio.wait_for(queue.get(), 2)
            return str(event["type"])

    assert asyncio.run(scenario()) == "from-thread"
