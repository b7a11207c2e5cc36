"""REST API v1 for customers: the contract exchanges integrate against."""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from kefu.services import Services
from kefu.store.models import Ticket
from tests.conftest import identity_token

NEW_TICKET = {
    "category": "deposit_withdrawal",
    "subject": "USDT 充值未到账",
    "description": "TxID abc",
}


def create(client: TestClient, headers: dict[str, str], **body: str) -> dict[str, object]:
    response = client.post("/api/v1/tickets", json={**NEW_TICKET, **body}, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    return data


def test_a_customer_opens_a_ticket_and_gets_a_number(
    client: TestClient, wang: dict[str, str]
) -> None:
    ticket = create(client, wang)
    assert str(ticket["number"]).startswith("KF-")
    assert ticket["status"] == "new"
    assert ticket["priority"] == "normal"
    assert ticket["category"] == "deposit_withdrawal"
    assert ticket["created_at"]


def test_customers_list_and_view_only_their_own_tickets(
    client: TestClient, wang: dict[str, str], lina: dict[str, str]
) -> None:
    mine = create(client, wang)
    create(client, lina, subject="Other")

    listed = client.get("/api/v1/tickets", headers=wang).json()["tickets"]
    assert [t["number"] for t in listed] == [mine["number"]]
    detail = client.get(f"/api/v1/tickets/{mine['number']}", headers=wang).json()
    assert detail["messages"][0]["body"] == "TxID abc"


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [("get", "", None), ("post", "/messages", {"body": "hi"}), ("post", "/solve", None)],
)
def test_another_customers_ticket_is_404_on_every_endpoint(
    client: TestClient,
    wang: dict[str, str],
    lina: dict[str, str],
    method: str,
    suffix: str,
    body: dict[str, str] | None,
) -> None:
    number = create(client, wang)["number"]
    response = client.request(method, f"/api/v1/tickets/{number}{suffix}", json=body, headers=lina)
    missing = client.request(method, f"/api/v1/tickets/KF-999999{suffix}", json=body, headers=lina)
    assert response.status_code == missing.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unseen_customer_sees_nothing_not_an_error(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {identity_token('77777777')}"}
    assert client.get("/api/v1/tickets", headers=headers).json() == {"tickets": []}


def test_a_customer_reply_and_solve(client: TestClient, wang: dict[str, str]) -> None:
    number = create(client, wang)["number"]
    reply = client.post(
        f"/api/v1/tickets/{number}/messages", json={"body": "补充：网络是 TRC20"}, headers=wang
    )
    assert reply.status_code == 201
    solved = client.post(f"/api/v1/tickets/{number}/solve", headers=wang)
    assert solved.json()["status"] == "solved"
    again = client.post(f"/api/v1/tickets/{number}/solve", headers=wang)
    assert again.status_code == 200  # solving a solved ticket changes nothing


def test_errors_are_json_in_the_callers_language(client: TestClient, wang: dict[str, str]) -> None:
    zh = client.get("/api/v1/tickets/KF-999999", headers=wang)
    en = client.get("/api/v1/tickets/KF-999999", headers={**wang, "Accept-Language": "en-US"})
    assert zh.json() == {"code": "not_found", "message": "未找到工单 KF-999999。"}
    assert en.json() == {"code": "not_found", "message": "Ticket KF-999999 was not found."}


def test_a_missing_or_bad_token_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/tickets").status_code == 401
    bad = client.get("/api/v1/tickets", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    assert bad.json()["code"] == "not_authenticated"
    forged = identity_token("20000001").rsplit(".", 1)[0] + ".AAAA"
    assert (
        client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {forged}"}).status_code
        == 401
    )


def test_unknown_fields_are_refused_with_422_naming_the_field(
    client: TestClient, wang: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/tickets", json={**NEW_TICKET, "prioriti": "urgent"}, headers=wang
    )
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_field"
    assert "prioriti" in response.json()["message"]


def test_an_unknown_category_is_422(client: TestClient, wang: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/tickets", json={**NEW_TICKET, "category": "lottery"}, headers=wang
    )
    assert response.status_code == 422
    assert "category" in response.json()["message"]


def test_an_oversized_body_is_413(client: TestClient, wang: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/tickets", json={**NEW_TICKET, "description": "x" * 400_000}, headers=wang
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_retry_with_the_same_idempotency_key_creates_no_duplicate(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    headers = {**wang, "Idempotency-Key": "order-123-attempt"}
    first = client.post("/api/v1/tickets", json=NEW_TICKET, headers=headers)
    second = client.post("/api/v1/tickets", json=NEW_TICKET, headers=headers)
    assert first.json()["number"] == second.json()["number"]
    assert second.headers["Idempotent-Replayed"] == "true"
    with services.db.read() as session:
        assert session.scalar(select(func.count(Ticket.id))) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_locked_database_answers_503_and_the_retry_succeeds_once(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    headers = {**wang, "Idempotency-Key": "locked-1"}
    services.db.engine.pool.dispose()

    @event.listens_for(services.db.engine, "connect")
    def short_busy_timeout(dbapi_connection: sqlite3.Connection, record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=50")

    path = services.settings.resolved_database_url().removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another process holds the database
    try:
        response = client.post("/api/v1/tickets", json=NEW_TICKET, headers=headers)
        assert response.status_code == 503
        assert response.json()["code"] == "unavailable"
        assert response.headers["Retry-After"]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    retried = client.post("/api/v1/tickets", json=NEW_TICKET, headers=headers)
    assert retried.status_code == 201
    with services.db.read() as session:
        assert session.scalar(select(func.count(Ticket.id))) == 1


def test_openapi_documents_the_public_contract(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/tickets",
        "/api/v1/tickets/{number}",
        "/api/v1/tickets/{number}/messages",
    } <= set(spec["paths"])
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/v1/tickets" in docs.text
