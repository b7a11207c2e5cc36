"""Agents see each ticket's and message's channel with an icon and its name in their language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kefu.services import Services
from tests.insider.people import ZHANG, act_as, new_agent, ticket_for


def test_the_ticket_page_and_the_inbox_name_the_channel(
    client: TestClient, services: Services
) -> None:
    number = ticket_for(services, *ZHANG)  # arrived through the web form
    act_as(client, new_agent(services, "ann", "agent"), language="en")
    assert 'class="channel channel-web"' in client.get(f"/agent/tickets/{number}").text
    assert "Web form" in client.get("/agent?view=unassigned").text

    act_as(client, new_agent(services, "bo", "agent"), language="zh-Hans")
    assert "网页表单" in client.get(f"/agent/tickets/{number}").text
