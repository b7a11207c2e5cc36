"""Properties of business-time arithmetic on generated calendars (hypothesis).

Calendars are drawn in DST-free zones (Asia/Shanghai, Asia/Hong_Kong, UTC) and DST
zones (Europe/London, America/New_York, and Lord Howe's half-hour DST), with split
shifts, random holidays and make-up days, plus the shipped mainland China holidays.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.work.calendar import Calendar, Period, add_business_time, business_time_between
from kefu.work.holidays import region_holidays

ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
)
MICROSECOND = timedelta(microseconds=1)
SETTINGS = settings(max_examples=120, deadline=None)


@st.composite
def day_periods(draw: st.DrawFn) -> tuple[Period, ...]:
    """0–3 ordered, non-overlapping periods on a 15-minute grid (24:00 allowed)."""
    marks = draw(st.lists(st.integers(0, 96), min_size=0, max_size=6, unique=True))
    marks = sorted(marks)[: len(marks) // 2 * 2]
    return tuple((marks[i] * 15, marks[i + 1] * 15) for i in range(0, len(marks), 2))


dates = st.dates(date(2025, 12, 1), date(2027, 12, 31))


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    weekly = tuple(draw(day_periods()) for _ in range(7))
    if not any(weekly):
        weekly = (((9 * 60, 18 * 60),), *weekly[1:])
    holidays = frozenset(draw(st.lists(dates, max_size=30)))
    workdays = frozenset(draw(st.lists(dates, max_size=5)))
    if draw(st.booleans()):
        cn = region_holidays("CN")
        holidays, workdays = holidays | cn.holidays, workdays | cn.workdays
    return Calendar("generated", draw(st.sampled_from(ZONES)), weekly, holidays, workdays)


instants = st.datetimes(datetime(2025, 12, 1), datetime(2027, 12, 31), timezones=st.just(UTC))
durations = st.one_of(
    st.timedeltas(timedelta(0), timedelta(hours=120)),
    st.integers(0, 200).map(lambda minutes: timedelta(minutes=15 * minutes)),
)


@SETTINGS
@given(calendars(), instants, durations)
def test_adding_then_measuring_gives_the_duration_back(
    calendar: Calendar, start: datetime, duration: timedelta
) -> None:
    end = add_business_time(calendar, start, duration)
    assert business_time_between(calendar, start, end) == duration
    assert end - start >= duration  # business time never runs faster than the clock


@SETTINGS
@given(calendars(), instants, durations, durations)
def test_adding_is_monotonic_and_additive(
    calendar: Calendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    shorter, longer = sorted((first, second))
    assert add_business_time(calendar, start, shorter) <= add_business_time(calendar, start, longer)
    halfway = add_business_time(calendar, start, first)
    assert add_business_time(calendar, halfway, second) == add_business_time(
        calendar, start, first + second
    )


@SETTINGS
@given(calendars(), instants, instants, durations)
def test_a_later_start_never_gives_an_earlier_result(
    calendar: Calendar, a: datetime, b: datetime, duration: timedelta
) -> None:
    early, late = sorted((a, b))
    assert add_business_time(calendar, early, duration) <= add_business_time(
        calendar, late, duration
    )


@SETTINGS
@given(calendars(), instants, durations.filter(bool))
def test_a_positive_duration_lands_inside_opening_hours(
    calendar: Calendar, start: datetime, duration: timedelta
) -> None:
    end = add_business_time(calendar, start, duration)
    # The microsecond before the result is business time: the result is open or closing time.
    assert business_time_between(calendar, end - MICROSECOND, end) == MICROSECOND


@SETTINGS
@given(calendars(), instants, instants, instants)
def test_measuring_splits_at_any_point_and_is_antisymmetric(
    calendar: Calendar, a: datetime, b: datetime, c: datetime
) -> None:
    a, b, c = sorted((a, b, c))
    whole = business_time_between(calendar, a, c)
    assert whole == business_time_between(calendar, a, b) + business_time_between(calendar, b, c)
    assert timedelta(0) <= whole <= c - a
    assert business_time_between(calendar, c, a) == -whole


@SETTINGS
@given(st.sampled_from(ZONES), instants, durations)
def test_around_the_clock_business_time_is_real_time_in_every_zone(
    zone: str, start: datetime, duration: timedelta
) -> None:
    always = Calendar("always", zone, ((((0, 1440)),),) * 7)
    assert add_business_time(always, start, duration) == start + duration


def walk_add(calendar: Calendar, start: datetime, duration: timedelta) -> datetime:
    """Reference: walk opening intervals day by day (no indexes, no binary search)."""
    remaining, day = duration, start.astimezone(calendar.zone).date() - timedelta(days=1)
    while True:
        for begins, ends in calendar.intervals_on(day):
            begins = max(begins, start)
            if ends <= begins:
                continue
            if remaining <= ends - begins:
                return begins + remaining
            remaining -= ends - begins
        day += timedelta(days=1)


@SETTINGS
@given(calendars(), instants, durations.filter(bool))
def test_the_indexed_arithmetic_agrees_with_a_day_by_day_walk(
    calendar: Calendar, start: datetime, duration: timedelta
) -> None:
    assert add_business_time(calendar, start, duration) == walk_add(calendar, start, duration)
