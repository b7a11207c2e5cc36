"""Agent sign-in lockout with backoff, kept in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.auth.agents import create_agent
from kefu.auth.lockout import LockoutPolicy, locked_for, record_failure
from kefu.services import Services
from kefu.store.models import AgentLockout, Event
from kefu.store.models.base import utcnow
from tests.trust.actors import CSRF

EMAIL = "lock@demo-exchange.example"
PASSWORD = "right-password-1"


@pytest.fixture
def secret(services: Services) -> str:
    with services.db.write() as session:
        agent = create_agent(session, EMAIL, "Lock", PASSWORD, "agent", None)
        agent.totp_confirmed = True
        return agent.totp_secret


@dataclass(frozen=True)
class Outcome:
    status_code: int
    retry_after: str
    cookies: str
    text: str


def _sign_in(client: TestClient, password: str, code: str, lang: str = "en") -> Outcome:
    client.cookies.set("kefu_csrf", CSRF)
    response = client.post(
        "/agent/login",
        data={"email": EMAIL, "password": password, "code": code, "csrf": CSRF},
        headers={"Accept": "text/html", "Accept-Language": lang},
        follow_redirects=False,
    )
    headers = response.headers
    return Outcome(
        response.status_code,
        headers.get("Retry-After", ""),
        headers.get("set-cookie", ""),
        response.text,
    )


def _event_kinds(services: Services) -> list[str]:
    with services.db.read() as session:
        return list(session.scalars(select(Event.kind).order_by(Event.id)))


def _pass_the_lock(services: Services) -> None:
    """Time passes: the lock ends (the failure count stays)."""
    with services.db.write() as session:
        for row in session.scalars(select(AgentLockout)):
            row.locked_until = utcnow() - timedelta(seconds=1)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(
    client: TestClient, services: Services, secret: str
) -> None:
    for _ in range(5):
        assert _sign_in(client, "wrong-password", "000000").status_code == 401
    refused = _sign_in(client, PASSWORD, pyotp.TOTP(secret).now())
    assert refused.status_code == 429
    assert 55 <= int(refused.retry_after) <= 60
    assert "Too many failed sign-ins" in refused.text
    assert "kefu_agent" not in refused.cookies
    zh = _sign_in(client, PASSWORD, pyotp.TOTP(secret).now(), lang="zh-CN")
    assert zh.status_code == 429 and "已暂时锁定" in zh.text
    kinds = _event_kinds(services)
    assert kinds.count("agent.login_failed") == 5
    assert kinds.count("agent.locked_out") == 1
    assert kinds.count("agent.login_refused_locked") == 2


def test_wrong_codes_count_too_and_success_after_the_lock_resets(
    client: TestClient, services: Services, secret: str
) -> None:
    for _ in range(5):
        assert _sign_in(client, PASSWORD, "000000").status_code == 401
    assert _sign_in(client, PASSWORD, pyotp.TOTP(secret).now()).status_code == 429
    _pass_the_lock(services)
    assert _sign_in(client, PASSWORD, pyotp.TOTP(secret).now()).status_code == 303
    with services.db.read() as session:
        assert session.scalars(select(AgentLockout)).first() is None
    assert _sign_in(client, "wrong-password", "000000").status_code == 401  # count from zero


def test_each_failure_after_a_lock_doubles_the_wait_up_to_the_cap(
    services: Services, secret: str
) -> None:
    policy = LockoutPolicy(after_failures=3, base_seconds=60, max_seconds=300)
    now = utcnow()
    with services.db.write() as session:
        earned = [record_failure(session, EMAIL, "password", policy, now) for _ in range(6)]
        assert earned == [0, 0, 60, 120, 240, 300]
        assert locked_for(session, EMAIL, now + timedelta(seconds=299)) == 1
        assert locked_for(session, EMAIL, now + timedelta(seconds=300)) == 0
        assert locked_for(session, "nobody@example.com", now) == 0


def test_unknown_accounts_have_nothing_to_lock(services: Services) -> None:
    with services.db.write() as session:
        assert record_failure(session, "nobody@example.com", "password", LockoutPolicy()) == 0
        assert session.scalars(select(AgentLockout)).first() is None


def test_sign_in_attempts_are_rate_limited_per_address(client: TestClient) -> None:
    statuses = []
    for i in range(21):
        client.cookies.set("kefu_csrf", CSRF)
        response = client.post(
            "/agent/login",
            data={"email": f"guess{i}@example.com", "password": "x", "csrf": CSRF},
            headers={"Accept-Language": "en"},
        )
        statuses.append(response.status_code)
    assert statuses == [401] * 20 + [429]
    assert response.json()["code"] == "rate_limited"
    assert "Too many sign-in attempts" in response.json()["message"]
