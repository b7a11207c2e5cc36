"""The email check: crafted messages judged against the demo registry, and the fake ones
reported to the security team through ingest()."""

from __future__ import annotations

import re
from pathlib import Path

import dkim  # type: ignore[import-untyped]
from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.auth.customer_tokens import sign_identity_token
from kefu.channels.email.authenticity import zone_resolver
from kefu.playbooks.email_check import (
    EmailReport,
    EmailVerdict,
    check_reported_email,
    raw_from_paste,
)
from kefu.services import Services
from kefu.store.models import Attachment, Customer, Message, Team, Ticket
from kefu.trust.registry import DEMO_IDENTITIES, Registry
from tests.channels.email.email_kit import DKIM_PRIVATE_KEY, DKIM_PUBLIC_KEY
from tests.conftest import IDENTITY_SECRET

FIXTURES = Path(__file__).parent / "fixtures"
REGISTRY = Registry(DEMO_IDENTITIES, ("Demo Exchange", "演示交易所"))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def codes(report: EmailReport, outcome: str) -> set[str]:
    return {c.code for c in report.checks if c.outcome == outcome}


def test_an_official_dkim_signed_email_with_the_customers_code_is_genuine() -> None:
    report = check_reported_email(fixture("genuine__dkim_pass_with_code.eml"), REGISTRY, "Panda42")
    assert report.verdict is EmailVerdict.GENUINE
    assert {"sender_official", "dkim_pass", "dmarc_pass", "code_matches", "link_official"} <= (
        codes(report, "good")
    )
    assert codes(report, "bad") == set()


def test_the_same_email_shows_a_wrong_code_to_another_customer() -> None:
    report = check_reported_email(fixture("genuine__dkim_pass_with_code.eml"), REGISTRY, "Tiger77")
    assert report.verdict is EmailVerdict.FAKE
    assert "code_wrong" in codes(report, "bad")


def test_a_look_alike_sender_domain_is_fake_even_with_its_own_dkim_pass() -> None:
    report = check_reported_email(fixture("fake__lookalike_sender.eml"), REGISTRY, None)
    assert report.verdict is EmailVerdict.FAKE
    lookalike = next(c for c in report.checks if c.code == "sender_lookalike")
    assert lookalike.params["address"] == "security@dem0-exchange.example"
    dkim_pass = next(c for c in report.checks if c.code == "dkim_pass")
    assert dkim_pass.params == {"domain": "dem0-exchange.example"}  # the impostor signed it


def test_failing_dkim_is_fake_and_a_forged_pass_below_the_providers_header_is_ignored() -> None:
    report = check_reported_email(fixture("fake__dkim_fail.eml"), REGISTRY, None)
    assert report.verdict is EmailVerdict.FAKE
    assert {"dkim_fail", "dmarc_fail"} <= codes(report, "bad")
    assert "dkim_pass" not in codes(report, "good")


def test_a_link_to_a_look_alike_domain_makes_an_otherwise_clean_email_fake() -> None:
    report = check_reported_email(fixture("fake__lookalike_link.eml"), REGISTRY, "Panda42")
    assert report.verdict is EmailVerdict.FAKE
    link = next(c for c in report.checks if c.code == "link_lookalike")
    assert link.params == {
        "host": "demo-exchange.example.claim-airdrop.example",
        "real": "demo-exchange.example",
    }


def test_pasted_headers_with_the_providers_pass_are_genuine() -> None:
    head = fixture("genuine__dkim_pass_with_code.eml").decode().split("\n\n")[0]
    report = check_reported_email(raw_from_paste(head), REGISTRY, None)
    assert report.verdict is EmailVerdict.GENUINE
    assert "code_absent" in codes(report, "unknown")


def test_pasted_headers_without_authentication_results_cannot_tell() -> None:
    headers = "From: Demo Exchange <support@demo-exchange.example>\nSubject: Your ticket\n"
    report = check_reported_email(raw_from_paste(headers, "Hello"), REGISTRY, None)
    assert report.verdict is EmailVerdict.CANNOT_TELL
    assert "dkim_missing" in codes(report, "unknown")


def test_an_unproven_official_looking_email_without_the_customers_code_is_fake() -> None:
    headers = "From: Demo Exchange <support@demo-exchange.example>\nSubject: Your ticket\n"
    report = check_reported_email(raw_from_paste(headers, "Send us your code"), REGISTRY, "Panda42")
    assert report.verdict is EmailVerdict.FAKE
    assert "code_missing" in codes(report, "bad")


def test_kefus_own_dkim_check_proves_a_signed_message_when_given_a_resolver() -> None:
    message = (
        b"From: Demo Exchange <noreply@demo-exchange.example>\r\nTo: wang@example.com\r\n"
        b"Subject: Statement\r\nMessage-ID: <s1@demo-exchange.example>\r\n\r\n"
        b"Your anti-phishing code: Panda42\r\n"
    )
    signature = dkim.sign(
        message, b"s1", b"demo-exchange.example", DKIM_PRIVATE_KEY, include_headers=[b"from"]
    )
    zone = {"s1._domainkey.demo-exchange.example": f"v=DKIM1; k=rsa; p={DKIM_PUBLIC_KEY}"}
    signed = signature + message
    report = check_reported_email(signed, REGISTRY, "Panda42", zone_resolver(zone))
    assert report.verdict is EmailVerdict.GENUINE
    assert "dkim_pass" in codes(report, "good")
    assert check_reported_email(signed, REGISTRY, "Panda42").verdict is EmailVerdict.CANNOT_TELL


# over the web ------------------------------------------------------------------------------


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def sign_in(client: TestClient, uid: str, email: str) -> None:
    token = sign_identity_token(IDENTITY_SECRET, uid, email, "Wang")
    assert client.get(f"/portal/sso?token={token}").status_code == 200


def test_the_verify_page_links_to_the_email_check(client: TestClient) -> None:
    assert 'href="/verify/email"' in client.get("/verify?lang=en").text


def test_an_uploaded_fake_opens_one_security_ticket_with_the_email_attached(
    client: TestClient, services: Services
) -> None:
    csrf = csrf_of(client.get("/verify/email?lang=en").text)
    upload = {"eml": ("mail.eml", fixture("fake__lookalike_sender.eml"), "message/rfc822")}
    data = {"csrf": csrf, "contact": "victim@example.com"}
    page = client.post("/verify/email?lang=en", data=data, files=upload)
    assert page.status_code == 200
    assert 'data-verdict="fake"' in page.text and "This email is fake" in page.text
    assert 'data-check="sender_lookalike"' in page.text
    number = re.search(r'data-ticket="([^"]+)"', page.text)
    assert number is not None
    again = client.post("/verify/email?lang=en", data=data, files=upload)
    assert f'data-ticket="{number.group(1)}"' in again.text  # the same ticket, not a second

    with services.db.read() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert ticket.number == number.group(1)
        assert ticket.category == "security"
        assert session.get(Team, ticket.team_id).slug == "security"  # type: ignore[union-attr]
        message = session.scalars(select(Message)).one()
        assert "sender_lookalike" not in message.body_text  # reasons in words, not codes
        assert "security@dem0-exchange.example" in message.body_text
        attachment = session.scalars(select(Attachment)).one()
        assert attachment.filename == "reported-email.txt"
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None and customer.email == "victim@example.com"


def test_the_signed_in_customers_own_code_decides_and_genuine_mail_opens_no_ticket(
    client: TestClient, services: Services
) -> None:
    sign_in(client, "20000001", "wang@example.com")
    with services.db.write() as session:
        customer = session.scalars(select(Customer).where(Customer.uid == "20000001")).one()
        customer.anti_phishing_code = "Panda42"
    page = client.get("/verify/email?lang=zh-Hans")
    assert "您已登录" in page.text
    upload = {"eml": ("ok.eml", fixture("genuine__dkim_pass_with_code.eml"), "message/rfc822")}
    done = client.post(
        "/verify/email?lang=zh-Hans", data={"csrf": csrf_of(page.text)}, files=upload
    )
    assert 'data-verdict="genuine"' in done.text and "这封邮件确实来自我们" in done.text
    assert 'data-check="code_matches"' in done.text
    with services.db.read() as session:
        assert session.scalars(select(Ticket)).all() == []


def test_pasted_headers_are_escaped_on_the_page(client: TestClient) -> None:
    csrf = csrf_of(client.get("/verify/email").text)
    headers = 'From: "<script>alert(1)</script>" <x@dem0-exchange.example>\nSubject: <b>hi</b>'
    page = client.post("/verify/email?lang=en", data={"csrf": csrf, "headers": headers})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "<b>hi</b>" not in page.text
    assert "&lt;b&gt;hi&lt;/b&gt;" in page.text


def test_an_empty_submission_is_refused_in_both_languages(client: TestClient) -> None:
    csrf = csrf_of(client.get("/verify/email").text)
    zh = client.post("/verify/email?lang=zh-Hans", data={"csrf": csrf})
    assert zh.status_code == 422 and "请上传邮件文件或粘贴邮件头。" in zh.text
    en = client.post("/verify/email?lang=en", data={"csrf": csrf})
    assert "Please upload the email file or paste its headers." in en.text


def test_the_api_checks_pasted_headers_and_reports_a_fake(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    head = fixture("fake__dkim_fail.eml").decode()
    answer = client.post("/api/v1/verify/email", json={"raw_email": head}, headers=wang)
    assert answer.status_code == 200
    body = answer.json()
    assert body["verdict"] == "fake" and body["verdict_label"] == "这是一封假冒邮件"
    assert {"dkim_fail", "dmarc_fail"} <= {c["code"] for c in body["checks"]}
    assert body["reported_ticket"]
    headers_only = head.split("\n\n")[0]
    again = client.post("/api/v1/verify/email", json={"headers": headers_only})
    assert again.json()["verdict"] == "fake"
    missing = client.post("/api/v1/verify/email", json={})
    assert missing.status_code in (400, 422)
    assert missing.json()["code"] == "validation_error"
