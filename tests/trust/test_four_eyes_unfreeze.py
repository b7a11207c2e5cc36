"""Unfreezing takes two security agents: charlie requests, dana approves, then the exchange."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import Event, OutboxJob
from kefu.store.models.base import utcnow
from kefu.web.deps import AGENT_COOKIE
from tests.exchange.server import ServedExchange
from tests.trust.actors import agent_headers

UID = "10000003"
FREEZE = f"/api/v1/security/accounts/{UID}/freeze"
UNFREEZE = f"/api/v1/security/accounts/{UID}/unfreeze"
REQUESTS = "/api/v1/security/unfreeze-requests"


class Desk:
    """Two security agents sharing one browser: `as_(name)` switches the signed-in one."""

    def __init__(self, client: TestClient, services: Services) -> None:
        self.client = client
        self.headers = agent_headers(client, services, "security", "charlie")
        self.tokens = {"charlie": client.cookies[AGENT_COOKIE]}
        agent_headers(client, services, "security", "dana")
        self.tokens["dana"] = client.cookies[AGENT_COOKIE]

    def as_(self, name: str) -> dict[str, str]:
        self.client.cookies.set(AGENT_COOKIE, self.tokens[name])
        return self.headers


def security_events(services: Services) -> list[str]:
    with services.db.read() as session:
        kinds = session.scalars(select(Event.kind).order_by(Event.id)).all()
    return [kind for kind in kinds if kind.startswith("security.")]


def frozen_with_request(client: TestClient, desk: Desk) -> int:
    """Charlie freezes 10000003, then asks to unfreeze it; the request's id."""
    frozen = client.post(FREEZE, json={"reason": "stolen session"}, headers=desk.as_("charlie"))
    assert frozen.json()["status"] == "done"
    response = client.post(
        UNFREEZE, json={"reason": "identity re-verified by video"}, headers=desk.as_("charlie")
    )
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "awaiting_approval" and body["action"] is None
    assert "second approval" in body["message"]
    request_id: int = body["request_id"]
    return request_id


def test_a_request_alone_leaves_the_account_frozen(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    desk = Desk(client, services)
    request_id = frozen_with_request(client, desk)

    assert exchange.exchange.accounts[UID].status == "frozen"
    listed = client.get(REQUESTS, headers=desk.as_("dana")).json()["requests"]
    assert [(r["request_id"], r["reason"]) for r in listed] == [
        (request_id, "identity re-verified by video")
    ]
    assert security_events(services)[-1] == "security.unfreeze_approval_requested"


def test_the_requester_cannot_approve_their_own_request(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    desk = Desk(client, services)
    request_id = frozen_with_request(client, desk)

    response = client.post(f"{REQUESTS}/{request_id}/approve", headers=desk.as_("charlie"))
    assert response.status_code == 403
    assert "different security agent" in response.json()["message"]
    chinese = {**desk.as_("charlie"), "Accept-Language": "zh-CN"}
    response = client.post(f"{REQUESTS}/{request_id}/approve", headers=chinese)
    assert "另一位安全团队成员" in response.json()["message"]

    assert exchange.exchange.accounts[UID].status == "frozen"
    assert [c.action for c in exchange.exchange.applied] == ["freeze"]
    assert security_events(services)[-2:] == ["security.unfreeze_approval_refused"] * 2


def test_a_second_agent_approves_and_the_account_is_unfrozen_exactly_once(
    client: TestClient, services: Services, exchange: ServedExchange, worker: Worker
) -> None:
    desk = Desk(client, services)
    request_id = frozen_with_request(client, desk)

    approved = client.post(f"{REQUESTS}/{request_id}/approve", headers=desk.as_("dana"))
    assert approved.status_code == 200
    body = approved.json()
    assert body["status"] == "approved" and body["action"]["status"] == "done"
    assert body["approved_by"] != body["requested_by"]
    assert exchange.exchange.accounts[UID].status == "active"

    again = client.post(f"{REQUESTS}/{request_id}/approve", headers=desk.as_("dana"))
    assert again.json()["replayed"] is True
    with services.db.write() as session:  # the fallback job falls due too
        session.execute(update(OutboxJob).values(run_after=utcnow() - timedelta(seconds=1)))
    worker.run_once()

    assert [c.action for c in exchange.exchange.applied] == ["freeze", "unfreeze"]
    assert security_events(services)[-4:] == [
        "security.unfreeze_approval_requested",
        "security.unfreeze_approved",
        "security.unfreeze_requested",
        "security.account_unfrozen",
    ]
    assert client.get(REQUESTS, headers=desk.as_("dana")).json()["requests"] == []


def test_an_approval_retried_after_the_exchange_was_down_unfreezes_once(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    desk = Desk(client, services)
    request_id = frozen_with_request(client, desk)
    exchange.exchange.inject_fault("unavailable_after")  # unfrozen, but the answer is lost

    first = client.post(f"{REQUESTS}/{request_id}/approve", headers=desk.as_("dana"))
    assert first.status_code == 202 and first.json()["action"]["status"] == "pending"
    # Approved already: the requester still cannot approve, a third look is not needed.
    refused = client.post(f"{REQUESTS}/{request_id}/approve", headers=desk.as_("charlie"))
    assert refused.status_code == 403

    assert [c.action for c in exchange.exchange.applied] == ["freeze", "unfreeze"]
    assert exchange.exchange.accounts[UID].status == "active"


def test_roles_other_than_security_can_neither_request_nor_approve(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    desk = Desk(client, services)
    request_id = frozen_with_request(client, desk)
    for role in ("agent", "lead", "admin"):
        headers = agent_headers(client, services, role, f"user-{role}")
        approve = client.post(f"{REQUESTS}/{request_id}/approve", headers=headers)
        assert approve.status_code == 403, role
        assert client.get(REQUESTS, headers=headers).status_code == 403, role
        ask = client.post(UNFREEZE, json={"reason": "trying my luck"}, headers=headers)
        assert ask.status_code == 403, role
    assert exchange.exchange.accounts[UID].status == "frozen"


def test_the_security_desk_page_shows_requests_and_approves_another_agents(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    desk = Desk(client, services)
    request_id = frozen_with_request(client, desk)

    own = client.get("/agent/security", headers=desk.as_("charlie"))
    assert own.status_code == 200
    assert "another agent must approve it" in own.text
    assert f"/unfreeze-requests/{request_id}/approve" not in own.text

    page = client.get("/agent/security", headers=desk.as_("dana")).text
    assert f"/unfreeze-requests/{request_id}/approve" in page
    csrf = desk.headers["X-CSRF-Token"]
    done = client.post(
        f"/agent/security/unfreeze-requests/{request_id}/approve",
        data={"csrf": csrf},
        headers=desk.as_("dana"),
    )
    assert done.status_code == 200
    assert f"Approved: account {UID} is unfrozen" in done.text
    assert exchange.exchange.accounts[UID].status == "active"


def test_the_security_desk_page_is_for_the_security_team_only(
    client: TestClient, services: Services
) -> None:
    headers = agent_headers(client, services, "admin", "erin")
    assert client.get("/agent/security", headers=headers).status_code == 403
