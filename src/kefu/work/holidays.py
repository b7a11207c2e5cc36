"""Public holidays and make-up working days: the shipped data and importable lists.

Shipped: `data/holidays_cn.json` (mainland China, with 调休 make-up workdays) and
`data/holidays_hk.json` (Hong Kong). Each year carries a status: `official` (copied
from the published notice) or `expected` (computed; see the file's note).

An importable list is plain text, one entry a line, `#` starts a comment:

    2026-10-01..2026-10-07, holiday, 国庆节
    2026-10-10, workday, 国庆节调休上班
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
REGIONS = {"CN": "holidays_cn.json", "HK": "holidays_hk.json"}


@dataclass(frozen=True)
class HolidaySet:
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __or__(self, other: HolidaySet) -> HolidaySet:
        return HolidaySet(self.holidays | other.holidays, self.workdays | other.workdays)


@cache
def region_holidays(region: str, *, include_expected: bool = True) -> HolidaySet:
    """The shipped holidays of a region ("CN", "HK") for every year in its data file."""
    if region not in REGIONS:
        raise ValueError(f"no holiday data for region {region!r}; known: {sorted(REGIONS)}")
    data = json.loads((DATA / REGIONS[region]).read_text(encoding="utf-8"))
    result = HolidaySet()
    for year in data["years"].values():
        if year["status"] != "official" and not include_expected:
            continue
        result = result | _year_set(year)
    return result


def region_years(region: str) -> dict[str, str]:
    """Year → status ("official" / "expected") of the shipped data."""
    data = json.loads((DATA / REGIONS[region]).read_text(encoding="utf-8"))
    return {year: entry["status"] for year, entry in data["years"].items()}


def _year_set(year: dict[str, Any]) -> HolidaySet:
    holidays = {
        day
        for entry in year["holidays"]
        for day in date_range(date.fromisoformat(entry["start"]), date.fromisoformat(entry["end"]))
    }
    workdays = {date.fromisoformat(entry["date"]) for entry in year["workdays"]}
    return HolidaySet(frozenset(holidays), frozenset(workdays))


def date_range(first: date, last: date) -> list[date]:
    if last < first:
        raise ValueError(f"range ends before it starts: {first}..{last}")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def parse_holiday_list(text: str) -> HolidaySet:
    """Parse an importable list (see the module docstring); ValueError names the bad line."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            days, kind = _parse_line(line)
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        (holidays if kind == "holiday" else workdays).update(days)
    return HolidaySet(frozenset(holidays), frozenset(workdays))


def _parse_line(line: str) -> tuple[list[date], str]:
    fields = [part.strip() for part in line.split(",")]
    kind = fields[1].lower() if len(fields) > 1 else "holiday"
    if kind not in ("holiday", "workday"):
        raise ValueError(f"kind must be holiday or workday, not {kind!r}")
    first, _, last = fields[0].partition("..")
    start = date.fromisoformat(first.strip())
    return date_range(start, date.fromisoformat(last.strip()) if last else start), kind
