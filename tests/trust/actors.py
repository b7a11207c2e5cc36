"""Who acts in the trust tests: demo customers with exchange accounts, and agents by role."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kefu.auth.agents import create_agent, start_session
from kefu.auth.customer_tokens import sign_identity_token
from kefu.services import Services
from kefu.store.models import Customer
from kefu.web.deps import AGENT_COOKIE, CUSTOMER_COOKIE, customer_cookie_value
from tests.conftest import IDENTITY_SECRET

CSRF = "csrf-token-for-tests"


def zhang(language: str = "zh-CN") -> dict[str, str]:
    """张伟, demo UID 10000003, whose account was just emptied (seeded story)."""
    token = sign_identity_token(IDENTITY_SECRET, "10000003", "zhangwei@example.com", "张伟")
    return {"Authorization": f"Bearer {token}", "Accept-Language": language}


def emily() -> dict[str, str]:
    token = sign_identity_token(IDENTITY_SECRET, "10000004", "emily@example.com", "Emily Carter")
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def agent_headers(client: TestClient, services: Services, role: str, name: str) -> dict[str, str]:
    """Sign an agent in with a real session cookie (and the CSRF header cookie calls need)."""
    with services.db.write() as session:
        agent = create_agent(
            session, f"{name}@demo-exchange.example", name, "password-123", role, None
        )
        token = start_session(session, agent)
    client.cookies.set(AGENT_COOKIE, token)
    client.cookies.set("kefu_csrf", CSRF)
    return {"X-CSRF-Token": CSRF, "Accept-Language": "en"}


def cookie_customer(client: TestClient, services: Services, verification: str) -> dict[str, str]:
    """A portal customer signed in by email link, whose identity is only `verification`."""
    with services.db.write() as session:
        customer = Customer(email="claimed@example.com", name="Claimed", verification=verification)
        session.add(customer)
        session.flush()
        customer_id = customer.id
    client.cookies.set(CUSTOMER_COOKIE, customer_cookie_value(services, customer_id))
    client.cookies.set("kefu_csrf", CSRF)
    return {"X-CSRF-Token": CSRF, "Accept-Language": "en"}
