"""Deflection in the ticket form, searches that found nothing, and the leads' report."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.kb.signals import DEFLECTION_SETTLES
from kefu.services import Services
from kefu.store.models import HelpSignal
from tests.kb.conftest import csrf_of, sign_in_agent


def _open_form(client: TestClient, wang: dict[str, str]) -> tuple[str, str]:
    """Sign in as the customer and open the ticket form: (its submission id, the signed
    reference its suggestion links carry)."""
    token = wang["Authorization"].split()[1]
    client.get(f"/portal/sso?token={token}", follow_redirects=False)
    form = client.get("/portal/tickets/new").text
    assert 'data-deflect-url="/api/v1/kb/search"' in form and "/static/deflect.js" in form
    submission = form.split('name="submission_id" value="')[1].split('"')[0]
    reference = form.split('data-form-ref="')[1].split('"')[0]
    assert reference.startswith(f"form:{submission}.")
    return submission, reference


def _send_form(client: TestClient, form_id: str) -> None:
    response = client.post(
        "/portal/tickets/new",
        data={
            "csrf": csrf_of(client),
            "submission_id": form_id,
            "category": "deposit_withdrawal",
            "subject": "充值没到账",
            "description": "TxID 0xabc",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303


def _age_signals(services: Services, by: timedelta) -> None:
    with services.db.write() as session:
        for signal in session.scalars(select(HelpSignal)):
            signal.created_at -= by


def _signals(services: Services) -> list[tuple[str, str | None, bool]]:
    with services.db.read() as session:
        rows = session.execute(
            select(HelpSignal.kind, HelpSignal.query, HelpSignal.ticket_filed).order_by(
                HelpSignal.id
            )
        )
        return [(kind, query, filed) for kind, query, filed in rows]


def test_an_article_opened_from_the_form_and_no_ticket_sent_is_a_deflection(
    help_client: TestClient, help_center: Services, wang: dict[str, str]
) -> None:
    form_id, reference = _open_form(help_client, wang)
    # What the form's script asks while the subject is typed, and the links it shows.
    found = help_client.get("/api/v1/kb/search", params={"q": "充值没到账", "limit": 3}).json()
    url = found["results"][0]["url"]
    help_client.get(url, params={"from_form": reference})
    help_client.get(url, params={"from_form": reference})  # opened twice: one signal
    help_client.get(url, params={"from_form": form_id})  # unsigned: ignored
    invented = "form:0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef"
    help_client.get(url, params={"from_form": invented})  # a forged signature: ignored
    assert _signals(help_center) == [("form_article", None, False)]

    second_form, second_reference = _open_form(help_client, wang)
    help_client.get(url, params={"from_form": second_reference})
    _send_form(help_client, second_form)  # this one was sent after all

    sign_in_agent(help_center, help_client, "lead", "lead@kefu.test")
    report = help_client.get("/agent/help/report?lang=en").text
    assert "0 tickets deflected (of 2 ticket forms" in report  # the first may still be sent
    _age_signals(help_center, DEFLECTION_SETTLES + timedelta(minutes=1))
    report = help_client.get("/agent/help/report?lang=en").text
    assert "1 tickets deflected (of 2 ticket forms" in report
    slug = url.rsplit("/", 1)[1]
    assert (
        f'<td><a href="/help/a/{slug}">{slug}</a></td><td>0</td><td>0</td><td>2</td><td>1</td>'
        in (report)
    )


def test_searches_that_find_nothing_are_counted_without_their_secrets(
    help_client: TestClient, help_center: Services
) -> None:
    help_client.get("/help/search", params={"q": "xyzzy plugh"})
    help_client.get("/help/search", params={"q": "xyzzy plugh"})
    help_client.get("/help/search", params={"q": "xyzzy 4111 1111 1111 1111"})  # a card number
    help_client.get("/help/search", params={"q": "2fa"})  # found: not a miss
    signals = _signals(help_center)
    assert [kind for kind, *_ in signals] == ["no_result"] * 3
    assert all("4111" not in (query or "") for _, query, _ in signals)

    sign_in_agent(help_center, help_client, "lead", "lead@kefu.test")
    report = help_client.get("/agent/help/report?lang=zh-Hans").text
    assert "<tr><td>xyzzy plugh</td><td>2</td></tr>" in report
    assert "4111" not in report and "xyzzy [已隐藏:银行卡号]" in report


def test_only_leads_and_admins_see_the_report(
    help_client: TestClient, help_center: Services
) -> None:
    assert help_client.get("/agent/help/report", follow_redirects=False).status_code == 303
    sign_in_agent(help_center, help_client, "agent", "agent@kefu.test")
    assert help_client.get("/agent/help/report").status_code == 403
