"""Each role reaches only its own pages and actions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kefu.services import Services
from tests.workspace.test_workspace_api import signed_in

ADMIN_ONLY_POSTS = [
    (
        "/agent/admin/agents",
        {
            "email": "x@kefu.test",
            "name": "X",
            "password": "password-123456",
            "role": "admin",
            "team": "",
        },
    ),
    ("/agent/admin/agents/1/active", {"active": "0"}),
]


@pytest.mark.parametrize("role", ["agent", "lead", "security"])
def test_only_admins_manage_agents(client: TestClient, services: Services, role: str) -> None:
    signed_in(client, services, f"{role}@kefu.test", role=role)
    for url, form in ADMIN_ONLY_POSTS:
        response = client.post(url, data={**form, "csrf": "csrf-token-for-tests"})
        assert response.status_code == 403, (role, url)


def test_agents_cannot_open_admin_or_audit_pages(client: TestClient, services: Services) -> None:
    signed_in(client, services, "agent@kefu.test", role="agent")
    assert client.get("/agent/admin").status_code == 403
    assert client.get("/agent/audit").status_code == 403
    response = client.post(
        "/agent/admin/macros",
        data={"csrf": "csrf-token-for-tests", "name": "m", "body_zh": "好", "body_en": "ok"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["lead", "admin", "security"])
def test_leads_admins_and_security_read_the_audit_log(
    client: TestClient, services: Services, role: str
) -> None:
    signed_in(client, services, f"{role}@kefu.test", role=role)
    page = client.get("/agent/audit")
    assert page.status_code == 200
    assert "agent.login" in page.text


def test_an_admin_adds_an_agent_and_it_is_audited(client: TestClient, services: Services) -> None:
    signed_in(client, services, "admin@kefu.test", role="admin")
    response = client.post(
        "/agent/admin/agents",
        data={
            "csrf": "csrf-token-for-tests",
            "email": "new@kefu.test",
            "name": "New",
            "password": "password-123456",
            "role": "agent",
            "team": "support",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "new@kefu.test" in client.get("/agent/admin").text
    assert "agent.created" in client.get("/agent/audit").text


def test_a_weak_password_is_a_clear_error(client: TestClient, services: Services) -> None:
    signed_in(client, services, "admin@kefu.test", role="admin")
    response = client.post(
        "/agent/admin/agents",
        data={
            "csrf": "csrf-token-for-tests",
            "email": "weak@kefu.test",
            "name": "Weak",
            "password": "short",
            "role": "agent",
            "team": "support",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "password" in response.text


def test_a_lead_sets_team_routing_and_agent_skills(client: TestClient, services: Services) -> None:
    from kefu.store.models import Agent, AgentAvailability, TeamAssignment

    lead_id = signed_in(client, services, "lead@kefu.test", role="lead")
    page = client.get("/agent/admin/routing")
    assert page.status_code == 200
    assert "support@" in page.text  # the configured mailboxes are listed
    csrf = {"csrf": "csrf-token-for-tests"}
    assert (
        client.post(
            "/agent/admin/teams/1", data={**csrf, "mode": "round_robin", "away_minutes": "30"}
        ).status_code
        == 200
    )
    bad = client.post("/agent/admin/teams/1", data={**csrf, "mode": "lottery"})
    assert bad.status_code == 400
    client.post(
        f"/agent/admin/skills/{lead_id}",
        data={
            **csrf,
            "max_chats": "4",
            "max_tickets": "30",
            "languages": ["zh-Hans"],
            "categories": ["futures", "nonsense"],
        },
    )
    with services.db.read() as session:
        routing = session.get(TeamAssignment, 1)
        agent = session.get(Agent, lead_id)
        availability = session.get(AgentAvailability, lead_id)
    assert routing is not None and (routing.mode, routing.away_reassign_minutes) == (
        "round_robin",
        30,
    )
    assert agent is not None and agent.languages == ["zh-Hans"]
    assert availability is not None and availability.categories == ["futures"]
    assert (availability.max_chats, availability.max_tickets) == (4, 30)


def test_agents_cannot_change_routing(client: TestClient, services: Services) -> None:
    signed_in(client, services, "agent@kefu.test", role="agent")
    assert client.get("/agent/admin/routing").status_code == 403
    response = client.post(
        "/agent/admin/teams/1", data={"csrf": "csrf-token-for-tests", "mode": "manual"}
    )
    assert response.status_code == 403


def test_a_lead_edits_business_hours_and_holidays_with_clear_errors(
    client: TestClient, services: Services
) -> None:
    from sqlalchemy import select

    from kefu.store.models import BusinessCalendar
    from kefu.work.policies import ensure_default_sla_policies

    ensure_default_sla_policies(services)
    signed_in(client, services, "lead@kefu.test", role="lead")
    with services.db.read() as session:
        calendar = session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.id)).first()
        assert calendar is not None
        calendar_id = calendar.id
    page = client.get("/agent/admin/calendars")
    assert page.status_code == 200 and "mon 09:00-18:00" in page.text
    form = {
        "csrf": "csrf-token-for-tests",
        "time_zone": "Asia/Shanghai",
        "hours": "mon 09:00-12:00, 13:00-18:00\ntue 09:00-18:00",
        "regions": ["CN"],
        "extra": "2026-12-24, holiday\n2026-12-27, workday",
    }
    assert client.post(f"/agent/admin/calendars/{calendar_id}", data=form).status_code == 200
    with services.db.read() as session:
        saved = session.get(BusinessCalendar, calendar_id)
    assert saved is not None
    assert saved.weekly_hours == {
        "mon": [["09:00", "12:00"], ["13:00", "18:00"]],
        "tue": [["09:00", "18:00"]],
    }
    assert (saved.extra_holidays, saved.extra_workdays) == (["2026-12-24"], ["2026-12-27"])
    bad = client.post(
        f"/agent/admin/calendars/{calendar_id}",
        data={**form, "hours": "mon 09:00-25:00"},
        headers={"Accept-Language": "en"},
    )
    assert bad.status_code == 400 and "Line 1" in bad.json()["message"]
    zone = client.post(
        f"/agent/admin/calendars/{calendar_id}",
        data={**form, "time_zone": "Mars/Base"},
        headers={"Accept-Language": "en"},
    )
    assert zone.status_code == 400 and "Mars/Base" in zone.json()["message"]
