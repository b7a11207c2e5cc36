"""Calendar editing for leads and admins: create and edit calendars, import holidays, choose
each SLA policy's calendar; clear errors in both languages; agents kept out; CSRF checked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import BusinessCalendar, Event, SlaPolicy
from kefu.work.calendar import is_open
from kefu.work.policies import calendar_of
from tests.work.conftest import drain, get_ticket, open_ticket, pending_jobs
from tests.workspace.test_workspace_api import signed_in

pytestmark = pytest.mark.usefixtures("sla_policies")
CSRF = "csrf-token-for-tests"
HONG_KONG = {
    "csrf": CSRF,
    "slug": "hk-desk",
    "name_zh": "香港工作时间",
    "name_en": "Hong Kong hours",
    "time_zone": "Asia/Hong_Kong",
    "hours": "mon 09:00-12:30, 14:00-18:00\nsat 10:00-13:00",
    "regions": ["HK"],
    "extra": "2026-12-24, holiday\n2026-12-27..2026-12-28, workday",
}


def calendar_by_slug(services: Services, slug: str) -> BusinessCalendar:
    with services.db.read() as session:
        query = select(BusinessCalendar).where(BusinessCalendar.slug == slug)
        return session.scalars(query).one()


def error_message(response: Any) -> str:
    message: str = response.json()["message"]
    return message


def test_a_lead_creates_a_calendar_with_split_shifts_and_imported_holidays(
    client: TestClient, services: Services
) -> None:
    signed_in(client, services, "lead@kefu.test", role="lead")
    page = client.get("/agent/admin/calendars")
    assert page.status_code == 200
    assert "新建日历" in page.text and "2026 官方公布" in page.text
    response = client.post("/agent/admin/calendars", data=HONG_KONG, follow_redirects=False)
    assert response.status_code == 303
    row = calendar_by_slug(services, "hk-desk")
    assert (row.name_zh, row.name_en, row.time_zone) == (
        "香港工作时间",
        "Hong Kong hours",
        "Asia/Hong_Kong",
    )
    assert row.weekly_hours == {
        "mon": [["09:00", "12:30"], ["14:00", "18:00"]],
        "sat": [["10:00", "13:00"]],
    }
    assert (row.holiday_regions, row.extra_holidays) == (["HK"], ["2026-12-24"])
    assert row.extra_workdays == ["2026-12-27", "2026-12-28"]
    calendar = calendar_of(row)
    hk = ZoneInfo("Asia/Hong_Kong")
    assert is_open(calendar, datetime(2026, 11, 30, 9, 30, tzinfo=hk))  # a Monday morning
    assert not is_open(calendar, datetime(2026, 11, 30, 13, 0, tzinfo=hk))  # lunch
    assert not is_open(calendar, datetime(2026, 12, 25, 10, 0, tzinfo=hk))  # HK Christmas
    assert is_open(calendar, datetime(2026, 12, 28, 10, 0, tzinfo=hk))  # pasted workday
    with services.db.read() as session:
        kinds = session.scalars(select(Event.kind).where(Event.kind == "calendar.created")).all()
    assert kinds == ["calendar.created"]
    assert "香港工作时间" in client.get("/agent/admin/calendars").text


@pytest.mark.parametrize(
    ("change", "zh", "en"),
    [
        ({"slug": "HK desk!"}, "标识“hk desk!”无效", "The slug “hk desk!” is not valid"),
        (
            {"slug": "business"},
            "已有标识为“business”的日历",
            "A calendar with the slug “business” exists",
        ),
        ({"time_zone": "Mars/Base"}, "未知时区：Mars/Base", "Unknown time zone: Mars/Base"),
        ({"hours": "mon 09:00-12:00\nfunday 10:00-11:00"}, "第 2 行无效", "Line 2 is not valid"),
        ({"hours": "tue 18:00-09:00"}, "第 1 行无效", "Line 1 is not valid"),
        ({"hours": ""}, "没有任何工作时间", "never opens"),  # make-up days alone are no week
        (
            {"extra": "2026-13-01, holiday"},
            "日期列表无效：line 1",
            "The date list is not valid: line 1",
        ),
        ({"name_en": " "}, "请填写中文和英文名称", "Please give both the Chinese and English name"),
    ],
)
def test_creating_a_bad_calendar_says_what_is_wrong_in_both_languages(
    client: TestClient, services: Services, change: dict[str, str], zh: str, en: str
) -> None:
    signed_in(client, services, "admin@kefu.test", role="admin")
    for language, expected in (("zh-CN", zh), ("en", en)):
        response = client.post(
            "/agent/admin/calendars",
            data={**HONG_KONG, **change},
            headers={"Accept-Language": language},
        )
        assert response.status_code in (400, 409), response.text
        assert expected in error_message(response)
    with services.db.read() as session:
        slugs = set(session.scalars(select(BusinessCalendar.slug)))
    assert slugs == {"business", "always"}  # nothing half-written


def test_editing_hours_moves_the_due_times_of_open_tickets(
    client: TestClient, services: Services, worker: Worker
) -> None:
    signed_in(client, services, "lead@kefu.test", role="lead")
    ticket_id = open_ticket(services, "怎么充值")
    drain(worker)
    before = get_ticket(services, ticket_id).first_reply_due_at
    business = calendar_by_slug(services, "business")
    form = {
        "csrf": CSRF,
        "time_zone": "Asia/Shanghai",
        "hours": "\n".join(f"{day} 09:00-12:00" for day in ("mon", "tue", "wed", "thu", "fri")),
        "regions": ["CN"],
        "name_zh": "半天班",
        "name_en": "Mornings",
    }
    saved = client.post(f"/agent/admin/calendars/{business.id}", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert calendar_by_slug(services, "business").name_en == "Mornings"
    drain(worker)
    after = get_ticket(services, ticket_id).first_reply_due_at
    assert before is not None and after is not None and after > before  # 3 h days, not 9 h


def test_a_policy_counts_in_the_calendar_an_admin_chooses(
    client: TestClient, services: Services, worker: Worker
) -> None:
    signed_in(client, services, "admin@kefu.test", role="admin")
    ticket_id = open_ticket(services, "怎么充值")
    drain(worker)
    with services.db.read() as session:
        standard = session.scalars(select(SlaPolicy).where(SlaPolicy.slug == "standard")).one()
        always = calendar_by_slug(services, "always")
    page = client.get("/agent/admin/calendars")
    assert f'action="/agent/admin/sla-policies/{standard.id}/calendar"' in page.text
    response = client.post(
        f"/agent/admin/sla-policies/{standard.id}/calendar",
        data={"csrf": CSRF, "calendar_id": str(always.id)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with services.db.read() as session:
        policy = session.get(SlaPolicy, standard.id)
    assert policy is not None and policy.calendar_id == always.id
    assert [job.payload for job in pending_jobs(services, "sla.recompute")] == [
        {"ticket_id": ticket_id}
    ]
    drain(worker)  # the open ticket's clocks now count around the clock
    ticket = get_ticket(services, ticket_id)
    assert ticket.sla_policy_id == standard.id and ticket.first_reply_due_at is not None
    assert ticket.first_reply_due_at - ticket.created_at == timedelta(hours=24)
    unknown = client.post(
        f"/agent/admin/sla-policies/{standard.id}/calendar",
        data={"csrf": CSRF, "calendar_id": "9999"},
        headers={"Accept-Language": "en"},
    )
    assert unknown.status_code == 400
    assert error_message(unknown) == "Please choose an existing calendar."


def test_agents_cannot_edit_calendars_and_forms_need_the_csrf_token(
    client: TestClient, services: Services
) -> None:
    signed_in(client, services, "agent@kefu.test", role="agent")
    assert client.get("/agent/admin/calendars").status_code == 403
    assert client.post("/agent/admin/calendars", data=HONG_KONG).status_code == 403
    with services.db.read() as session:
        policy_id = session.scalars(select(SlaPolicy.id)).first()
    choose = client.post(
        f"/agent/admin/sla-policies/{policy_id}/calendar", data={"csrf": CSRF, "calendar_id": "1"}
    )
    assert choose.status_code == 403
    signed_in(client, services, "admin@kefu.test", role="admin")
    forged = client.post("/agent/admin/calendars", data={**HONG_KONG, "csrf": "forged"})
    assert forged.status_code == 403
    with services.db.read() as session:
        assert "hk-desk" not in set(session.scalars(select(BusinessCalendar.slug)))
