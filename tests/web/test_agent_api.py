"""Agents through the API: tokens with scopes, replies, notes, field changes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.auth.agents import create_agent, create_api_token
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import Event
from tests.support import MailSink, plain_text
from tests.web.test_customer_api import create


def token(services: Services, *scopes: str) -> dict[str, str]:
    with services.db.write() as session:
        raw = create_api_token(session, f"integration-{'-'.join(scopes)}", list(scopes))
    return {"Authorization": f"Bearer {raw}", "Accept-Language": "en"}


def test_an_agent_replies_and_the_customer_gets_it_by_email(
    client: TestClient,
    services: Services,
    worker: Worker,
    mail_sink: MailSink,
    wang: dict[str, str],
) -> None:
    number = create(client, wang)["number"]
    agent = token(services, "tickets:read", "tickets:write")
    worker.run_once()
    mail_sink.clear()

    reply = client.post(
        f"/api/v1/agent/tickets/{number}/messages",
        json={"body": "请提供充值截图", "status": "pending"},
        headers=agent,
    )
    assert reply.status_code == 201
    assert client.get(f"/api/v1/tickets/{number}", headers=wang).json()["status"] == "pending"
    worker.run_once()
    [mail] = mail_sink.messages()
    assert mail["To"].addresses[0].addr_spec == "wang@example.com"
    assert number in mail["Subject"]
    assert "请提供充值截图" in plain_text(mail)


def test_internal_notes_never_reach_the_customer(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    agent = token(services, "tickets:read", "tickets:write")
    client.post(
        f"/api/v1/agent/tickets/{number}/messages",
        json={"body": "VIP, check withdrawals", "internal": True},
        headers=agent,
    )

    customer_view = client.get(f"/api/v1/tickets/{number}", headers=wang).json()
    agent_view = client.get(f"/api/v1/agent/tickets/{number}", headers=agent).json()
    assert all("VIP" not in m["body"] for m in customer_view["messages"])
    assert any(m["visibility"] == "internal" for m in agent_view["messages"])


def test_field_changes_are_checked_and_audited(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    agent = token(services, "tickets:read", "tickets:write")
    with services.db.write() as session:
        alice = create_agent(
            session, "alice@kefu.test", "Alice", "alice-password-1", "agent", "support"
        )
        alice_id = alice.id

    changed = client.patch(
        f"/api/v1/agent/tickets/{number}",
        headers=agent,
        json={
            "priority": "high",
            "team": "security",
            "assignee_id": alice_id,
            "tags": ["vip", "vip"],
        },
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["priority"] == "high"
    assert changed.json()["assignee_id"] == alice_id
    assert changed.json()["tags"] == ["vip"]
    with services.db.read() as session:
        fields = [
            e.data["field"]
            for e in session.scalars(select(Event).where(Event.kind == "ticket.field_changed"))
        ]
    assert sorted(fields) == ["assignee_id", "priority", "tags", "team_id"]


def test_an_illegal_status_change_is_409_with_a_clear_message(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    agent = token(services, "tickets:read", "tickets:write")
    client.patch(f"/api/v1/agent/tickets/{number}", json={"status": "closed"}, headers=agent)
    response = client.patch(
        f"/api/v1/agent/tickets/{number}", json={"status": "open"}, headers=agent
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "conflict",
        "message": "A ticket cannot go from 'closed' to 'open'.",
    }


def test_a_read_only_token_cannot_write(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    reader = token(services, "tickets:read")
    assert client.get(f"/api/v1/agent/tickets/{number}", headers=reader).status_code == 200
    response = client.patch(
        f"/api/v1/agent/tickets/{number}", json={"priority": "low"}, headers=reader
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_agent_list_filters_and_puts_urgent_first(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    create(client, wang, subject="普通问题", category="trading")
    urgent = create(client, wang, subject="账户被盗 资产被转走", category="security")
    agent = token(services, "tickets:read")
    listed = client.get("/api/v1/agent/tickets", headers=agent).json()
    assert listed["total"] == 2
    assert listed["tickets"][0]["number"] == urgent["number"]
    only = client.get("/api/v1/agent/tickets?category=trading", headers=agent).json()
    assert [t["category"] for t in only["tickets"]] == ["trading"]


def test_customer_tokens_and_no_token_cannot_use_agent_endpoints(
    client: TestClient, wang: dict[str, str]
) -> None:
    assert client.get("/api/v1/agent/tickets", headers=wang).status_code == 401
    assert client.get("/api/v1/agent/tickets").status_code == 401
