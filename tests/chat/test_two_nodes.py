"""Two kefu nodes share one database and talk through Redis: a customer connected to node A
and an agent connected to node B see each other live (DESIGN.md: any node, any socket)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kefu.services import Services, build_services
from kefu.web.app import create_app
from tests.chat.conftest import Widget, agent_console
from tests.conftest import REDIS_URL

pytestmark = pytest.mark.redis


@pytest.fixture
def two_nodes(chat_services: Services) -> Iterator[tuple[TestClient, TestClient]]:
    settings = chat_services.settings.model_copy(update={"redis_url": REDIS_URL})
    node_a, node_b = build_services(settings), build_services(settings)
    assert node_a.live is not node_b.live  # nothing shared in memory
    with (
        TestClient(create_app(settings, node_a)) as a,
        TestClient(create_app(settings, node_b)) as b,
    ):
        yield a, b
    node_a.db.engine.dispose()
    node_b.db.engine.dispose()


def _until(console: Any, kind: str, where: Any = None) -> dict[str, Any]:
    for _ in range(200):
        event: dict[str, Any] = console.receive_json()
        if event["type"] == kind and (where is None or where(event)):
            return event
    raise AssertionError(f"no {kind} frame")


def test_a_customer_on_node_a_and_an_agent_on_node_b_converse_live(
    two_nodes: tuple[TestClient, TestClient], alice_cookie: str
) -> None:
    node_a, node_b = two_nodes
    with node_a.websocket_connect("/ws/chat") as socket:
        widget = Widget(socket)
        widget.hello(lang="zh-Hans")
        number = widget.say("h", "转人工")["ticket"]
        widget.until("queue")
        with agent_console(node_b, alice_cookie) as console:
            console.receive_json()
            console.send_json({"type": "presence", "presence": "online"})
            _until(console, "console")
            console.send_json({"type": "accept", "ticket": number})
            _until(console, "chat")
            console.send_json({"type": "reply", "ticket": number, "text": "您好，我在 B 节点"})
            reply = widget.until("message", where=lambda e: e["author"] == "agent")
            assert reply["text"] == "您好，我在 B 节点"
            widget.say("c2", "收到，谢谢")
            seen = _until(console, "message", where=lambda e: e["author"] == "customer")
            assert seen["text"] == "收到，谢谢"
