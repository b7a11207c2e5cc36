"""Emergency freeze: a verified customer freezes their account at the (demo) exchange."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import AccountAction, Event, Message, OutboxJob, Ticket
from kefu.store.models.base import utcnow
from kefu.tickets.numbers import ticket_id_from_number
from tests.exchange.server import ServedExchange
from tests.support import MailSink, plain_text
from tests.trust.actors import cookie_customer, emily, zhang


def events(services: Services, prefix: str = "security.") -> list[str]:
    with services.db.read() as session:
        kinds = session.scalars(select(Event.kind).order_by(Event.id)).all()
    return [k for k in kinds if k.startswith(prefix)]


def make_jobs_due(services: Services) -> None:
    with services.db.write() as session:
        session.execute(update(OutboxJob).values(run_after=utcnow() - timedelta(seconds=1)))


def test_a_verified_customer_freezes_their_account_in_one_step(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    response = client.post(
        "/api/v1/security/freeze", json={"note": "不是我本人提的币"}, headers=zhang()
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done" and body["action"] == "freeze"
    assert "账户已冻结" in body["message"] and body["ticket"] in body["message"]
    account = exchange.exchange.accounts["10000003"]
    assert account.status == "frozen"
    [applied] = exchange.exchange.applied
    assert applied.requested_by["kind"] == "customer"
    with services.db.read() as session:
        ticket = session.get(Ticket, ticket_id_from_number(body["ticket"]))
        assert ticket is not None
        assert (ticket.category, ticket.priority, ticket.channel) == ("security", "urgent", "web")
        messages = session.scalars(select(Message).where(Message.ticket_id == ticket.id)).all()
    assert [m.author_kind for m in messages] == ["customer", "system"]
    assert "不是我本人提的币" in messages[0].body_text
    assert "冻结" in messages[1].body_text and messages[1].visibility == "public"
    assert events(services) == ["security.freeze_requested", "security.account_frozen"]


def test_the_customer_is_emailed_the_confirmation_in_their_language(
    client: TestClient,
    services: Services,
    exchange: ServedExchange,
    worker: Worker,
    mail_sink: MailSink,
) -> None:
    number = client.post("/api/v1/security/freeze", json={}, headers=emily()).json()["ticket"]
    make_jobs_due(services)
    worker.run_once()

    texts = [plain_text(m) for m in mail_sink.messages() if number in m["Subject"]]
    assert any("The account is frozen at the exchange" in text for text in texts)
    assert all("anti-phishing code" in text for text in texts)


def test_a_retry_with_the_same_key_freezes_once_and_opens_one_ticket(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    headers = {**zhang(), "Idempotency-Key": "panic-button-1"}
    first = client.post("/api/v1/security/freeze", json={}, headers=headers).json()
    again = client.post("/api/v1/security/freeze", json={}, headers=headers).json()

    assert again["replayed"] is True and again["ticket"] == first["ticket"]
    assert len(exchange.exchange.applied) == 1
    with services.db.read() as session:
        assert (
            session.scalar(select(AccountAction.id).where(AccountAction.id != first["action_id"]))
            is None
        )
        assert len(session.scalars(select(Ticket.id)).all()) == 1


def test_when_the_exchange_is_down_the_job_finishes_the_freeze(
    client: TestClient, services: Services, exchange: ServedExchange, worker: Worker
) -> None:
    exchange.exchange.inject_fault("unavailable_before")
    response = client.post("/api/v1/security/freeze", json={}, headers=emily())

    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert exchange.exchange.accounts["10000004"].status == "active"
    make_jobs_due(services)
    worker.run_once()

    assert exchange.exchange.accounts["10000004"].status == "frozen"
    assert events(services) == [
        "security.freeze_requested",
        "security.freeze_attempt_failed",
        "security.account_frozen",
    ]


def test_a_freeze_reaches_the_exchange_exactly_once_even_if_the_job_is_retried(
    client: TestClient, services: Services, exchange: ServedExchange, worker: Worker
) -> None:
    # The exchange applies the freeze but the answer is lost: kefu cannot know it worked.
    exchange.exchange.inject_fault("unavailable_after")
    response = client.post("/api/v1/security/freeze", json={}, headers=zhang())
    assert response.json()["status"] == "pending"
    assert len(exchange.exchange.applied) == 1

    action_id = response.json()["action_id"]
    with services.db.write() as session:  # a duplicate delivery of the retry job
        session.add(OutboxJob(kind="exchange.account_action", payload={"action_id": action_id}))
    for _ in range(3):
        make_jobs_due(services)
        worker.run_once()

    assert len(exchange.exchange.applied) == 1
    with services.db.read() as session:
        action = session.get(AccountAction, action_id)
        assert action is not None and action.status == "done"
    assert events(services).count("security.account_frozen") == 1


def test_an_anonymous_caller_is_asked_to_sign_in(client: TestClient) -> None:
    response = client.post("/api/v1/security/freeze", json={}, headers={"Accept-Language": "en"})
    assert response.status_code == 401


def test_a_merely_claimed_identity_is_refused_and_told_how_to_proceed(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    headers = cookie_customer(client, services, "claimed")
    response = client.post("/api/v1/security/freeze", json={}, headers=headers)

    assert response.status_code == 403
    assert "official hotline" in response.json()["message"]
    zh = client.post("/api/v1/security/freeze?lang=zh-Hans", json={}, headers=headers)
    assert "官方热线" in zh.json()["message"]
    assert exchange.exchange.applied == []
    assert events(services) == []


def test_a_customer_without_an_exchange_account_gets_a_ticket_for_the_security_team(
    client: TestClient, services: Services, exchange: ServedExchange, wang: dict[str, str]
) -> None:
    response = client.post("/api/v1/security/freeze", json={}, headers=wang)

    assert response.status_code == 202
    assert response.json()["status"] == "failed"
    assert response.json()["ticket"]
    assert events(services) == ["security.freeze_requested", "security.freeze_failed"]


def test_a_customer_sees_their_own_account_status(
    client: TestClient, exchange: ServedExchange
) -> None:
    client.post("/api/v1/security/freeze", json={}, headers=emily())
    account = client.get("/api/v1/security/account", headers=emily()).json()
    assert account["uid"] == "10000004" and account["status"] == "frozen"
    assert "api_keys" not in account or account["api_keys"] is None
