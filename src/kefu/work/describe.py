"""Business hours in words, for customers ("Mon–Fri 09:00–18:00 UTC+8"), in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from kefu.i18n import t
from kefu.work.calendar import DAY_MINUTES, WEEKDAYS, Calendar, Period, clock_text

# Shown to customers of a mainland exchange as 北京时间 rather than an offset.
_NAMED_ZONES = {"Asia/Shanghai": "work.hours_zone_shanghai"}


def describe_hours(calendar: Calendar, lang: str) -> str:
    """`北京时间周一至周五 09:00–18:00（法定节假日除外）` / `Mon–Fri 09:00–18:00 UTC+8 …`."""
    if all(periods == ((0, DAY_MINUTES),) for periods in calendar.weekly):
        text = t("work.hours_always", lang)
        return text + t("work.hours_except_holidays", lang) if calendar.holidays else text
    groups = "; ".join(
        f"{_days_text(first, last, lang)} {_periods_text(periods)}"
        for first, last, periods in _day_groups(calendar.weekly)
    )
    zone = _zone_label(calendar.time_zone, lang)
    text = f"{zone}{groups}" if lang == "zh-Hans" else f"{groups} {zone}"
    if calendar.holidays:
        text += t("work.hours_except_holidays", lang)
    return text


def is_around_the_clock(calendar: Calendar) -> bool:
    """Open every minute of every day, holidays included: no "business hours" to speak of."""
    every_minute = all(periods == ((0, DAY_MINUTES),) for periods in calendar.weekly)
    return every_minute and not calendar.holidays


def _day_groups(
    weekly: tuple[tuple[Period, ...], ...],
) -> list[tuple[int, int, tuple[Period, ...]]]:
    groups: list[tuple[int, int, tuple[Period, ...]]] = []
    for index, periods in enumerate(weekly):
        if not periods:
            continue
        if groups and groups[-1][1] == index - 1 and groups[-1][2] == periods:
            groups[-1] = (groups[-1][0], index, periods)
        else:
            groups.append((index, index, periods))
    return groups


def _days_text(first: int, last: int, lang: str) -> str:
    first_name = t(f"work.day.{WEEKDAYS[first]}", lang)
    if first == last:
        return first_name
    return t("work.day_range", lang, first=first_name, last=t(f"work.day.{WEEKDAYS[last]}", lang))


def _periods_text(periods: tuple[Period, ...]) -> str:
    return ", ".join(f"{clock_text(start)}–{clock_text(end)}" for start, end in periods)


def _zone_label(time_zone: str, lang: str) -> str:
    if time_zone in _NAMED_ZONES:
        return t(_NAMED_ZONES[time_zone], lang)
    offsets = {
        datetime(2026, month, 1, tzinfo=UTC).astimezone(ZoneInfo(time_zone)).utcoffset()
        for month in (1, 7)
    }
    if len(offsets) != 1:
        return time_zone  # a DST zone: its name is the honest label
    offset = offsets.pop() or timedelta(0)
    return _offset_text(offset)


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
