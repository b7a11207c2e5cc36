"""Live events between the web processes of one machine, without Redis."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kefu.live.peers import PeerLiveHub


async def _next(queue: asyncio.Queue[dict[str, object]]) -> dict[str, object]:
    return await asyncio.wait_for(queue.get(), timeout=5)


def test_an_event_published_in_one_process_reaches_subscribers_in_another(tmp_path: Path) -> None:
    node_a, node_b = PeerLiveHub(tmp_path), PeerLiveHub(tmp_path)  # as two processes would

    async def scenario() -> tuple[dict[str, object], dict[str, object]]:
        async with node_a.subscribe("agents") as on_a, node_b.subscribe("agents") as on_b:
            node_a.publish("agents", {"type": "ticket.created", "ticket": "KF-100001"})
            return await _next(on_a), await _next(on_b)

    try:
        local, remote = asyncio.run(scenario())
    finally:
        node_a.close()
        node_b.close()
    assert local == remote == {"type": "ticket.created", "ticket": "KF-100001"}


def test_a_process_that_went_away_is_forgotten(tmp_path: Path) -> None:
    survivor = PeerLiveHub(tmp_path)
    crashed = tmp_path / "kefu-live-999999-0123456789ab"
    crashed.touch()  # what a killed process leaves behind: a marker, nobody listening

    survivor.publish("agents", {"type": "ping"})

    assert not crashed.exists()
    survivor.close()
    assert list(tmp_path.iterdir()) == []
