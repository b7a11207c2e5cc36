"""Deflection in the ticket form, searches that found nothing, and the leads' report."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.jobs.worker import Worker
from kefu.kb.signals import (
    DEFLECTION_SETTLES,
    FORM_ARTICLE,
    NO_RESULT,
    PRUNE_JOB,
    RETENTION,
    ensure_signal_pruning,
)
from kefu.ratelimit import build_limiter
from kefu.services import Services
from kefu.store.models import HelpSignal, OutboxJob
from kefu.store.models.base import utcnow
from kefu.web.app import create_app
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


def test_missed_searches_are_recorded_at_most_the_limit_per_address(
    help_center: Services,
) -> None:
    settings = help_center.settings.model_copy(update={"missed_search_limit_per_ip": 2})
    limited = replace(help_center, settings=settings, limiter=build_limiter(settings))
    with TestClient(create_app(settings, limited)) as client:
        for _ in range(4):
            page = client.get("/help/search", params={"q": "xyzzy plugh"})
            assert page.status_code == 200  # the search still answers
    assert [query for _, query, _ in _signals(help_center)] == ["xyzzy plugh"] * 2


def test_signals_older_than_the_report_can_show_are_forgotten_by_a_daily_job(
    help_center: Services, worker: Worker
) -> None:
    now = utcnow()
    with help_center.db.write() as session:
        for kind, age in [(NO_RESULT, RETENTION + timedelta(days=1)), (NO_RESULT, timedelta())]:
            session.add(HelpSignal(kind=kind, language="en", query="q", created_at=now - age))
        session.add(
            HelpSignal(
                kind=FORM_ARTICLE,
                language="en",
                form_id="f" * 16,
                created_at=now - RETENTION - timedelta(days=1),
            )
        )
    ensure_signal_pruning(help_center)
    ensure_signal_pruning(help_center)  # at every start: still one run pending
    assert worker.run_once() >= 1
    with help_center.db.read() as session:
        ages = [now - created for (created,) in session.execute(select(HelpSignal.created_at))]
        pending = list(
            session.scalars(
                select(OutboxJob.run_after).where(
                    OutboxJob.kind == PRUNE_JOB, OutboxJob.status == "pending"
                )
            )
        )
    assert len(ages) == 1 and ages[0] < timedelta(minutes=1)  # the recent one stays
    assert len(pending) == 1 and pending[0] - now > timedelta(hours=23)  # tomorrow's run
