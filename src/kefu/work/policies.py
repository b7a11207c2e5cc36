"""SLA policies: the defaults every deployment gets, matching a ticket, its calendar.

Policies are rows (`SlaPolicy`), editable by admins; `DEFAULT_POLICIES` seeds them and
answers for a database that has none yet (the confirmation email still needs a promise).
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kefu.i18n import t
from kefu.services import Services
from kefu.store.models import BusinessCalendar, Customer, SlaPolicy, Ticket
from kefu.work.calendar import Calendar, parse_weekly_hours
from kefu.work.describe import describe_hours, is_around_the_clock
from kefu.work.holidays import HolidaySet, region_holidays

CONDITION_FIELDS = ("priority", "channel", "category", "tier")
WORKDAY = [["09:00", "18:00"]]


@dataclass(frozen=True)
class CalendarSpec:
    slug: str
    name_zh: str
    name_en: str
    time_zone: str
    weekly_hours: dict[str, list[list[str]]]
    holiday_regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicySpec:
    slug: str
    name_zh: str
    name_en: str
    position: int
    calendar: str
    first_reply_minutes: int
    next_reply_minutes: int
    resolution_minutes: int
    conditions: dict[str, list[str]] = field(default_factory=dict)
    warn_percent: int = 80


DEFAULT_CALENDARS = (
    CalendarSpec(
        "business",
        "工作时间（北京时间周一至周五 09:00–18:00）",
        "Business hours (Mon–Fri 09:00–18:00 UTC+8)",
        "Asia/Shanghai",
        dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), WORKDAY),
        ("CN",),
    ),
    CalendarSpec(
        "always",
        "全天候（7×24）",
        "Around the clock (24/7)",
        "Asia/Shanghai",
        {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    ),
)

H = 60  # minutes in an hour
DEFAULT_POLICIES = (
    # Stolen accounts do not wait for Monday: urgent runs around the clock.
    PolicySpec(
        "urgent", "紧急", "Urgent", 10, "always", 2 * H, 2 * H, 8 * H, {"priority": ["urgent"]}
    ),
    PolicySpec("chat", "在线聊天", "Live chat", 20, "always", 5, 5, 8 * H, {"channel": ["chat"]}),
    PolicySpec(
        "vip", "VIP 客户", "VIP customers", 30, "business", 4 * H, 8 * H, 24 * H, {"tier": ["vip"]}
    ),
    PolicySpec(
        "high", "高优先级", "High", 40, "business", 8 * H, 8 * H, 48 * H, {"priority": ["high"]}
    ),
    PolicySpec(
        "low", "低优先级", "Low", 50, "business", 48 * H, 48 * H, 120 * H, {"priority": ["low"]}
    ),
    PolicySpec("standard", "标准", "Standard", 1000, "business", 24 * H, 24 * H, 72 * H),
)


def ensure_default_sla_policies(services: Services) -> None:
    """Add the default calendars and policies that are missing (by slug); never overwrite."""
    with services.db.write() as session:
        seed_default_sla_policies(session)


def seed_default_sla_policies(session: Session) -> None:
    calendars = {c.slug: c for c in session.scalars(select(BusinessCalendar))}
    for spec in DEFAULT_CALENDARS:
        if spec.slug not in calendars:
            calendars[spec.slug] = _calendar_row(spec)
            session.add(calendars[spec.slug])
    session.flush()
    existing = set(session.scalars(select(SlaPolicy.slug)))
    for policy in DEFAULT_POLICIES:
        if policy.slug not in existing:
            session.add(_policy_row(policy, calendars[policy.calendar].id))
    session.flush()


def _calendar_row(spec: CalendarSpec) -> BusinessCalendar:
    return BusinessCalendar(
        slug=spec.slug,
        name_zh=spec.name_zh,
        name_en=spec.name_en,
        time_zone=spec.time_zone,
        weekly_hours=spec.weekly_hours,
        holiday_regions=list(spec.holiday_regions),
    )


def _policy_row(spec: PolicySpec, calendar_id: int) -> SlaPolicy:
    return SlaPolicy(
        slug=spec.slug,
        name_zh=spec.name_zh,
        name_en=spec.name_en,
        position=spec.position,
        conditions=spec.conditions,
        calendar_id=calendar_id,
        first_reply_minutes=spec.first_reply_minutes,
        next_reply_minutes=spec.next_reply_minutes,
        resolution_minutes=spec.resolution_minutes,
        warn_percent=spec.warn_percent,
    )


def ticket_facts(session: Session, ticket: Ticket) -> dict[str, str | None]:
    """What policy conditions look at."""
    tier = session.scalar(select(Customer.tier).where(Customer.id == ticket.customer_id))
    return {
        "priority": ticket.priority,
        "channel": ticket.channel,
        "category": ticket.category,
        "tier": tier,
    }


def conditions_hold(conditions: dict[str, Any], facts: dict[str, str | None]) -> bool:
    """Every listed field must have one of the listed values; unlisted fields match anything."""
    return all(
        facts.get(name) in allowed
        for name, allowed in conditions.items()
        if name in CONDITION_FIELDS and allowed
    )


def match_policy(session: Session, ticket: Ticket) -> SlaPolicy | None:
    facts = ticket_facts(session, ticket)
    policies = session.scalars(
        select(SlaPolicy).where(SlaPolicy.is_active).order_by(SlaPolicy.position, SlaPolicy.id)
    )
    return next((p for p in policies if conditions_hold(p.conditions, facts)), None)


_CALENDARS: dict[tuple[int, datetime], Calendar] = {}


def calendar_of(row: BusinessCalendar) -> Calendar:
    """The `Calendar` for a row; cached until the row changes (its day cache survives)."""
    key = (row.id, row.updated_at)
    calendar = _CALENDARS.get(key)
    if calendar is None:
        calendar = _CALENDARS[key] = build_calendar(
            row.slug,
            row.time_zone,
            row.weekly_hours,
            tuple(row.holiday_regions),
            HolidaySet(
                frozenset(_dates(row.extra_holidays)), frozenset(_dates(row.extra_workdays))
            ),
        )
    return calendar


def build_calendar(
    name: str,
    time_zone: str,
    weekly_hours: dict[str, list[list[str]]],
    holiday_regions: tuple[str, ...] = (),
    extra: HolidaySet | None = None,
) -> Calendar:
    days = extra or HolidaySet()
    for region in holiday_regions:
        days = days | region_holidays(region)
    return Calendar(name, time_zone, parse_weekly_hours(weekly_hours), days.holidays, days.workdays)


@cache
def spec_calendar(slug: str) -> Calendar:
    spec = next(c for c in DEFAULT_CALENDARS if c.slug == slug)
    return build_calendar(spec.slug, spec.time_zone, spec.weekly_hours, spec.holiday_regions)


def _dates(values: list[Any]) -> list[date]:
    return [date.fromisoformat(str(value)) for value in values]


@dataclass(frozen=True)
class Promise:
    """What a customer is told at submission: the matching policy's first-reply target
    and the calendar it counts in."""

    policy: str
    minutes: int
    calendar: Calendar

    @property
    def around_the_clock(self) -> bool:
        return is_around_the_clock(self.calendar)

    @property
    def hours(self) -> int:
        """The target in whole hours, rounded up: never promise faster than the target."""
        return max(1, math.ceil(self.minutes / 60))


def reply_promise(services: Services, ticket: Ticket, tier: str | None = None) -> Promise:
    """The promise for this ticket: the policy that matches it (priority, channel,
    category, tier) and that policy's calendar; the built-in defaults before any policy
    exists. Intake passes the customer's `tier` it already knows; without it, it is read."""
    if tier is None:
        with services.db.read() as session:
            tier = session.scalar(select(Customer.tier).where(Customer.id == ticket.customer_id))
    facts = {
        "priority": ticket.priority,
        "channel": ticket.channel,
        "category": ticket.category,
        "tier": tier,
    }
    offer = next((o for o in _offers(services) if conditions_hold(o.conditions, facts)), None)
    if offer is not None and offer.minutes:
        return Promise(offer.policy, offer.minutes, offer.calendar)
    spec = next(p for p in DEFAULT_POLICIES if conditions_hold(p.conditions, facts))
    return Promise(spec.slug, spec.first_reply_minutes, spec_calendar(spec.calendar))


@dataclass(frozen=True)
class _Offer:
    policy: str
    conditions: dict[str, Any]
    minutes: int | None
    calendar: Calendar


# Every submission is told a promise: the active policies and their calendars are read at
# most every PROMISE_REREAD_SECONDS per process, not per ticket (an edit shows within it).
PROMISE_REREAD_SECONDS = 2.0
_OFFERS: weakref.WeakKeyDictionary[Engine, tuple[float, tuple[_Offer, ...]]] = (
    weakref.WeakKeyDictionary()
)


def _offers(services: Services) -> tuple[_Offer, ...]:
    engine = services.db.engine
    known = _OFFERS.get(engine)
    if known is not None and time.monotonic() - known[0] < PROMISE_REREAD_SECONDS:
        return known[1]
    with services.db.read() as session:
        policies = session.scalars(
            select(SlaPolicy).where(SlaPolicy.is_active).order_by(SlaPolicy.position, SlaPolicy.id)
        ).all()
        calendars = {c.id: c for c in session.scalars(select(BusinessCalendar))}
        offers = tuple(
            _Offer(
                p.slug, p.conditions, p.first_reply_minutes, calendar_of(calendars[p.calendar_id])
            )
            for p in policies
        )
    _OFFERS[engine] = (time.monotonic(), offers)
    return offers


def promise_text(promise: Promise, lang: str) -> str:
    """`We reply within 24 business hours; our hours are Mon–Fri 09:00–18:00 UTC+8 …`, or
    for a 24/7 calendar `We reply within 5 minutes, around the clock (24/7).`"""
    if promise.around_the_clock:
        return t("work.promise_always", lang, duration=_duration(promise, lang))
    hours = describe_hours(promise.calendar, lang)
    return t("work.promise_business", lang, duration=_duration(promise, lang), hours=hours)


def _duration(promise: Promise, lang: str) -> str:
    if promise.minutes < 60:
        key, count = "work.duration_minutes", promise.minutes
    elif promise.around_the_clock:
        key, count = "work.duration_hours", promise.hours
    else:
        key, count = "work.duration_business_hours", promise.hours
    return t(key + ("_one" if count == 1 else ""), lang, count=count)


def expected_first_reply(services: Services, ticket: Ticket) -> tuple[int, str]:
    """The promise as (whole hours, rounded up; its hours described in the ticket's language)."""
    promise = reply_promise(services, ticket)
    return promise.hours, describe_hours(promise.calendar, ticket.language)
