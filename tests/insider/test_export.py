"""Exporting customer data is a separate permission, and every export is audited."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.auth.agents import create_api_token
from kefu.services import Services
from kefu.store.models import Event
from tests.insider.people import ZHANG, act_as, new_agent, ticket_for

EXPORT = "/api/v1/agent/exports/tickets.csv"


def _exports(services: Services) -> list[Event]:
    with services.db.read() as session:
        return list(session.scalars(select(Event).where(Event.kind == "tickets.exported")))


def test_an_agent_without_the_export_permission_is_refused(
    client: TestClient, services: Services
) -> None:
    ticket_for(services, *ZHANG)
    for role in ("agent", "security"):
        act_as(client, new_agent(services, f"no-{role}", role), language="zh-CN")
        refused = client.get(EXPORT)
        assert refused.status_code == 403
        assert "导出权限" in refused.json()["message"]
    assert _exports(services) == []


def test_a_lead_exports_a_masked_csv_and_the_export_is_audited(
    client: TestClient, services: Services
) -> None:
    number = ticket_for(services, *ZHANG)
    act_as(client, new_agent(services, "lea", "lead"))
    response = client.get(EXPORT, params={"status": "new"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["number"] for row in rows] == [number]
    assert rows[0]["customer_email"] == "z***@example.com" and rows[0]["customer_name"] == "张*"
    assert ZHANG[1] not in response.text
    (event,) = _exports(services)
    assert event.actor_kind == "agent"
    assert event.data == {"rows": 1, "filters": {"status": "new"}}


def test_an_api_token_needs_the_export_scope(client: TestClient, services: Services) -> None:
    ticket_for(services, *ZHANG)
    with services.db.write() as session:
        reader = create_api_token(session, "reader", ["tickets:read"])
        exporter = create_api_token(session, "exporter", ["tickets:read", "export"])
    assert client.get(EXPORT, headers={"Authorization": f"Bearer {reader}"}).status_code == 403
    allowed = client.get(EXPORT, headers={"Authorization": f"Bearer {exporter}"})
    assert allowed.status_code == 200
    assert [e.actor_kind for e in _exports(services)] == ["api"]


def test_the_inbox_offers_the_export_only_to_those_allowed(
    client: TestClient, services: Services
) -> None:
    act_as(client, new_agent(services, "ann", "agent"))
    assert EXPORT not in client.get("/agent").text
    act_as(client, new_agent(services, "lea", "lead"))
    assert EXPORT in client.get("/agent").text
