"""Business hours and holidays for admins and leads: one form per calendar, validated."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from kefu.audit import record_event
from kefu.auth.roles import Role
from kefu.errors import Forbidden, NotFound, UserError
from kefu.store.models import BusinessCalendar
from kefu.store.models.base import utcnow
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent
from kefu.web.pages.render import render
from kefu.work.calendar import WEEKDAYS, parse_weekly_hours
from kefu.work.holidays import REGIONS, HolidaySet, parse_holiday_list

router = APIRouter(include_in_schema=False)
MANAGERS = (Role.LEAD.value, Role.ADMIN.value)


@router.get("/agent/admin/calendars", response_class=HTMLResponse)
def calendars_page(request: Request, services: ServicesDep) -> Response:
    me = current_agent(request, services)
    if me.role not in MANAGERS:
        raise Forbidden()
    with services.db.read() as session:
        calendars = list(session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.slug)))
    return render(
        request,
        "agent/calendars.html",
        me=me,
        calendars=calendars,
        weekdays=WEEKDAYS,
        regions=sorted(REGIONS),
        hours_text=hours_text,
        dates_text=dates_text,
    )


@router.post("/agent/admin/calendars/{calendar_id}")
def save_calendar(
    calendar_id: int,
    request: Request,
    services: ServicesDep,
    csrf: Annotated[str, Form()],
    time_zone: Annotated[str, Form(max_length=64)],
    hours: Annotated[str, Form(max_length=2000)] = "",
    extra: Annotated[str, Form(max_length=20_000)] = "",
    regions: Annotated[list[str] | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    me = current_agent(request, services)
    if me.role not in MANAGERS:
        raise Forbidden()
    weekly = parse_hours_text(hours)
    special = _holidays(extra)
    _check_zone(time_zone)
    with services.db.write() as session:
        calendar = session.get(BusinessCalendar, calendar_id)
        if calendar is None:
            raise NotFound()
        calendar.time_zone = time_zone
        calendar.weekly_hours = weekly
        calendar.holiday_regions = sorted({r for r in regions or [] if r in REGIONS})
        calendar.extra_holidays = sorted(d.isoformat() for d in special.holidays)
        calendar.extra_workdays = sorted(d.isoformat() for d in special.workdays)
        calendar.updated_at = utcnow()
        record_event(session, "calendar.changed", me.actor(), calendar=calendar.slug)
    return RedirectResponse("/agent/admin/calendars", status_code=303)


def parse_hours_text(text: str) -> dict[str, list[list[str]]]:
    """`mon 09:00-12:00, 13:00-18:00` a line → the weekly-hours mapping (checked)."""
    spec: dict[str, list[list[str]]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        day, _, periods = line.partition(" ")
        try:
            spec[day.lower()] = [
                [start.strip(), end.strip()]
                for start, _, end in (p.partition("-") for p in periods.split(",") if p.strip())
            ]
            parse_weekly_hours({day.lower(): spec[day.lower()]})
        except ValueError as exc:
            raise UserError(
                "calendar.bad_line", code="validation_error", line=number, detail=str(exc)
            ) from None
    return spec


def hours_text(weekly: dict[str, list[list[str]]]) -> str:
    return "\n".join(
        f"{day} " + ", ".join(f"{start}-{end}" for start, end in weekly[day])
        for day in WEEKDAYS
        if weekly.get(day)
    )


def dates_text(calendar: BusinessCalendar) -> str:
    lines = [f"{d}, holiday" for d in calendar.extra_holidays]
    lines += [f"{d}, workday" for d in calendar.extra_workdays]
    return "\n".join(lines)


def _holidays(text: str) -> HolidaySet:
    try:
        return parse_holiday_list(text)
    except ValueError as exc:
        raise UserError("calendar.bad_dates", code="validation_error", detail=str(exc)) from None


def _check_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("calendar.bad_zone", code="validation_error", zone=name) from None
