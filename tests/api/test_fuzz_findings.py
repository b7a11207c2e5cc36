"""What the schemathesis run found, each pinned by a focused test."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kefu.services import Services
from kefu.settings import Settings
from tests.trust.actors import agent_headers

HUGE = str(2**64)


@pytest.fixture
def settings(exchange_settings: Settings) -> Settings:
    return exchange_settings


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/agent/tickets?team_id={HUGE}",
        f"/api/v1/agent/tickets?assignee_id={HUGE}",
        f"/api/v1/agent/tickets?offset={HUGE}",
        f"/api/v1/agent/exports/tickets.csv?team_id={HUGE}",
    ],
)
def test_an_id_no_row_can_have_is_a_validation_error(
    client: TestClient, services: Services, url: str
) -> None:
    headers = agent_headers(client, services, "admin", "ada")
    response = client.get(url, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_huge_ids_in_paths_are_not_found_or_invalid(client: TestClient, services: Services) -> None:
    headers = agent_headers(client, services, "security", "sam")
    assert client.delete(f"/api/v1/trust/identities/{HUGE}", headers=headers).status_code == 404
    approve = f"/api/v1/security/unfreeze-requests/{HUGE}/approve"
    assert client.post(approve, headers=headers).status_code == 404
    macro = f"/api/v1/agent/tickets/K-000001/macros/{HUGE}"
    assert client.post(macro, headers=headers).status_code == 422


def test_a_second_macro_with_a_taken_name_is_a_conflict(
    client: TestClient, services: Services
) -> None:
    headers = agent_headers(client, services, "lead", "lee")
    body = {"name": "ask-txid", "body_zh": "请提供 TxID。", "body_en": "Please send the TxID."}
    assert client.post("/api/v1/agent/macros", json=body, headers=headers).status_code == 201
    again = client.post("/api/v1/agent/macros", json=body, headers=headers)
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"


def test_an_odd_uid_reaches_the_exchange_signed_as_sent(
    client: TestClient, services: Services
) -> None:
    """The demo exchange checks the signature over the percent-encoded path it received."""
    headers = agent_headers(client, services, "security", "sam")
    response = client.get("/api/v1/security/accounts/%C3%B4%C3%AD%12", headers=headers)
    assert response.status_code == 404
    assert response.json()["code"] == "exchange_account_not_found"
