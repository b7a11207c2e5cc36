"""The signed one-click freeze link in security emails: confirm on GET, freeze once on POST."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import AccountAction, Customer, Ticket
from kefu.store.models.base import utcnow
from kefu.trust.freeze_link import mint_freeze_token
from tests.exchange.server import ServedExchange
from tests.support import MailSink, plain_text
from tests.trust.actors import emily, zhang

LINK = re.compile(r"/security/freeze\?t=(\S+)")


def open_ticket(client: TestClient, headers: dict[str, str], category: str) -> str:
    text = "I did not log in" if category == "security" else "How do limit orders work?"
    body = {"category": category, "subject": text, "description": text}
    response = client.post("/api/v1/tickets", json=body, headers=headers)
    assert response.status_code == 201, response.text
    number: str = response.json()["number"]
    return number


def mailed_token(mail_sink: MailSink, number: str) -> str | None:
    texts = [plain_text(m) for m in mail_sink.messages() if number in m["Subject"]]
    assert texts, "no email about the ticket"
    found = LINK.search(texts[-1])
    return unquote(found.group(1)) if found else None


def emailed_link(client: TestClient, worker: Worker, mail_sink: MailSink) -> str:
    number = open_ticket(client, emily(), "security")
    worker.run_once()
    token = mailed_token(mail_sink, number)
    assert token is not None
    return token


def confirm(client: TestClient, token: str) -> tuple[int, str]:
    page = client.get("/security/freeze", params={"t": token})
    csrf = client.cookies["kefu_csrf"]
    done = client.post("/security/freeze", data={"csrf": csrf, "t": token})
    assert page.status_code == 200
    return done.status_code, done.text


def actions(services: Services) -> list[AccountAction]:
    with services.db.read() as session:
        return list(session.scalars(select(AccountAction)))


def customer_id(services: Services, uid: str) -> int:
    with services.db.read() as session:
        found = session.scalar(select(Customer.id).where(Customer.uid == uid))
    assert found is not None
    return found


def test_a_security_ticket_email_carries_the_link_and_others_do_not(
    client: TestClient, worker: Worker, mail_sink: MailSink
) -> None:
    security = open_ticket(client, zhang(), "security")
    other = open_ticket(client, zhang(), "trading")
    worker.run_once()

    assert mailed_token(mail_sink, security) is not None
    assert mailed_token(mail_sink, other) is None
    text = plain_text(next(m for m in mail_sink.messages() if security in m["Subject"]))
    assert "valid for 72 hours, usable once" in text  # in the ticket's language (English)


def test_opening_the_link_only_asks_for_confirmation(
    client: TestClient,
    services: Services,
    exchange: ServedExchange,
    worker: Worker,
    mail_sink: MailSink,
) -> None:
    token = emailed_link(client, worker, mail_sink)

    page = client.get("/security/freeze", params={"t": token}, headers={"Accept-Language": "en"})

    assert page.status_code == 200 and "Freeze my account now" in page.text
    assert 'action="/security/freeze"' in page.text
    assert exchange.exchange.accounts["10000004"].status == "active"
    assert actions(services) == []


def test_confirming_freezes_and_opens_an_urgent_security_ticket(
    client: TestClient,
    services: Services,
    exchange: ServedExchange,
    worker: Worker,
    mail_sink: MailSink,
) -> None:
    token = emailed_link(client, worker, mail_sink)

    status, text = confirm(client, token)

    assert status == 200 and "您的账户已冻结" in text  # no Accept-Language: Chinese
    assert exchange.exchange.accounts["10000004"].status == "frozen"
    with services.db.read() as session:
        ticket = session.scalars(select(Ticket).order_by(Ticket.id.desc())).first()
    assert ticket is not None and ticket.priority == "urgent" and ticket.category == "security"
    assert ticket.number is not None and ticket.number in text


def test_a_link_works_once(
    client: TestClient,
    services: Services,
    exchange: ServedExchange,
    worker: Worker,
    mail_sink: MailSink,
) -> None:
    token = emailed_link(client, worker, mail_sink)
    assert confirm(client, token)[0] == 200

    again = client.get("/security/freeze", params={"t": token})
    assert again.status_code == 409 and 'data-problem="used"' in again.text
    post = client.post("/security/freeze", data={"csrf": client.cookies["kefu_csrf"], "t": token})
    assert post.status_code == 409
    assert [c.action for c in exchange.exchange.applied] == ["freeze"]
    assert len(actions(services)) == 1


def test_an_expired_link_is_refused(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    open_ticket(client, zhang(), "security")
    old = mint_freeze_token(
        services, customer_id(services, "10000003"), utcnow() - timedelta(hours=73)
    )

    page = client.get("/security/freeze", params={"t": old}, headers={"Accept-Language": "en"})
    assert page.status_code == 400 and "This freeze link has expired" in page.text
    post = client.post("/security/freeze", data={"csrf": client.cookies["kefu_csrf"], "t": old})
    assert post.status_code == 400
    assert exchange.exchange.applied == []


def test_a_tampered_link_is_refused(
    client: TestClient,
    services: Services,
    exchange: ServedExchange,
    worker: Worker,
    mail_sink: MailSink,
) -> None:
    token = emailed_link(client, worker, mail_sink)
    value, _, mac = token.rpartition(".")
    someone_else = value.replace(":", ":9", 1)  # another customer id, the old signature
    for forged in (f"{someone_else}.{mac}", f"{value}.{'0' * len(mac)}", "garbage"):
        page = client.get(
            "/security/freeze", params={"t": forged}, headers={"Accept-Language": "zh-CN"}
        )
        assert page.status_code == 400 and "此冻结链接无效" in page.text
    assert exchange.exchange.applied == []


def test_confirming_needs_the_csrf_token(
    client: TestClient, exchange: ServedExchange, worker: Worker, mail_sink: MailSink
) -> None:
    token = emailed_link(client, worker, mail_sink)
    client.get("/security/freeze", params={"t": token})

    response = client.post("/security/freeze", data={"csrf": "wrong", "t": token})

    assert response.status_code == 403
    assert exchange.exchange.applied == []
