"""The emergency freeze from the chat widget: the same playbook as the portal's button."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.testclient import WebSocketTestSession

from kefu.auth.customer_tokens import sign_identity_token
from kefu.services import Services
from kefu.store.models import AccountAction
from tests.conftest import IDENTITY_SECRET
from tests.exchange.server import ServedExchange


def _next(ws: WebSocketTestSession, *types: str) -> dict[str, Any]:
    for _ in range(50):
        event: dict[str, Any] = ws.receive_json()
        if event["type"] in types:
            return event
    raise AssertionError(f"no {types} frame")


def _freeze(ws: WebSocketTestSession, client_id: str) -> dict[str, Any]:
    ws.send_text(json.dumps({"type": "freeze", "client_id": client_id, "note": "not me"}))
    return _next(ws, "frozen", "error")


def test_a_verified_customer_freezes_from_the_widget_once(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    token = sign_identity_token(IDENTITY_SECRET, "10000003", "zhangwei@example.com", "张伟")
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_text(json.dumps({"type": "hello", "token": token, "lang": "en"}))
        _next(ws, "welcome")
        frozen = _freeze(ws, "f1")
        again = _freeze(ws, "f1")  # the widget resent it after a blip

    assert frozen["type"] == "frozen" and frozen["status"] == "done"
    assert "frozen" in frozen["text"] and frozen["ticket"] in frozen["text"]
    assert again["ticket"] == frozen["ticket"]
    assert exchange.exchange.accounts["10000003"].status == "frozen"
    assert len(exchange.exchange.applied) == 1  # exactly once at the exchange
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(AccountAction)) == 1


def test_an_anonymous_visitor_cannot_freeze_anything(
    client: TestClient, exchange: ServedExchange
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_text(json.dumps({"type": "hello", "lang": "zh-Hans"}))
        _next(ws, "welcome")
        refused = _freeze(ws, "f1")

    assert refused["type"] == "error" and refused["client_id"] == "f1" and refused["message"]
    assert not exchange.exchange.applied
