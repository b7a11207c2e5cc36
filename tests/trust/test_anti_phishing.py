"""The anti-phishing code: set by the customer, shown in every email kefu sends them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import Event
from tests.support import MailSink
from tests.trust.actors import cookie_customer

CODE_URL = "/api/v1/me/anti-phishing-code"


def test_an_email_sent_after_setting_the_code_carries_it(
    client: TestClient,
    services: Services,
    worker: Worker,
    mail_sink: MailSink,
    wang: dict[str, str],
) -> None:
    response = client.put(CODE_URL, json={"code": "Moon8Cat"}, headers=wang)
    assert response.status_code == 200

    client.post(
        "/api/v1/tickets",
        json={"category": "account", "subject": "KYC", "description": "审核多久？"},
        headers=wang,
    )
    worker.run_once()

    [mail] = mail_sink.messages()
    plain = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert plain.get_content().splitlines()[0] == "您的防钓鱼码：Moon8Cat"
    assert "Moon8Cat" in html.get_content()


def test_the_code_is_audited_but_never_written_to_the_log(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    client.put(CODE_URL, json={"code": "Moon8Cat"}, headers=wang)
    client.put(CODE_URL, json={"code": "安全暗号2024"}, headers=wang)
    with services.db.read() as session:
        rows = session.scalars(
            select(Event).where(Event.kind == "customer.anti_phishing_code_set")
        ).all()
        assert [e.data for e in rows] == [{"replaced": False}, {"replaced": True}]


def test_invalid_codes_are_refused_in_the_callers_language(
    client: TestClient, lina: dict[str, str]
) -> None:
    for code in ("abc", "has space", "a" * 21, "semi;colon", "under_score"):
        response = client.put(CODE_URL, json={"code": code}, headers=lina)
        assert response.status_code in (400, 422), code
    message = client.put(CODE_URL, json={"code": "abc"}, headers=lina).json()["message"]
    assert message == "The code must be 4–20 letters or digits."


def test_only_a_verified_customer_may_set_it(client: TestClient, services: Services) -> None:
    headers = cookie_customer(client, services, "claimed")
    response = client.put(CODE_URL, json={"code": "Moon8Cat"}, headers=headers)
    assert response.status_code == 403
    assert client.put(CODE_URL, json={"code": "Moon8Cat"}).status_code in (401, 403)
