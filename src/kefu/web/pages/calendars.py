"""Business hours and holidays for admins and leads: create and edit calendars (time zone,
weekly periods, shipped holiday lists, pasted dates), and choose each SLA policy's calendar.
Every form is validated as a whole before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import record_event
from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Role
from kefu.errors import Conflict, Forbidden, NotFound, UserError
from kefu.store.models import BusinessCalendar, SlaPolicy, Ticket
from kefu.store.models.base import utcnow
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent
from kefu.web.pages.render import render
from kefu.work.calendar import WEEKDAYS, check_periods, parse_weekly_hours
from kefu.work.holidays import REGIONS, HolidaySet, parse_holiday_list, region_years
from kefu.work.policies import build_calendar
from kefu.work.triggers import WAITING_FOR_AGENT, enqueue_once

router = APIRouter(include_in_schema=False)
MANAGERS = (Role.LEAD.value, Role.ADMIN.value)
PAGE = "/agent/admin/calendars"
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
# Tickets whose clocks move when their policy's calendar changes (pending ones resume later).
CLOCKED = (*WAITING_FOR_AGENT, "on_hold", "pending")

Text = Annotated[str, Form(max_length=100)]
Hours = Annotated[str, Form(max_length=2000)]
Dates = Annotated[str, Form(max_length=20_000)]
Regions = Annotated[list[str] | None, Form()]


@dataclass(frozen=True)
class CalendarForm:
    """A calendar form, checked: the hours parse, the zone exists, the dates parse, and the
    result opens at some time."""

    time_zone: str
    weekly: dict[str, list[list[str]]]
    regions: list[str]
    special: HolidaySet


@router.get(PAGE, response_class=HTMLResponse)
def calendars_page(request: Request, services: ServicesDep) -> Response:
    me = _manager(request, services)
    with services.db.read() as session:
        calendars = list(session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.slug)))
        policies = list(session.scalars(select(SlaPolicy).order_by(SlaPolicy.position)))
    return render(
        request,
        "agent/calendars.html",
        me=me,
        calendars=calendars,
        policies=policies,
        weekdays=WEEKDAYS,
        regions=sorted(REGIONS),
        region_years={region: region_years(region) for region in REGIONS},
        hours_text=hours_text,
        dates_text=dates_text,
    )


@router.post(PAGE)
def create_calendar(
    request: Request,
    services: ServicesDep,
    csrf: Annotated[str, Form()],
    slug: Annotated[str, Form(max_length=40)],
    name_zh: Text,
    name_en: Text,
    time_zone: Annotated[str, Form(max_length=64)],
    hours: Hours = "",
    extra: Dates = "",
    regions: Regions = None,
) -> Response:
    check_csrf(request, csrf)
    me = _manager(request, services)
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise UserError("calendar.bad_slug", code="validation_error", slug=slug)
    names = _names(name_zh, name_en)
    form = check_calendar_form(slug, time_zone, hours, extra, regions)
    with services.db.write() as session:
        if session.scalar(select(BusinessCalendar.id).where(BusinessCalendar.slug == slug)):
            raise Conflict("calendar.slug_taken", slug=slug)
        calendar = BusinessCalendar(slug=slug, name_zh=names[0], name_en=names[1])
        _apply(calendar, form)
        session.add(calendar)
        record_event(session, "calendar.created", me.actor(), calendar=slug)
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/{calendar_id}")
def save_calendar(
    calendar_id: int,
    request: Request,
    services: ServicesDep,
    csrf: Annotated[str, Form()],
    time_zone: Annotated[str, Form(max_length=64)],
    hours: Hours = "",
    extra: Dates = "",
    regions: Regions = None,
    name_zh: Text = "",
    name_en: Text = "",
) -> Response:
    check_csrf(request, csrf)
    me = _manager(request, services)
    with services.db.write() as session:
        calendar = session.get(BusinessCalendar, calendar_id)
        if calendar is None:
            raise NotFound()
        form = check_calendar_form(calendar.slug, time_zone, hours, extra, regions)
        if name_zh.strip() or name_en.strip():
            calendar.name_zh, calendar.name_en = _names(name_zh, name_en)
        _apply(calendar, form)
        record_event(session, "calendar.changed", me.actor(), calendar=calendar.slug)
        _recompute_clocks(session, _policies_using(session, calendar.id))
    return RedirectResponse(PAGE, status_code=303)


@router.post("/agent/admin/sla-policies/{policy_id}/calendar")
def choose_policy_calendar(
    policy_id: int,
    request: Request,
    services: ServicesDep,
    csrf: Annotated[str, Form()],
    calendar_id: Annotated[int, Form()],
) -> Response:
    """Which calendar a policy's targets count in; open tickets under it are recomputed."""
    check_csrf(request, csrf)
    me = _manager(request, services)
    with services.db.write() as session:
        policy = session.get(SlaPolicy, policy_id)
        calendar = session.get(BusinessCalendar, calendar_id)
        if policy is None:
            raise NotFound()
        if calendar is None:
            raise UserError("calendar.unknown", code="validation_error")
        if policy.calendar_id != calendar.id:
            policy.calendar_id = calendar.id
            policy.updated_at = utcnow()
            record_event(
                session,
                "sla.policy_changed",
                me.actor(),
                policy=policy.slug,
                calendar=calendar.slug,
            )
            _recompute_clocks(session, [policy.id])
    return RedirectResponse(PAGE, status_code=303)


def _manager(request: Request, services: ServicesDep) -> AgentPrincipal:
    me = current_agent(request, services)
    if me.role not in MANAGERS:
        raise Forbidden()
    return me


def _names(name_zh: str, name_en: str) -> tuple[str, str]:
    names = (name_zh.strip(), name_en.strip())
    if not all(names):
        raise UserError("calendar.names_needed", code="validation_error")
    return names


def check_calendar_form(
    name: str, time_zone: str, hours: str, extra: str, regions: list[str] | None
) -> CalendarForm:
    """Parse and check a calendar form; UserError (in the reader's language) names the problem."""
    time_zone = time_zone.strip()
    weekly = parse_hours_text(hours)
    special = _holidays(extra)
    _check_zone(time_zone)
    chosen = sorted({r for r in regions or [] if r in REGIONS})
    try:
        calendar = build_calendar(name, time_zone, weekly, tuple(chosen), special)
    except ValueError:
        calendar = None
    if calendar is None or not any(calendar.weekly):  # make-up days alone are no week
        raise UserError("calendar.no_hours", code="validation_error")
    return CalendarForm(time_zone, weekly, chosen, special)


def _apply(calendar: BusinessCalendar, form: CalendarForm) -> None:
    calendar.time_zone = form.time_zone
    calendar.weekly_hours = form.weekly
    calendar.holiday_regions = form.regions
    calendar.extra_holidays = sorted(d.isoformat() for d in form.special.holidays)
    calendar.extra_workdays = sorted(d.isoformat() for d in form.special.workdays)
    calendar.updated_at = utcnow()  # a new cache key for kefu.work.policies.calendar_of


def _policies_using(session: Session, calendar_id: int) -> list[int]:
    return list(session.scalars(select(SlaPolicy.id).where(SlaPolicy.calendar_id == calendar_id)))


def _recompute_clocks(session: Session, policy_ids: list[int]) -> None:
    """Due times count in the new hours: recompute the open tickets under these policies."""
    if not policy_ids:
        return
    ticket_ids = session.scalars(
        select(Ticket.id).where(Ticket.sla_policy_id.in_(policy_ids), Ticket.status.in_(CLOCKED))
    )
    for ticket_id in ticket_ids:
        enqueue_once(session, "sla.recompute", {"ticket_id": ticket_id})


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
            for parsed in parse_weekly_hours({day.lower(): spec[day.lower()]}):
                check_periods(parsed)  # in order, not overlapping, ending after they start
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
