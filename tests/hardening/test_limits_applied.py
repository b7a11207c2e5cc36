"""Limits at the edges: customer ticket creation (API and portal share the counters) and
chat messages per conversation and per client address."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from kefu.services import Services
from tests.conftest import identity_token
from tests.trust.actors import CSRF, cookie_customer

NEW_TICKET = {"category": "trading", "subject": "Order stuck", "description": "Please help"}


def _bearer(uid: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {identity_token(uid, f'{uid}@example.com')}"}


def test_a_customer_opening_tickets_too_fast_gets_429_with_a_bilingual_message(
    client: TestClient,
) -> None:
    headers = _bearer("70000001")
    for _ in range(3):
        assert client.post("/api/v1/tickets", json=NEW_TICKET, headers=headers).status_code == 201
    en = client.post(
        "/api/v1/tickets", json=NEW_TICKET, headers={**headers, "Accept-Language": "en"}
    )
    assert en.status_code == 429
    assert en.json()["code"] == "rate_limited"
    assert "opening tickets too fast" in en.json()["message"]
    assert int(en.headers["Retry-After"]) >= 1
    assert f"{en.headers['Retry-After']} seconds" in en.json()["message"]
    zh = client.post(
        "/api/v1/tickets", json=NEW_TICKET, headers={**headers, "Accept-Language": "zh-CN"}
    )
    assert zh.status_code == 429 and "提交工单太频繁" in zh.json()["message"]


def test_the_address_limit_covers_many_customers_from_one_place(client: TestClient) -> None:
    statuses = [
        client.post("/api/v1/tickets", json=NEW_TICKET, headers=_bearer(f"7100000{i}")).status_code
        for i in range(5)
    ]
    assert statuses == [201, 201, 201, 201, 429]


def test_the_portal_form_shares_the_counters_and_renders_the_error(
    client: TestClient, services: Services
) -> None:
    cookie_customer(client, services, "verified")
    form = {"category": "trading", "subject": "Deposit", "description": "Missing", "csrf": CSRF}
    codes = []
    for i in range(4):
        response = client.post(
            "/portal/tickets/new",
            data={**form, "submission_id": f"s{i}"},
            headers={"Accept": "text/html", "Accept-Language": "en"},
            follow_redirects=False,
        )
        codes.append(response.status_code)
    assert codes == [303, 303, 303, 429]
    assert "opening tickets too fast" in response.text
    assert int(response.headers["Retry-After"]) >= 1


def _hello(ws: Any) -> None:
    ws.send_text(json.dumps({"type": "hello", "lang": "en"}))
    while ws.receive_json()["type"] != "welcome":
        pass


def _say(ws: Any, client_id: str) -> dict[str, Any]:
    ws.send_text(json.dumps({"type": "message", "client_id": client_id, "text": "hello?"}))
    while True:
        frame: dict[str, Any] = ws.receive_json()
        if frame["type"] in ("ack", "error") and frame.get("client_id") == client_id:
            return frame


def test_chat_messages_are_limited_per_conversation_with_the_protocol_error_frame(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        _hello(ws)
        frames = [_say(ws, f"c{i}") for i in range(6)]
    assert [f["type"] for f in frames] == ["ack"] * 5 + ["error"]
    assert frames[5]["code"] == "rate_limited"
    assert "Wait" in frames[5]["message"] and "seconds" in frames[5]["message"]


def test_chat_messages_are_limited_per_client_address_across_conversations(
    client: TestClient,
) -> None:
    with (
        client.websocket_connect("/ws/chat") as first,
        client.websocket_connect("/ws/chat") as second,
    ):
        _hello(first)
        _hello(second)
        frames = [_say(first, f"a{i}") for i in range(4)]
        frames += [_say(second, f"b{i}") for i in range(4)]
    assert [f["type"] for f in frames] == ["ack"] * 7 + ["error"]
