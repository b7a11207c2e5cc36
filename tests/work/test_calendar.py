"""Business-time arithmetic on concrete dates: weekends, lunch breaks, holidays, 调休, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.work.calendar import (
    Calendar,
    add_business_time,
    business_time_between,
    every_day,
    is_open,
    next_opening,
    weekdays_only,
)
from kefu.work.describe import describe_hours
from kefu.work.holidays import parse_holiday_list, region_holidays, region_years
from kefu.work.policies import build_calendar, spec_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
HOURS = timedelta(hours=1)
NINE_TO_SIX = (540, 1080)


def local(
    zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def business() -> Calendar:
    return spec_calendar("business")


def test_the_default_calendar_skips_the_weekend() -> None:
    friday_five = local(SHANGHAI, 2026, 3, 6, 17)
    due = add_business_time(business(), friday_five, 2 * HOURS)
    assert due == local(SHANGHAI, 2026, 3, 9, 10)


def test_closing_time_counts_as_inside_the_day() -> None:
    monday_nine = local(SHANGHAI, 2026, 3, 9, 9)
    assert add_business_time(business(), monday_nine, 9 * HOURS) == local(SHANGHAI, 2026, 3, 9, 18)


def test_a_lunch_break_is_not_business_time() -> None:
    calendar = Calendar("split", "Asia/Shanghai", weekdays_only((540, 720), (780, 1080)))
    half_past_eleven = local(SHANGHAI, 2026, 3, 9, 11, 30)
    assert add_business_time(calendar, half_past_eleven, HOURS) == local(
        SHANGHAI, 2026, 3, 9, 13, 30
    )
    assert business_time_between(
        calendar, local(SHANGHAI, 2026, 3, 9, 8), local(SHANGHAI, 2026, 3, 9, 20)
    ) == timedelta(hours=8)


def test_national_day_week_is_skipped_and_the_make_up_sunday_works() -> None:
    wednesday_before = local(SHANGHAI, 2026, 9, 30, 17)
    assert add_business_time(business(), wednesday_before, 2 * HOURS) == local(
        SHANGHAI, 2026, 10, 8, 10
    )
    saturday_noon = local(SHANGHAI, 2026, 9, 19, 12)  # 9-20 is a 调休 Sunday workday
    assert add_business_time(business(), saturday_noon, HOURS) == local(SHANGHAI, 2026, 9, 20, 10)


def test_spring_festival_closes_nine_days_between_two_make_up_saturdays() -> None:
    calendar = business()
    friday = local(SHANGHAI, 2026, 2, 13, 17)
    assert add_business_time(calendar, friday, 2 * HOURS) == local(SHANGHAI, 2026, 2, 14, 10)
    saturday_evening = local(SHANGHAI, 2026, 2, 14, 18)
    assert add_business_time(calendar, saturday_evening, HOURS) == local(SHANGHAI, 2026, 2, 24, 10)


def test_shipped_holiday_data_covers_2026_and_2027_and_marks_expected_years() -> None:
    assert region_years("CN") == {"2026": "official", "2027": "expected"}
    cn = region_holidays("CN")
    assert date(2026, 10, 1) in cn.holidays and date(2026, 10, 10) in cn.workdays
    assert date(2027, 2, 6) in cn.holidays  # Spring Festival 2027 (expected)
    official_only = region_holidays("CN", include_expected=False)
    assert date(2027, 2, 6) not in official_only.holidays
    hk = region_holidays("HK")
    assert {date(2026, 2, 17), date(2026, 7, 1), date(2027, 12, 27)} <= hk.holidays
    assert not hk.workdays


def test_a_hong_kong_calendar_closes_on_establishment_day() -> None:
    calendar = build_calendar(
        "hk", "Asia/Hong_Kong", {"mon": [["09:00", "18:00"]], "wed": [["09:00", "18:00"]]}, ("HK",)
    )
    hong_kong = ZoneInfo("Asia/Hong_Kong")
    monday_evening = local(hong_kong, 2026, 6, 29, 18)
    assert add_business_time(calendar, monday_evening, HOURS) == local(hong_kong, 2026, 7, 6, 10)


def test_london_spring_forward_day_has_23_hours_around_the_clock() -> None:
    calendar = Calendar("london", "Europe/London", every_day((0, 1440)))
    saturday_noon = local(LONDON, 2026, 3, 28, 12)
    sunday_noon = local(LONDON, 2026, 3, 29, 12)
    assert business_time_between(calendar, saturday_noon, sunday_noon) == 23 * HOURS
    assert add_business_time(calendar, saturday_noon, 23 * HOURS) == sunday_noon


def test_a_night_period_across_the_london_gap_is_one_hour_shorter() -> None:
    calendar = Calendar("night", "Europe/London", every_day((0, 180)))
    day = date(2026, 3, 29)
    start = datetime(day.year, day.month, day.day, tzinfo=LONDON)
    assert business_time_between(calendar, start, start + 24 * HOURS) == 2 * HOURS


def test_new_york_fall_back_day_has_25_hours_and_office_hours_keep_wall_clock() -> None:
    always = Calendar("ny", "America/New_York", every_day((0, 1440)))
    midnight = local(NEW_YORK, 2026, 11, 1)
    next_midnight = local(NEW_YORK, 2026, 11, 2)
    assert business_time_between(always, midnight, next_midnight) == 25 * HOURS
    office = Calendar("ny-office", "America/New_York", weekdays_only(NINE_TO_SIX))
    friday_five = local(NEW_YORK, 2026, 10, 30, 17)
    due = add_business_time(office, friday_five, 2 * HOURS)
    assert due == local(NEW_YORK, 2026, 11, 2, 10)
    assert due.astimezone(UTC).hour == 15  # EST now, not EDT


def test_between_is_negative_backwards_and_zero_outside_hours() -> None:
    calendar = business()
    a, b = local(SHANGHAI, 2026, 3, 9, 10), local(SHANGHAI, 2026, 3, 9, 12)
    assert business_time_between(calendar, b, a) == -2 * HOURS
    saturday = local(SHANGHAI, 2026, 3, 7, 10)
    assert business_time_between(calendar, saturday, saturday + 5 * HOURS) == timedelta(0)


def test_open_and_next_opening() -> None:
    calendar = business()
    assert is_open(calendar, local(SHANGHAI, 2026, 3, 9, 9))
    assert not is_open(calendar, local(SHANGHAI, 2026, 3, 9, 18))
    assert next_opening(calendar, local(SHANGHAI, 2026, 3, 7, 10)) == local(SHANGHAI, 2026, 3, 9, 9)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        add_business_time(business(), datetime(2026, 3, 9, 9), HOURS)
    with pytest.raises(ValueError, match="negative"):
        add_business_time(business(), local(SHANGHAI, 2026, 3, 9), -HOURS)
    with pytest.raises(ValueError, match="no opening hours"):
        Calendar("closed", "UTC", ((),) * 7)
    with pytest.raises(ValueError, match="bad opening periods"):
        Calendar("overlap", "UTC", weekdays_only((540, 720), (700, 800)))
    everything_off = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(2000))
    closed = Calendar("holidays", "UTC", weekdays_only(NINE_TO_SIX), holidays=everything_off)
    with pytest.raises(ValueError, match="no opening hours ahead"):
        add_business_time(closed, datetime(2026, 1, 1, tzinfo=UTC), HOURS)


def test_business_hours_are_described_in_both_languages() -> None:
    assert (
        describe_hours(business(), "zh-Hans") == "北京时间周一至周五 09:00–18:00（法定节假日除外）"
    )
    assert describe_hours(business(), "en") == "Mon–Fri 09:00–18:00 UTC+8 (except public holidays)"
    assert describe_hours(spec_calendar("always"), "en") == "24/7"
    assert describe_hours(spec_calendar("always"), "zh-Hans") == "全天 24 小时（7×24）"
    split = Calendar(
        "split", "Europe/London", (*weekdays_only((540, 720), (780, 1080))[:5], ((600, 840),), ())
    )
    assert describe_hours(split, "en") == (
        "Mon–Fri 09:00–12:00, 13:00–18:00; Sat 10:00–14:00 Europe/London"
    )
    tokyo = Calendar("tokyo", "Asia/Tokyo", weekdays_only(NINE_TO_SIX))
    assert describe_hours(tokyo, "zh-Hans") == "UTC+9周一至周五 09:00–18:00"


def test_an_imported_holiday_list_names_its_bad_line() -> None:
    days = parse_holiday_list(
        "# company days\n2026-12-24..2026-12-26, holiday, 年会\n2026-12-27, workday\n"
    )
    assert days.holidays == {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)}
    assert days.workdays == {date(2026, 12, 27)}
    with pytest.raises(ValueError, match="line 2"):
        parse_holiday_list("2026-01-01\n2026-13-01, holiday")
    with pytest.raises(ValueError, match="kind"):
        parse_holiday_list("2026-01-01, vacation")
