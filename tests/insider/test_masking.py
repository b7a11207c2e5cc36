"""Customer fields are masked for every agent role by default, in the page and the API;
one field is unmasked for one agent, with an audited reason, for a short time."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kefu.insider.masking import mask_email, mask_emails_in, mask_name, mask_sender
from kefu.services import Services
from kefu.store.models import Event, FieldReveal
from kefu.store.models.base import utcnow
from tests.insider.people import CSRF, ZHANG, act_as, new_agent, ticket_for

EMAIL, NAME = ZHANG[1], ZHANG[2]
KYC_LEVEL = re.compile(r">L\d<")


def test_the_masks_keep_a_hint_and_never_the_length() -> None:
    assert mask_email("wang@example.com") == "w***@example.com"
    assert mask_name("王小明") == "王*"
    assert mask_name("Emily Carter") == "E*"
    assert mask_email(None) is None and mask_name("") == ""
    assert mask_emails_in("see wang@example.com, ok") == "see w***@example.com, ok"
    assert mask_sender("王伟 <wang@example.com>") == "王* <w***@example.com>"
    assert mask_sender("王伟 <wang@example.com>", frozenset({"name"})) == "王伟 <w***@example.com>"


@pytest.mark.parametrize("role", ["agent", "lead", "admin", "security"])
def test_the_ticket_page_masks_the_customer_for_every_role(
    client: TestClient, services: Services, role: str
) -> None:
    number = ticket_for(services, *ZHANG)
    act_as(client, new_agent(services, "ann", role))
    page = client.get(f"/agent/tickets/{number}")
    assert page.status_code == 200
    assert EMAIL not in page.text and NAME not in page.text
    assert "z***@example.com" in page.text and "张*" in page.text
    assert "KYC" in page.text and not KYC_LEVEL.search(page.text)  # the level is hidden


def test_the_api_masks_the_customer_and_hides_the_account_facts(
    client: TestClient, services: Services
) -> None:
    number = ticket_for(services, *ZHANG)
    act_as(client, new_agent(services, "ann", "admin"))
    body = client.get(f"/api/v1/agent/tickets/{number}/customer").json()
    assert (body["email"], body["name"], body["revealed"]) == ("z***@example.com", "张*", [])
    assert body["account"]["status"] and body["account"]["kyc_level"] is None
    assert EMAIL not in client.get(f"/api/v1/agent/tickets/{number}").text


def test_revealing_needs_a_reason(client: TestClient, services: Services) -> None:
    number = ticket_for(services, *ZHANG)
    act_as(client, new_agent(services, "ann", "agent"))
    short = client.post(
        f"/api/v1/agent/tickets/{number}/customer/reveal", json={"field": "email", "reason": "x"}
    )
    assert short.status_code == 400 and short.json()["code"] == "reason_required"
    page = client.post(
        f"/agent/tickets/{number}/reveal",
        data={"csrf": CSRF, "field": "email", "reason": "short"},
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 400
    with services.db.read() as session:
        assert session.scalars(select(FieldReveal)).all() == []
        kinds = set(session.scalars(select(Event.kind)))
    assert "customer.field_revealed" not in kinds


def test_a_reveal_shows_one_field_to_one_agent_and_is_audited_without_the_value(
    client: TestClient, services: Services
) -> None:
    number = ticket_for(services, *ZHANG)
    other = new_agent(services, "bob", "agent")
    act_as(client, new_agent(services, "ann", "agent"))
    reason = "customer asks to change the email on file"
    shown = client.post(
        f"/api/v1/agent/tickets/{number}/customer/reveal",
        json={"field": "email", "reason": reason},
    ).json()
    assert (shown["email"], shown["name"], shown["revealed"]) == (EMAIL, "张*", ["email"])
    assert EMAIL in client.get(f"/agent/tickets/{number}").text

    with services.db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "customer.field_revealed")).one()
    assert event.actor_kind == "agent" and event.actor_id is not None
    assert event.data["field"] == "email" and event.data["reason"] == reason
    assert event.data["customer"] == shown["id"]
    assert EMAIL not in json.dumps(event.data, ensure_ascii=False)

    act_as(client, other)
    assert EMAIL not in client.get(f"/agent/tickets/{number}").text


def test_the_page_form_reveals_the_account_facts(client: TestClient, services: Services) -> None:
    number = ticket_for(services, *ZHANG)
    act_as(client, new_agent(services, "ann", "agent"))
    response = client.post(
        f"/agent/tickets/{number}/reveal",
        data={"csrf": CSRF, "field": "account", "reason": "checking a missing deposit"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(f"/agent/tickets/{number}").text
    assert KYC_LEVEL.search(page) and NAME not in page  # KYC level shown, the name still masked


def test_a_reveal_expires(client: TestClient, services: Services) -> None:
    number = ticket_for(services, *ZHANG)
    act_as(client, new_agent(services, "ann", "agent"))
    client.post(
        f"/api/v1/agent/tickets/{number}/customer/reveal",
        json={"field": "name", "reason": "addressing the customer by name"},
    )
    with services.db.write() as session:
        reveal = session.scalars(select(FieldReveal)).one()
        assert reveal.expires_at - reveal.created_at == timedelta(minutes=15)
        session.execute(update(FieldReveal).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get(f"/api/v1/agent/tickets/{number}/customer").json()["name"] == "张*"
    assert NAME not in client.get(f"/agent/tickets/{number}").text
