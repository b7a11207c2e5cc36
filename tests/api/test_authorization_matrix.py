"""Who may do what: every sensitive action × every kind of caller, one test id per cell.

Expectations come from the intended rules (kefu.auth.roles, docs/subsystems/*.md):
no identity → 401; a customer token on an agent route → 401 (it proves no agent);
a signed-in agent without the role → 403. A refused call must change nothing: the row
counts of every table but the audit log (refusals are audited on purpose), the tickets'
fields and the demo exchange's accounts are compared before and after.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kefu.auth import agents
from kefu.auth.agents import create_agent, create_api_token, start_session
from kefu.auth.roles import ALL_SCOPES, Scope
from kefu.services import Services
from kefu.settings import Settings
from kefu.store.models import Base, Ticket, UnfreezeRequest
from kefu.web.deps import AGENT_COOKIE
from tests.conftest import identity_token
from tests.exchange.server import ServedExchange

CSRF = "csrf-token-for-tests"
UID = "10000005"  # a demo exchange account no other actor touches
# token_read: an integration token with `tickets:read` only; token_all: every scope.
ROLES = (
    "anonymous",
    "customer",
    "agent",
    "lead",
    "admin",
    "security",
    "token_read",
    "token_all",
)
AGENT_ROLES = frozenset({"agent", "lead", "admin", "security"})
TOKENS: dict[str, list[str]] = {
    "token_read": [Scope.TICKETS_READ.value],
    "token_all": sorted(ALL_SCOPES),
}
AGENTS = AGENT_ROLES | TOKENS.keys()  # callers with an agent identity: refused with 403
TICKET_WRITERS = AGENT_ROLES | {"token_all"}  # tickets:write (every signed-in role has it)
CUSTOMER_READERS = AGENT_ROLES | {"token_all"}  # customers:read
UNAUDITED = frozenset({"audit_events"})


@dataclass
class World:
    """Two tickets of one customer, a pending unfreeze request, and a session per role."""

    first: str
    second: str
    unfreeze_request: int
    sessions: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


Call = Callable[[TestClient, World], httpx2.Response]


@dataclass(frozen=True)
class Action:
    call: Call
    allowed: frozenset[str]
    ok: frozenset[int]
    # Without an agent identity: 401, or for a page the redirect to the sign-in page (303).
    unauthenticated: int = 401


def api(method: str, path: str, json: dict[str, Any] | None = None) -> Call:
    def call(client: TestClient, world: World) -> httpx2.Response:
        url = path.format(
            first=world.first, second=world.second, uid=UID, request=world.unfreeze_request
        )
        body = {
            k: v.format(second=world.second) if isinstance(v, str) else v
            for k, v in (json or {}).items()
        }
        return client.request(method, url, json=body if json else None, follow_redirects=False)

    return call


def form(path: str, data: dict[str, Any]) -> Call:
    def call(client: TestClient, world: World) -> httpx2.Response:
        return client.post(path, data={"csrf": CSRF, **data}, follow_redirects=False)

    return call


def action(call: Call, allowed: Collection[str], *ok: int) -> Action:
    return Action(call, frozenset(allowed), frozenset(ok))


def page(path: str, allowed: Collection[str]) -> Action:
    """An agent page: no agent identity is sent to the sign-in page."""
    return Action(api("GET", path), frozenset(allowed), frozenset({200}), unauthenticated=303)


SECURITY = {"security"}
MANAGERS = {"lead", "admin"}
AUDITORS = {"lead", "admin", "security"}
ADMINS_AND_SECURITY = {"admin", "security"}

ACTIONS: dict[str, Action] = {
    "freeze_account": action(
        api("POST", "/api/v1/security/accounts/{uid}/freeze", {"reason": "stolen"}),
        SECURITY,
        200,
    ),
    "request_unfreeze": action(
        api("POST", "/api/v1/security/accounts/{uid}/unfreeze", {"reason": "verified"}),
        SECURITY,
        202,
    ),
    "approve_unfreeze": action(
        api("POST", "/api/v1/security/unfreeze-requests/{request}/approve"), SECURITY, 200, 202
    ),
    "list_unfreeze_requests": action(
        api("GET", "/api/v1/security/unfreeze-requests"), SECURITY, 200
    ),
    "view_account_and_api_keys": action(
        api("GET", "/api/v1/security/accounts/{uid}"), SECURITY, 200
    ),
    "own_emergency_freeze": action(
        api("POST", "/api/v1/security/freeze", {"note": "not me"}), {"customer"}, 200, 202
    ),
    "change_ticket_status_and_assignee": action(
        api("PATCH", "/api/v1/agent/tickets/{first}", {"status": "pending", "unassign": True}),
        TICKET_WRITERS,
        200,
    ),
    "merge_tickets": action(
        api("POST", "/api/v1/agent/tickets/{first}/merge", {"into": "{second}"}),
        TICKET_WRITERS,
        200,
    ),
    "escalate": action(
        api(
            "POST",
            "/api/v1/agent/tickets/{first}/escalate",
            {"team": "security", "reason": "possible account takeover"},
        ),
        TICKET_WRITERS,
        200,
    ),
    "view_customer_account_facts": action(
        api("GET", "/api/v1/agent/tickets/{first}/customer"), CUSTOMER_READERS, 200
    ),
    "reveal_masked_field": action(
        api(
            "POST",
            "/api/v1/agent/tickets/{first}/customer/reveal",
            {"field": "email", "reason": "customer asked to change it"},
        ),
        CUSTOMER_READERS,
        200,
    ),
    "export_csv": action(
        api("GET", "/api/v1/agent/exports/tickets.csv"), MANAGERS | {"token_all"}, 200
    ),
    "create_macro": action(
        api("POST", "/api/v1/agent/macros", {"name": "m", "body_zh": "好", "body_en": "ok"}),
        MANAGERS,
        201,
    ),
    "manage_sla_calendars": action(
        form(
            "/agent/admin/calendars",
            {
                "slug": "cn-office",
                "name_zh": "北京",
                "name_en": "Beijing",
                "time_zone": "Asia/Shanghai",
                "hours": "mon 09:00-18:00",
            },
        ),
        MANAGERS,
        303,
    ),
    "manage_automations": action(
        form(
            "/agent/admin/automations",
            {"name": "idle", "kind": "time", "idle_hours": "48", "set_status": "closed"},
        ),
        {"admin"},
        303,
    ),
    "add_official_channel": action(
        api("POST", "/api/v1/trust/identities", {"kind": "telegram", "value": "@gate_help_cn"}),
        ADMINS_AND_SECURITY,
        201,
    ),
    "manage_agents": action(
        form(
            "/agent/admin/agents",
            {
                "email": "new@kefu.test",
                "name": "New",
                "password": "password-123456",
                "role": "admin",
                "team": "",
            },
        ),
        {"admin"},
        303,
    ),
    "view_audit_log": page("/agent/audit", AUDITORS),
    "view_insider_alerts": page("/agent/admin/insider", ADMINS_AND_SECURITY),
}


def refusal(name: str, role: str) -> int:
    """No agent identity (a customer token proves none) is `unauthenticated`; a wrong
    role is a 403. On the customer's own route, an agent is simply not a customer: 401."""
    if name == "own_emergency_freeze":
        return 401
    return 403 if role in AGENTS else ACTIONS[name].unauthenticated


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only: who may do what is decided in Python, the same on either database,
    and 114 cells twice would double the time for nothing."""
    path = tmp_path / "kefu.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(exchange_settings: Settings) -> Settings:
    return exchange_settings


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Agents here sign in by session, never by password: skip argon2's deliberate cost."""
    monkeypatch.setattr(agents, "hash_password", lambda password: "unused")


def _agent_session(services: Services, role: str, name: str | None = None) -> str:
    name = name or role
    with services.db.write() as session:
        agent = create_agent(
            session, f"{name}@kefu.test", name.title(), "password-123456", role, None
        )
        return start_session(session, agent)


def _api_token(services: Services, name: str) -> str:
    with services.db.write() as session:
        return create_api_token(session, name, TOKENS[name])


def _customer() -> dict[str, str]:
    token = identity_token(UID, "matrix@example.com", "矩阵")
    return {"Authorization": f"Bearer {token}"}


def _ticket(client: TestClient, subject: str) -> str:
    body = {"category": "account", "subject": subject, "description": "请帮我看看账户"}
    response = client.post("/api/v1/tickets", json=body, headers=_customer())
    assert response.status_code == 201, response.text
    number: str = response.json()["number"]
    return number


def _unfreeze_request(client: TestClient, services: Services) -> int:
    """Requested by another security agent, so any security caller may approve it."""
    client.cookies.set(AGENT_COOKIE, _agent_session(services, "security", "requester"))
    response = client.post(
        f"/api/v1/security/accounts/{UID}/unfreeze",
        json={"reason": "identity re-verified"},
        headers={"X-CSRF-Token": CSRF},
    )
    client.cookies.delete(AGENT_COOKIE)
    assert response.status_code == 202, response.text
    request_id: int = response.json()["request_id"]
    return request_id


@pytest.fixture
def world(client: TestClient, services: Services) -> World:
    client.cookies.set("kefu_csrf", CSRF)
    world = World(
        first=_ticket(client, "账户被盗"),
        second=_ticket(client, "账户被盗（补充）"),
        unfreeze_request=_unfreeze_request(client, services),
    )
    world.sessions = {role: _agent_session(services, role) for role in sorted(AGENT_ROLES)}
    world.tokens = {name: _api_token(services, name) for name in TOKENS}
    return world


def act_as(client: TestClient, world: World, role: str) -> None:
    client.headers["X-CSRF-Token"] = CSRF
    if role == "customer":
        client.headers.update(_customer())
    elif role in AGENT_ROLES:
        client.cookies.set(AGENT_COOKIE, world.sessions[role])
    elif role in TOKENS:
        client.headers["Authorization"] = f"Bearer {world.tokens[role]}"


def snapshot(services: Services, exchange: ServedExchange) -> dict[str, object]:
    """Everything a refused call must leave as it was."""
    with services.db.read() as session:
        counts = {
            table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name not in UNAUDITED
        }
        tickets = session.execute(
            sa.select(Ticket.id, Ticket.status, Ticket.assignee_id, Ticket.team_id)
        ).all()
        requests = session.execute(sa.select(UnfreezeRequest.id, UnfreezeRequest.status)).all()
    accounts = {uid: acct.status for uid, acct in exchange.exchange.accounts.items()}
    return {"counts": counts, "tickets": tickets, "requests": requests, "accounts": accounts}


CELLS = [pytest.param(name, role, id=f"{name}-{role}") for name in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CELLS)
def test_authorization(
    client: TestClient,
    services: Services,
    exchange: ServedExchange,
    world: World,
    name: str,
    role: str,
) -> None:
    rule = ACTIONS[name]
    act_as(client, world, role)
    before = snapshot(services, exchange)
    response = rule.call(client, world)
    if role in rule.allowed:
        assert response.status_code in rule.ok, response.text
        return
    assert response.status_code == refusal(name, role), response.text
    assert snapshot(services, exchange) == before
