"""The honest promise at submission: the matching policy's target in its own calendar,
in both languages, on the portal confirmation, in the API response and the email."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kefu.ingest.inbound import Channel
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import Customer, SlaPolicy
from kefu.work.policies import promise_text, reply_promise
from tests.support import MailSink, plain_text
from tests.work.conftest import drain, get_ticket, open_ticket

pytestmark = pytest.mark.usefixtures("sla_policies")

STANDARD = (
    "我们会在 24 个工作小时内回复；工作时间：北京时间周一至周五 09:00–18:00（法定节假日除外）。",
    "We reply within 24 business hours; our hours are "
    "Mon–Fri 09:00–18:00 UTC+8 (except public holidays).",
)
URGENT = (
    "我们会在 2 小时内回复（7×24 小时服务）。",
    "We reply within 2 hours, around the clock (24/7).",
)
CHAT = (
    "我们会在 5 分钟内回复（7×24 小时服务）。",
    "We reply within 5 minutes, around the clock (24/7).",
)
VIP = (
    "我们会在 4 个工作小时内回复；工作时间：北京时间周一至周五 09:00–18:00（法定节假日除外）。",
    "We reply within 4 business hours; our hours are "
    "Mon–Fri 09:00–18:00 UTC+8 (except public holidays).",
)


def promise_of(services: Services, ticket_id: int) -> tuple[str, str, str]:
    promise = reply_promise(services, get_ticket(services, ticket_id))
    return promise.policy, promise_text(promise, "zh-Hans"), promise_text(promise, "en")


def make_vip(services: Services) -> None:
    with services.db.write() as session:
        session.execute(update(Customer).values(tier="vip"))


def test_each_policy_promises_its_own_target_in_its_own_hours(services: Services) -> None:
    standard = open_ticket(services, "怎么充值")
    urgent = open_ticket(services, "账户被盗", priority_floor="urgent")
    chat = open_ticket(services, "在吗", channel=Channel.CHAT)
    assert promise_of(services, standard) == ("standard", *STANDARD)
    assert promise_of(services, urgent) == ("urgent", *URGENT)
    assert promise_of(services, chat) == ("chat", *CHAT)
    make_vip(services)
    assert promise_of(services, open_ticket(services, "VIP 问题")) == ("vip", *VIP)


def test_a_24_7_calendar_never_speaks_of_business_hours(services: Services) -> None:
    urgent = open_ticket(services, "账户被盗", priority_floor="urgent")
    _, zh, en = promise_of(services, urgent)
    assert "business" not in en and "工作小时" not in zh and "工作时间" not in zh


def test_the_promise_follows_an_edited_policy_and_its_chosen_calendar(services: Services) -> None:
    with services.db.write() as session:
        always = session.scalar(select(SlaPolicy.calendar_id).where(SlaPolicy.slug == "urgent"))
        session.execute(
            update(SlaPolicy)
            .where(SlaPolicy.slug == "standard")
            .values(first_reply_minutes=60, calendar_id=always)
        )
    _, zh, en = promise_of(services, open_ticket(services, "怎么充值"))
    assert (zh, en) == (
        "我们会在 1 小时内回复（7×24 小时服务）。",
        "We reply within 1 hour, around the clock (24/7).",
    )


def test_the_portal_confirmation_shows_the_promise_in_the_page_language(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    assert STANDARD[0] in submit_on_portal(client, wang, "充值未到账")
    make_vip(services)
    client.get("/lang/en", follow_redirects=False)
    page = submit_on_portal(client, wang, "deposit missing")
    assert VIP[1] in page
    assert "24 business hours" not in page


def submit_on_portal(client: TestClient, wang: dict[str, str], subject: str) -> str:
    token = wang["Authorization"].split()[1]
    client.get(f"/portal/sso?token={token}", follow_redirects=False)
    form = client.get("/portal/tickets/new")
    csrf = client.cookies.get("kefu_csrf")
    submission = form.text.split('name="submission_id" value="')[1].split('"')[0]
    response = client.post(
        "/portal/tickets/new",
        data={
            "csrf": csrf,
            "submission_id": submission,
            "category": "deposit_withdrawal",
            "subject": subject,
            "description": "TxID 0xabc",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200 and "?created=1" in str(response.url)
    return response.text


def test_the_api_response_carries_the_promise(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    body = {"category": "deposit_withdrawal", "subject": "充值未到账", "description": "TxID"}
    first = client.post("/api/v1/tickets", json=body, headers=wang).json()
    assert first["expected_reply"] == {
        "policy": "standard",
        "minutes": 1440,
        "around_the_clock": False,
        "business_hours": "北京时间周一至周五 09:00–18:00（法定节假日除外）",
        "text": STANDARD[0],
    }
    make_vip(services)
    english = {**wang, "Accept-Language": "en"}
    vip = client.post("/api/v1/tickets", json={**body, "language": "en"}, headers=english).json()
    assert vip["expected_reply"]["policy"] == "vip"
    assert vip["expected_reply"]["minutes"] == 240
    assert vip["expected_reply"]["text"] == VIP[1]
    listed = client.get(f"/api/v1/tickets/{vip['number']}", headers=wang).json()
    assert listed["expected_reply"] is None  # a promise made at submission, not a field


def test_the_confirmation_email_makes_the_same_promise(
    services: Services, worker: Worker, mail_sink: MailSink
) -> None:
    open_ticket(services, "账户被盗，请冻结", priority_floor="urgent")
    drain(worker)
    [mail] = mail_sink.messages()
    body = plain_text(mail)
    assert URGENT[0] in body
    assert "工作小时" not in body
