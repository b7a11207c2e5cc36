"""Chat fixtures: the help center loaded (the bot answers from it), an agent on the support
team with a console session, and a widget client speaking the protocol."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from kefu.auth.agents import create_agent, start_session
from kefu.kb.folder import seed_articles
from kefu.services import Services
from kefu.web.deps import AGENT_COOKIE
from kefu.work.policies import ensure_default_sla_policies


@pytest.fixture
def chat_services(services: Services) -> Services:
    seed_articles(services)
    ensure_default_sla_policies(services)
    return services


@pytest.fixture
def chat_client(chat_services: Services, client: TestClient) -> TestClient:
    return client


class Widget:
    """One widget connection: sends frames, collects what the server says."""

    def __init__(self, ws: WebSocketTestSession) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []

    def send(self, frame: dict[str, Any]) -> None:
        self.ws.send_text(json.dumps(frame))

    def hello(self, **fields: Any) -> dict[str, Any]:
        self.send({"type": "hello", **fields})
        return self.until("welcome")

    def say(self, client_id: str, text: str, **fields: Any) -> dict[str, Any]:
        self.send({"type": "message", "client_id": client_id, "text": text, **fields})
        return self.until("ack", "error")

    def until(self, *types: str, where: Any = None) -> dict[str, Any]:
        for _ in range(200):
            event: dict[str, Any] = self.ws.receive_json()
            self.seen.append(event)
            if event["type"] in types and (where is None or where(event)):
                return event
        raise AssertionError(f"no {types} frame")

    def bot_reply(self) -> dict[str, Any]:
        return self.until("message", where=lambda e: e["author"] == "bot")


@pytest.fixture
def open_widget(chat_client: TestClient) -> Iterator[Any]:
    sockets: list[Any] = []

    def connect(headers: dict[str, str] | None = None) -> Widget:
        context = chat_client.websocket_connect("/ws/chat", headers=headers or {})
        ws = context.__enter__()
        sockets.append(context)
        return Widget(ws)

    yield connect
    for context in reversed(sockets):
        context.__exit__(None, None, None)


@pytest.fixture
def alice_cookie(chat_services: Services) -> str:
    with chat_services.db.write() as session:
        agent = create_agent(
            session, "alice@example.com", "Alice", "alice-pass-123", "agent", "support"
        )
        return start_session(session, agent)


@pytest.fixture
def carol_cookie(chat_services: Services) -> str:
    with chat_services.db.write() as session:
        agent = create_agent(
            session, "carol@example.com", "Carol", "carol-pass-123", "security", "security"
        )
        return start_session(session, agent)


def agent_console(client: TestClient, cookie: str) -> Any:
    client.cookies.set(AGENT_COOKIE, cookie)
    return client.websocket_connect("/ws/agent-chat", headers={"origin": "http://testserver"})
