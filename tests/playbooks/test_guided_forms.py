"""The portal's guided forms and their REST twin: each opens one ticket through ingest()
with the right category, team and priority, and the answers kept on the message."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.auth.customer_tokens import sign_identity_token
from kefu.services import Services
from kefu.store.models import Attachment, Message, Team, Ticket
from tests.conftest import IDENTITY_SECRET
from tests.trust.actors import cookie_customer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
WITHDRAWAL = {
    "asset": "btc",
    "amount": "12.5",
    "address": BTC_ADDRESS,
    "network": "BTC",
    "planned_time": "2030-06-01T10:00",
}


def sign_in(client: TestClient, uid: str = "20000001", email: str = "wang@example.com") -> None:
    token = sign_identity_token(IDENTITY_SECRET, uid, email, "王伟")
    assert client.get(f"/portal/sso?token={token}").status_code == 200


def form_page(client: TestClient, slug: str, lang: str = "en") -> tuple[str, str]:
    page = client.get(f"/portal/guided/{slug}?lang={lang}")
    assert page.status_code == 200
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    return page.text, match.group(1) if match else ""


def only_ticket(services: Services) -> tuple[Ticket, Message, str]:
    with services.db.read() as session:
        ticket = session.scalars(select(Ticket)).one()
        message = session.scalars(select(Message).where(Message.ticket_id == ticket.id)).one()
        team = session.get(Team, ticket.team_id)
        return ticket, message, team.slug if team else ""


def test_a_verified_customer_pre_reports_a_large_withdrawal_to_security(
    client: TestClient, services: Services
) -> None:
    sign_in(client)
    page, csrf = form_page(client, "large-withdrawal")
    assert "Large withdrawal pre-report" in page and "will never ask for your password" in page
    done = client.post(
        "/portal/guided/large-withdrawal?lang=en",
        data={**WITHDRAWAL, "csrf": csrf, "submission_id": "s1"},
        follow_redirects=False,
    )
    assert done.status_code == 303

    ticket, message, team = only_ticket(services)
    assert done.headers["location"] == f"/portal/tickets/{ticket.number}?created=1"
    assert (ticket.category, team, ticket.priority) == ("deposit_withdrawal", "security", "high")
    assert ticket.subject == "Large withdrawal pre-report: 12.5 BTC"
    assert message.meta["playbook"] == "large-withdrawal"
    assert message.meta["form.address"] == BTC_ADDRESS
    assert message.meta["form.planned_time"] == "2030-06-01 10:00"
    assert f"提现地址 | Withdrawal address: {BTC_ADDRESS}" in message.body_text
    assert "large_withdrawal" in ticket.tags


def test_an_email_only_customer_cannot_pre_report_a_withdrawal(
    client: TestClient, services: Services
) -> None:
    headers = cookie_customer(client, services, "claimed")
    page, _ = form_page(client, "large-withdrawal")
    assert 'data-blocked="needs_verified"' in page and 'name="amount"' not in page
    refused = client.post(
        "/portal/guided/large-withdrawal",
        data={**WITHDRAWAL, "csrf": headers["X-CSRF-Token"], "submission_id": "s2"},
    )
    assert refused.status_code == 403
    with services.db.read() as session:
        assert session.scalars(select(Ticket)).all() == []


def test_an_email_only_customer_may_ask_for_a_2fa_reset(
    client: TestClient, services: Services
) -> None:
    cookie_customer(client, services, "claimed")
    page, csrf = form_page(client, "2fa-reset", "zh-Hans")
    assert "客服绝不会索要您的密码" in page
    assert 'value="claimed@example.com"' in page  # the account is prefilled
    answers = {"account": "claimed@example.com", "lost": "authenticator", "last_login": "上周"}
    done = client.post(
        "/portal/guided/2fa-reset?lang=zh-Hans",
        data={**answers, "csrf": csrf, "submission_id": "s3"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    ticket, message, team = only_ticket(services)
    assert (ticket.category, team) == ("security", "security")
    assert ticket.subject == "重置申请：谷歌验证器（手机丢失或更换）"
    assert message.meta["form.lost"] == "authenticator"
    assert "Authenticator app (device lost or replaced)" in message.body_text


def test_a_password_typed_into_a_field_is_redacted_before_storage(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    fields = {
        "account": "20000001",
        "lost": "password",
        "recent_deposit": "0.5 BTC last week, my password is Hunter2!xyz",
    }
    created = client.post(
        "/api/v1/playbooks/2fa-reset/tickets", json={"fields": fields}, headers=wang
    )
    assert created.status_code == 201
    _, message, _ = only_ticket(services)
    assert "Hunter2!xyz" not in message.body_text
    assert "Hunter2!xyz" not in str(message.meta)
    assert "0.5 BTC last week" in message.meta["form.recent_deposit"]
    assert [r["kind"] for r in message.redactions] == ["password"]


def test_invalid_answers_are_explained_in_the_customers_language_and_kept(
    client: TestClient, services: Services
) -> None:
    sign_in(client)
    _, csrf = form_page(client, "large-withdrawal", "zh-Hans")
    answers = {**WITHDRAWAL, "amount": "lots", "network": "", "address": "<script>x</script>"}
    page = client.post(
        "/portal/guided/large-withdrawal?lang=zh-Hans",
        data={**answers, "csrf": csrf, "submission_id": "s4"},
    )
    assert page.status_code == 422
    assert "“数量”的格式不正确。" in page.text and "请填写“网络”。" in page.text
    assert "“提现地址”的格式不正确。" in page.text
    assert "<script>x</script>" not in page.text and "&lt;script&gt;x&lt;/script&gt;" in page.text
    assert 'aria-invalid="true"' in page.text
    with services.db.read() as session:
        assert session.scalars(select(Ticket)).all() == []


def test_a_trading_dispute_keeps_its_screenshots(client: TestClient, services: Services) -> None:
    sign_in(client)
    page, csrf = form_page(client, "trading-dispute")
    assert 'name="screenshots"' in page
    answers = {
        "order_id": "884213377",
        "pair": "BTC/USDT",
        "trade_time": "2024-06-01T09:30",
        "description": "My limit order filled far above the limit price.",
    }
    done = client.post(
        "/portal/guided/trading-dispute?lang=en",
        data={**answers, "csrf": csrf, "submission_id": "s5"},
        files=[("screenshots", ("fill.png", PNG, "image/png"))],
        follow_redirects=False,
    )
    assert done.status_code == 303
    ticket, message, team = only_ticket(services)
    assert (ticket.category, team) == ("trading", "support")
    assert ticket.subject == "Trading dispute: order 884213377 (BTC/USDT)"
    with services.db.read() as session:
        attachment = session.scalars(select(Attachment)).one()
        assert attachment.message_id == message.id and attachment.filename == "fill.png"


def test_the_api_opens_a_guided_ticket_once_per_idempotency_key(
    client: TestClient, services: Services, lina: dict[str, str]
) -> None:
    headers = {**lina, "Idempotency-Key": "k-1"}
    body = {"fields": WITHDRAWAL}
    first = client.post("/api/v1/playbooks/large-withdrawal/tickets", json=body, headers=headers)
    again = client.post("/api/v1/playbooks/large-withdrawal/tickets", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["priority"] == "high"


def test_the_api_names_the_field_that_is_wrong(client: TestClient, lina: dict[str, str]) -> None:
    url = "/api/v1/playbooks/trading-dispute/tickets"
    bad = client.post(url, json={"fields": {"order_id": "1", "pair": "BTCUSDT"}}, headers=lina)
    assert bad.status_code == 422
    assert bad.json()["message"] == "“Order ID” is not in a valid format."
    unknown = client.post(url, json={"fields": {"password": "x"}}, headers=lina)
    assert unknown.json()["code"] == "unknown_field"
    missing = client.post("/api/v1/playbooks/nope/tickets", json={"fields": {}}, headers=lina)
    assert missing.status_code == 404
