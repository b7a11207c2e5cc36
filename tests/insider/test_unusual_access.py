"""An agent opening unusually many distinct customers in an hour alerts the admins and is
paused (429 with Retry-After) until an admin reviews it or the hour passes.
The threshold is 3 in these tests (tests/insider/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.auth.agents import principal_for_session
from kefu.insider.access import register_view
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import AccessAlert, Customer, Event
from kefu.store.models.base import utcnow
from tests.insider.people import CSRF, act_as, new_agent, ticket_for
from tests.support import MailSink, plain_text


def _tickets(services: Services, count: int) -> list[str]:
    return [
        ticket_for(services, f"3000{i:04d}", f"c{i}@example.com", f"客户{i}") for i in range(count)
    ]


def _alert_events(services: Services) -> list[Event]:
    with services.db.read() as session:
        query = select(Event).where(Event.kind == "insider.unusual_access")
        return list(session.scalars(query))


def test_the_view_past_the_threshold_is_refused_with_retry_after_and_alerts_admins(
    client: TestClient, services: Services, worker: Worker, mail_sink: MailSink
) -> None:
    new_agent(services, "root", "admin")
    numbers = _tickets(services, 5)
    act_as(client, new_agent(services, "ann", "agent"), language="zh-CN")
    for number in numbers[:3]:
        assert client.get(f"/agent/tickets/{number}").status_code == 200

    refused = client.get(f"/agent/tickets/{numbers[3]}", headers={"Accept": "text/html"})
    assert refused.status_code == 429
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert "管理员已收到通知" in refused.text

    (event,) = _alert_events(services)
    assert event.data["distinct_customers"] == 4 and event.data["viewer"].startswith("agent:")

    english = client.get(
        f"/api/v1/agent/tickets/{numbers[4]}/customer", headers={"Accept-Language": "en"}
    )
    assert english.status_code == 429 and english.json()["code"] == "access_throttled"
    assert "admins have been told" in english.json()["message"]
    assert int(english.headers["Retry-After"]) <= 3600
    # A customer already opened this hour is not a new exposure: still allowed.
    assert client.get(f"/agent/tickets/{numbers[0]}").status_code == 200
    assert len(_alert_events(services)) == 1  # one alert, not one per refusal

    mail_sink.clear()
    worker.run_once()
    (mail,) = [m for m in mail_sink.messages() if "root@demo-exchange.example" in str(m["To"])]
    assert "Unusual access alert" in str(mail["Subject"]) and "异常访问提醒" in str(mail["Subject"])
    assert "c0@example.com" not in plain_text(mail)


def test_an_admin_review_lifts_the_pause(client: TestClient, services: Services) -> None:
    numbers = _tickets(services, 5)
    ann = new_agent(services, "ann", "agent")
    act_as(client, ann)
    for number in numbers[:4]:
        client.get(f"/agent/tickets/{number}")
    assert client.get(f"/agent/tickets/{numbers[4]}").status_code == 429

    act_as(client, new_agent(services, "root", "admin"))
    page = client.get("/agent/admin/insider")
    assert page.status_code == 200 and "4 different customers" in page.text
    with services.db.read() as session:
        alert_id = session.scalars(select(AccessAlert.id)).one()
    reviewed = client.post(
        f"/agent/admin/insider/{alert_id}/review",
        data={"csrf": CSRF, "note": "bulk triage of a deposit outage"},
        follow_redirects=False,
    )
    assert reviewed.status_code == 303

    act_as(client, ann)
    assert client.get(f"/agent/tickets/{numbers[4]}").status_code == 200
    assert client.get("/agent/admin/insider").status_code == 403  # agents cannot review
    with services.db.read() as session:
        kinds = set(session.scalars(select(Event.kind)))
    assert "insider.alert_reviewed" in kinds


def test_nobody_lifts_their_own_pause(client: TestClient, services: Services) -> None:
    numbers = _tickets(services, 4)
    act_as(client, new_agent(services, "root", "admin"))
    for number in numbers:
        client.get(f"/agent/tickets/{number}")
    with services.db.read() as session:
        alert_id = session.scalars(select(AccessAlert.id)).one()
    own = client.post(f"/agent/admin/insider/{alert_id}/review", data={"csrf": CSRF})
    assert own.status_code == 403


def test_the_pause_ends_when_the_hour_has_passed(services: Services) -> None:
    numbers = _tickets(services, 5)
    token = new_agent(services, "ann", "agent")
    with services.db.write() as session:
        agent = principal_for_session(session, token)
        assert agent is not None
        ids = list(session.scalars(select(Customer.id).order_by(Customer.id)))[: len(numbers)]
        start = utcnow()
        decisions = [register_view(session, agent, i, threshold=3, now=start) for i in ids[:4]]
        assert [d.allowed for d in decisions] == [True, True, True, False]
        later = start + timedelta(minutes=61)
        assert register_view(session, agent, ids[4], threshold=3, now=later).allowed
