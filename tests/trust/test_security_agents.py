"""Security agents freeze and unfreeze with a reason; nobody else can."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.services import Services
from kefu.store.models import Event, Message
from kefu.tickets.numbers import ticket_id_from_number
from tests.exchange.server import ServedExchange
from tests.trust.actors import agent_headers, zhang

FREEZE = "/api/v1/security/accounts/10000003/freeze"
UNFREEZE = "/api/v1/security/accounts/10000003/unfreeze"


def security_events(services: Services) -> list[tuple[str, dict[str, object]]]:
    with services.db.read() as session:
        rows = session.scalars(select(Event).order_by(Event.id)).all()
        return [(e.kind, e.data) for e in rows if e.kind.startswith("security.")]


def test_a_security_agent_freezes_with_a_reason_and_only_requests_an_unfreeze(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    charlie = agent_headers(client, services, "security", "charlie")

    frozen = client.post(FREEZE, json={"reason": "withdrawal to unknown address"}, headers=charlie)
    assert frozen.status_code == 200 and frozen.json()["status"] == "done"
    assert exchange.exchange.accounts["10000003"].status == "frozen"
    unfrozen = client.post(
        UNFREEZE, json={"reason": "identity re-verified by video"}, headers=charlie
    )
    assert unfrozen.status_code == 202 and unfrozen.json()["status"] == "awaiting_approval"
    assert exchange.exchange.accounts["10000003"].status == "frozen"  # four eyes: see there

    recorded = security_events(services)
    assert [kind for kind, _ in recorded] == [
        "security.freeze_requested",
        "security.account_frozen",
        "security.unfreeze_approval_requested",
    ]
    assert recorded[0][1]["reason"] == "withdrawal to unknown address"
    assert [c.requested_by["kind"] for c in exchange.exchange.applied] == ["agent"]


def test_a_reason_is_required(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    charlie = agent_headers(client, services, "security", "charlie")
    assert client.post(FREEZE, json={}, headers=charlie).status_code == 422
    short = client.post(FREEZE, json={"reason": "x"}, headers=charlie)
    assert short.status_code == 400
    assert "reason" in short.json()["message"]
    assert exchange.exchange.applied == []


def test_agents_leads_and_admins_without_the_security_role_are_refused(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    for role in ("agent", "lead", "admin"):
        headers = agent_headers(client, services, role, f"user-{role}")
        for path in (FREEZE, UNFREEZE):
            response = client.post(path, json={"reason": "trying my luck"}, headers=headers)
            assert response.status_code == 403, (role, path)
        assert client.get("/api/v1/security/accounts/10000003", headers=headers).status_code == 403
    assert exchange.exchange.applied == []


def test_customers_cannot_use_the_agent_endpoints(
    client: TestClient, exchange: ServedExchange
) -> None:
    response = client.post(FREEZE, json={"reason": "my own account"}, headers=zhang())
    assert response.status_code == 401
    assert exchange.exchange.applied == []


def test_the_security_team_reads_account_and_api_key_facts_and_the_read_is_audited(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    charlie = agent_headers(client, services, "security", "charlie")
    account = client.get("/api/v1/security/accounts/10000003", headers=charlie).json()

    assert account["recent_withdrawals"][0]["asset"] == "BTC"
    assert account["api_keys"][0]["permissions"] == ["read", "spot_trade", "withdraw"]
    assert [kind for kind, _ in security_events(services)] == ["security.account_viewed"]


def test_a_freeze_on_a_ticket_leaves_an_internal_note(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    created = client.post(
        "/api/v1/tickets",
        json={"category": "security", "subject": "被盗", "description": "我的币被转走了"},
        headers=zhang(),
    ).json()
    charlie = agent_headers(client, services, "security", "charlie")
    body = {"reason": "customer reports theft", "ticket": created["number"]}
    assert client.post(FREEZE, json=body, headers=charlie).json()["status"] == "done"

    with services.db.read() as session:
        ticket_id = ticket_id_from_number(created["number"])
        notes = session.scalars(
            select(Message).where(Message.ticket_id == ticket_id, Message.visibility == "internal")
        ).all()
    assert len(notes) == 1 and "已在交易所冻结" in notes[0].body_text  # the ticket is in Chinese
