"""Business-hours calendars and the arithmetic on them.

A calendar is a time zone, weekly opening periods (several per day: split shifts,
lunch breaks), holidays, and make-up working days (mainland China's 调休 weekend
workdays). Periods are wall-clock minutes from local midnight, `(540, 1080)` being
09:00–18:00; an end of 1440 means midnight at the end of the day. A night shift is
written as two periods on consecutive days.

Business time is real elapsed time inside the opening intervals, so a 00:00–24:00
day lasts 23 hours on the spring-forward day of a DST zone and 25 hours in autumn.
Wall-clock times that do not exist (the spring gap) are read with fold=0, as
`zoneinfo` does; a period that collapses to nothing is dropped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

Period = tuple[int, int]
Interval = tuple[datetime, datetime]

DAY_MINUTES = 1440
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A calendar with no opening hours for this long is a configuration error, not a wait.
MAX_CLOSED_DAYS = 3 * 366
MAX_CLOSED_YEARS = 3
_CACHE_LIMIT = 8192
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, eq=False)
class Calendar:
    """See the module docstring. `weekly[0]` is Monday."""

    name: str
    time_zone: str
    weekly: tuple[tuple[Period, ...], ...]
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    # Opening hours on a make-up working day; Monday's when not given.
    makeup_periods: tuple[Period, ...] | None = None
    _days: dict[date, tuple[Interval, ...]] = field(default_factory=dict, repr=False, compare=False)
    _years: dict[int, YearIndex] = field(default_factory=dict, repr=False, compare=False)
    _year_starts: dict[int, int] = field(default_factory=dict, repr=False, compare=False)
    _points: dict[datetime, BusinessPoint] = field(default_factory=dict, repr=False, compare=False)
    _zone: list[ZoneInfo] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._zone.append(ZoneInfo(self.time_zone))  # raises for an unknown zone
        if len(self.weekly) != len(WEEKDAYS):
            raise ValueError("weekly hours need one entry per weekday, Monday first")
        for periods in (*self.weekly, self.makeup_periods or ()):
            check_periods(periods)
        if not any(self.weekly) and not self.workdays:
            raise ValueError(f"calendar {self.name!r} has no opening hours")

    @property
    def zone(self) -> ZoneInfo:
        return self._zone[0]

    def periods_on(self, day: date) -> tuple[Period, ...]:
        """Opening periods on a local date: holidays close, make-up days open."""
        if day in self.holidays:
            return ()
        if day in self.workdays:
            return self.makeup_periods if self.makeup_periods is not None else self.weekly[0]
        return self.weekly[day.weekday()]

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        """The day's opening periods as UTC instants (cached per calendar and day)."""
        cached = self._days.get(day)
        if cached is None:
            if len(self._days) > _CACHE_LIMIT:
                self._days.clear()
            cached = self._days[day] = _to_utc(day, self.periods_on(day), self.zone)
        return cached

    def year_index(self, year: int) -> YearIndex:
        """All opening intervals of a local year with running totals (built once)."""
        index = self._years.get(year)
        if index is None:
            index = self._years[year] = _build_year(self, year)
        return index

    def local_year(self, at: datetime, micros: int) -> int:
        """The year `at` (UTC, `micros` since 1970) falls in on local clocks."""
        year = at.year
        if micros >= self._year_start(year + 1):
            return year + 1
        return year if micros >= self._year_start(year) else year - 1

    def _year_start(self, year: int) -> int:
        start = self._year_starts.get(year)
        if start is None:
            midnight = datetime(year, 1, 1, tzinfo=self.zone)
            start = self._year_starts[year] = _micros(midnight.astimezone(UTC))
        return start

    def point(self, at: datetime) -> BusinessPoint:
        """Where `at` (UTC) stands in business time: remembered for a while, because a
        sweep asks about the same instants (now, a ticket's creation) again and again."""
        found = self._points.get(at)  # equal instants hash alike whatever their zone
        if found is None:
            if len(self._points) > _CACHE_LIMIT:
                self._points.clear()
            utc = _utc(at)
            micros = _micros(utc)
            year = self.local_year(utc, micros)
            used = self.year_index(year).used_before(micros)
            found = self._points[at] = BusinessPoint(year, used)
        return found


class BusinessPoint(NamedTuple):
    """An instant as (local year, business microseconds of that year before it)."""

    year: int
    used: int


@dataclass(frozen=True)
class YearIndex:
    """A local year's opening intervals as integer microseconds since 1970 (UTC), with the
    business time used before each one starts (`cum`) and once it ends (`cum_end`): adding
    and measuring business time become binary searches instead of walks day by day."""

    starts: list[int]
    ends: list[int]
    cum: list[int]
    cum_end: list[int]

    @property
    def total(self) -> int:
        return self.cum_end[-1] if self.cum_end else 0

    def used_before(self, at: int) -> int:
        """Business time in this year before the instant `at`."""
        i = bisect_right(self.ends, at)
        if i == len(self.ends):
            return self.total
        return self.cum[i] + max(0, at - self.starts[i])

    def instant_at(self, used: int) -> int:
        """The instant when `used` (> 0, ≤ total) business time of this year has passed."""
        i = bisect_left(self.cum_end, used)
        return self.starts[i] + (used - self.cum[i])


def _build_year(calendar: Calendar, year: int) -> YearIndex:
    if not 1 < year < 9999:
        raise ValueError(f"year {year} is outside the calendar's range")
    starts: list[int] = []
    ends: list[int] = []
    cum: list[int] = []
    cum_end: list[int] = []
    used = 0
    day = date(year, 1, 1)
    zone = calendar.zone
    while day.year == year:
        for begins_at, ends_at in _to_utc(day, calendar.periods_on(day), zone):
            begins, finishes = _micros(begins_at), _micros(ends_at)
            if ends and begins < ends[-1]:
                begins = ends[-1]  # only inside a DST gap can periods overlap
            if finishes > begins:
                starts.append(begins)
                ends.append(finishes)
                cum.append(used)
                used += finishes - begins
                cum_end.append(used)
        day += _ONE_DAY
    return YearIndex(starts, ends, cum, cum_end)


def _micros(value: datetime) -> int:
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def duration_micros(value: timedelta) -> int:
    return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds


def _instant(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def check_periods(periods: tuple[Period, ...]) -> None:
    """Raise ValueError unless periods are ordered, non-overlapping minutes within a day."""
    previous_end = 0
    for start, end in periods:
        if not 0 <= start < end <= DAY_MINUTES or start < previous_end:
            raise ValueError(f"bad opening periods: {periods!r}")
        previous_end = end


def _to_utc(day: date, periods: tuple[Period, ...], zone: ZoneInfo) -> tuple[Interval, ...]:
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    intervals = []
    for start, end in periods:
        # Adding a timedelta to an aware datetime is wall-clock arithmetic in Python.
        begins = (midnight + timedelta(minutes=start)).astimezone(UTC)
        ends = (midnight + timedelta(minutes=end)).astimezone(UTC)
        if ends > begins:
            intervals.append((begins, ends))
    return tuple(intervals)


def opening_intervals(calendar: Calendar, since: datetime) -> Iterator[Interval]:
    """Opening intervals in UTC that end after `since`, in order, without overlap, forever.

    Adjacent intervals (24:00 then 00:00) are not merged: the arithmetic does not need
    it, and a 24/7 calendar would never yield. Overlaps (possible only when periods
    fall into a DST gap) are clipped.
    """
    day = since.astimezone(calendar.zone).date() - timedelta(days=1)
    last_end = since
    closed_days = 0
    while True:
        intervals = calendar.intervals_on(day)
        closed_days = 0 if intervals else closed_days + 1
        if closed_days > MAX_CLOSED_DAYS:
            raise ValueError(f"calendar {calendar.name!r} has no opening hours ahead")
        for begins, ends in intervals:
            if ends > last_end:
                yield max(begins, last_end), ends
                last_end = ends
        day += timedelta(days=1)


def add_business_time(calendar: Calendar, start: datetime, duration: timedelta) -> datetime:
    """The instant (UTC) when `duration` of business time has passed since `start`.

    A positive duration always lands inside opening hours, closing time included
    (09:00 + 9 h on a 09:00–18:00 day is 18:00 the same day, not 09:00 the next).
    """
    start = _utc(start)
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    if not duration:
        return start
    return advance(calendar, calendar.point(start), duration_micros(duration))


def advance(calendar: Calendar, point: BusinessPoint, needed: int) -> datetime:
    """The instant when `needed` (> 0) business microseconds have passed since `point`."""
    year, used = point
    remaining = needed
    while True:
        index = calendar.year_index(year)
        if remaining <= index.total - used:
            return _EPOCH + timedelta(microseconds=index.instant_at(used + remaining))
        remaining -= index.total - used
        year, used = year + 1, 0
        if year - point.year > MAX_CLOSED_YEARS and remaining == needed:
            raise ValueError(f"calendar {calendar.name!r} has no opening hours ahead")


def business_time_between(calendar: Calendar, a: datetime, b: datetime) -> timedelta:
    """Business time from `a` to `b`; negative when `b` is before `a`."""
    a, b = _utc(a), _utc(b)
    if b < a:
        return -business_time_between(calendar, b, a)
    return timedelta(microseconds=points_apart(calendar, calendar.point(a), calendar.point(b)))


def points_apart(calendar: Calendar, a: BusinessPoint, b: BusinessPoint) -> int:
    """Business microseconds from `a` to a later `b`."""
    if a.year == b.year:
        return b.used - a.used
    between = sum(calendar.year_index(year).total for year in range(a.year + 1, b.year))
    return calendar.year_index(a.year).total - a.used + between + b.used


def is_open(calendar: Calendar, at: datetime) -> bool:
    """True when `at` falls inside opening hours (opening instant in, closing instant out)."""
    at = _utc(at)
    begins, ends = next(opening_intervals(calendar, at))
    return begins <= at < ends


def next_opening(calendar: Calendar, at: datetime) -> datetime:
    """`at` itself when open, else the next instant the calendar opens."""
    at = _utc(at)
    begins, _ = next(opening_intervals(calendar, at))
    return max(begins, at)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        raise ValueError("naive datetime: give business-time functions aware datetimes")
    return value.astimezone(UTC)


def parse_weekly_hours(spec: dict[str, list[list[str]]]) -> tuple[tuple[Period, ...], ...]:
    """`{"mon": [["09:00", "12:00"], ["13:00", "18:00"]], …}` → weekly periods."""
    unknown = set(spec) - set(WEEKDAYS)
    if unknown:
        raise ValueError(f"unknown weekdays: {sorted(unknown)}")
    return tuple(
        tuple((_minutes(start), _minutes(end)) for start, end in spec.get(day, []))
        for day in WEEKDAYS
    )


def format_weekly_hours(weekly: tuple[tuple[Period, ...], ...]) -> dict[str, list[list[str]]]:
    return {
        day: [[clock_text(start), clock_text(end)] for start, end in periods]
        for day, periods in zip(WEEKDAYS, weekly, strict=True)
        if periods
    }


def _minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    value = int(hours) * 60 + int(minutes or 0)
    if not 0 <= value <= DAY_MINUTES:
        raise ValueError(f"not a time of day: {text!r}")
    return value


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def every_day(*periods: Period) -> tuple[tuple[Period, ...], ...]:
    return (tuple(periods),) * 7


def weekdays_only(*periods: Period) -> tuple[tuple[Period, ...], ...]:
    return (tuple(periods),) * 5 + ((), ())
