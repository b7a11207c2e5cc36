"""Agents see each email's loop tags and its DKIM/SPF results as badges, in their language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kefu.channels.email.receive import EmailReceiver
from kefu.services import Services
from tests.channels.email.email_kit import dkim_signed, make_email
from tests.insider.people import act_as, new_agent


def test_the_ticket_page_shows_the_loop_tags_and_authentication_of_each_email(
    client: TestClient, receiver: EmailReceiver, email_services: Services
) -> None:
    first = receiver.receive(dkim_signed(make_email("充值没到账", message_id="<s1@example.com>")))
    receiver.receive(
        make_email(
            "I am out of office",
            in_reply_to="<s1@example.com>",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    page = f"/agent/tickets/{first.ticket_number}"

    act_as(client, new_agent(email_services, "ann", "agent"), language="en")
    english = client.get(page).text
    act_as(client, new_agent(email_services, "bo", "agent"), language="zh-Hans")
    chinese = client.get(page).text

    assert '<span class="badge auth-pass">DKIM pass (example.com)</span>' in english
    assert '<span class="badge auth-none">no DKIM signature</span>' in english
    assert ">auto-reply</span>" in english
    assert "DKIM 签名有效（example.com）" in chinese and ">自动回复</span>" in chinese
    assert "无 DKIM 签名" in chinese
    assert "dkim=pass" not in english  # the raw metadata is no longer what agents read
