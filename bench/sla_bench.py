"""Business-time arithmetic throughput, and an SLA sweep over 100,000 open tickets.

Run: .venv/bin/python bench/sla_bench.py
Writes bench/results/sla.json. One core, one call per operation. Starts are random
instants in 2026–2027, durations random up to 72 business hours (SLA-sized).

- add_business_time / business_time_between per second, on three calendars: the
  default (Asia/Shanghai 09:00–18:00 Mon–Fri with mainland holidays and 调休), a
  London split-shift calendar (DST), and 24/7.
- sweep: reading first-reply and resolution clocks (the SLA evaluation a recompute
  does, without the database) for 100,000 open tickets; issue #8's target for a sweep
  is under 5 s.
"""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kefu.work.calendar import (
    Calendar,
    add_business_time,
    business_time_between,
    every_day,
    weekdays_only,
)
from kefu.work.clock import Timeline, read_clock, spans
from kefu.work.policies import spec_calendar

RESULTS = Path(__file__).parent / "results" / "sla.json"
CALLS = 50_000
SWEEP_TICKETS = 100_000
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def calendars() -> dict[str, Calendar]:
    return {
        "shanghai_business_cn_holidays": spec_calendar("business"),
        "london_split_shift": Calendar(
            "london", "Europe/London", weekdays_only((540, 720), (780, 1080))
        ),
        "around_the_clock": Calendar("always", "Asia/Shanghai", every_day((0, 1440))),
    }


def workload(rng: random.Random, count: int) -> list[tuple[datetime, timedelta]]:
    return [
        (
            EPOCH + timedelta(seconds=rng.randrange(0, 2 * 365 * 86400)),
            timedelta(minutes=rng.randrange(1, 72 * 60)),
        )
        for _ in range(count)
    ]


def rate(fn: object, work: list[tuple[datetime, timedelta]], calendar: Calendar) -> float:
    started = time.perf_counter()
    if fn is add_business_time:
        for start, duration in work:
            add_business_time(calendar, start, duration)
    else:
        for start, duration in work:
            business_time_between(calendar, start, start + duration * 2)
    return len(work) / (time.perf_counter() - started)


def sweep(rng: random.Random, calendar: Calendar) -> float:
    now = EPOCH + timedelta(days=400)
    timelines = [
        Timeline(now - timedelta(minutes=rng.randrange(1, 7 * 24 * 60)), (), (), ())
        for _ in range(SWEEP_TICKETS)
    ]
    targets = {"first_reply": timedelta(hours=24), "resolution": timedelta(hours=72)}
    started = time.perf_counter()
    for timeline in timelines:
        for span in spans(timeline):
            read_clock(calendar, timeline, span, targets[span.metric], 0.8, now)
    return time.perf_counter() - started


def main() -> int:
    rng = random.Random(8)
    work = workload(rng, CALLS)
    results: dict[str, object] = {"calls": CALLS}
    for name, calendar in calendars().items():
        add_business_time(calendar, EPOCH, timedelta(hours=1))  # warm the day cache
        results[name] = {
            "add_business_time_per_s": round(rate(add_business_time, work, calendar)),
            "business_time_between_per_s": round(rate(business_time_between, work, calendar)),
        }
    results["sweep_open_tickets"] = SWEEP_TICKETS
    results["sweep_seconds"] = round(sweep(rng, spec_calendar("business")), 3)
    results["sweep_target_seconds"] = 5.0
    results["python"] = platform.python_version()
    results["machine"] = platform.machine()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
