"""Who acts in the insider tests: customers with tickets, agents signed in by role."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kefu.auth.agents import create_agent, start_session
from kefu.ingest.inbound import Channel, Inbound, Sender, Trust
from kefu.ingest.pipeline import ingest
from kefu.services import Services

CSRF = "csrf-token-for-tests"
ZHANG = ("10000003", "zhangwei@example.com", "张伟")  # a demo-exchange account (KYC facts)


def ticket_for(services: Services, uid: str, email: str, name: str) -> str:
    """A verified customer's ticket; returns its number."""
    sender = Sender(trust=Trust.VERIFIED, uid=uid, email=email, name=name)
    message = Inbound(
        channel=Channel.WEB, sender=sender, subject="充值未到账", body_text="我的充值没有到账"
    )
    return ingest(services, message).ticket_number


def new_agent(services: Services, name: str, role: str) -> str:
    """An agent of `role`; returns a session token (see `act_as`)."""
    with services.db.write() as session:
        agent = create_agent(
            session, f"{name}@demo-exchange.example", name.title(), "password-123", role, None
        )
        return start_session(session, agent)


def act_as(client: TestClient, token: str, language: str = "en") -> None:
    """Make `client` the agent with this session (cookie, CSRF cookie and header)."""
    client.cookies.set("kefu_agent", token)
    client.cookies.set("kefu_csrf", CSRF)
    client.headers["X-CSRF-Token"] = CSRF
    client.headers["Accept-Language"] = language
