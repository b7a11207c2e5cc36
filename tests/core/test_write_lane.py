"""The SQLite writer lane: group commit, and one failing unit spoils only itself."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from kefu.jobs.outbox import OUTBOX
from kefu.services import Services
from kefu.store.models.base import utcnow
from kefu.store.write_lane import BATCH_BUDGET_S, BUSY_GAP_S, LINGER_S, WriteLane


def _add_job(kind: str) -> Callable[[Session], str]:
    def unit(session: Session) -> str:
        session.execute(
            insert(OUTBOX).values(
                kind=kind, payload={}, status="pending", attempts=0, run_after=utcnow()
            )
        )
        if kind == "bad":
            raise ValueError("this unit is broken")
        return kind

    return unit


def _count_commits(services: Services) -> list[int]:
    commits: list[int] = []
    event.listen(services.db.engine, "commit", lambda _conn: commits.append(1))
    return commits


def _jobs(services: Services) -> list[str]:
    with services.db.read() as session:
        return list(session.scalars(select(OUTBOX.c.kind).order_by(OUTBOX.c.id)))


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only: the lane is SQLite's single writer (PostgreSQL writes concurrently,
    one transaction per call, which the rest of the suite covers on both databases)."""
    path = tmp_path / "kefu.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def _submit_while_locked(services: Services, units: list[Callable[[Session], str]]) -> list[Any]:
    """Submit `units` while another writer holds the lock, so they all wait together."""

    async def scenario() -> list[Any]:
        services.db.write_lock.acquire()
        calls = [asyncio.ensure_future(services.db.write_unit(unit)) for unit in units]
        await asyncio.sleep(0.05)  # every unit is queued behind the lock now
        services.db.write_lock.release()
        return await asyncio.gather(*calls, return_exceptions=True)

    return asyncio.run(scenario())


def test_units_waiting_together_share_one_commit(services: Services) -> None:
    commits = _count_commits(services)
    results = _submit_while_locked(services, [_add_job(f"job-{i}") for i in range(10)])

    assert results == [f"job-{i}" for i in range(10)]
    assert len(commits) == 1
    assert _jobs(services) == [f"job-{i}" for i in range(10)]


def test_slow_units_commit_in_smaller_batches_once_measured(services: Services) -> None:
    """A batch keeps the event loop for about BATCH_BUDGET_S: units that take longer
    commit in smaller groups (each caller waits for its whole batch and the commit)."""

    def slow(kind: str) -> Callable[[Session], str]:
        add = _add_job(kind)

        def unit(session: Session) -> str:
            time.sleep(BATCH_BUDGET_S / 2)
            return add(session)

        return unit

    commits = _count_commits(services)
    kinds = [f"slow-{i}" for i in range(40)]
    results = _submit_while_locked(services, [slow(kind) for kind in kinds])

    assert results == kinds
    # The first batch is full (nothing measured yet: 16), then a few units each.
    assert len(commits) >= 5
    assert _jobs(services) == kinds


def test_a_failing_unit_gets_its_error_and_the_others_still_commit(services: Services) -> None:
    results = _submit_while_locked(services, [_add_job("a"), _add_job("bad"), _add_job("c")])

    assert results[0] == "a" and results[2] == "c"
    assert isinstance(results[1], ValueError)
    # The broken unit's insert was rolled back; the others are stored exactly once.
    assert _jobs(services) == ["a", "c"]


def test_a_unit_alone_is_not_run_twice_when_it_fails(services: Services) -> None:
    runs: list[int] = []

    def broken(session: Session) -> None:
        runs.append(1)
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        asyncio.run(services.db.write_unit(broken))
    assert runs == [1]
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(OUTBOX)) == 0


def test_the_lane_waits_for_the_lock_without_blocking_the_event_loop(services: Services) -> None:
    async def scenario() -> tuple[int, str]:
        services.db.write_lock.acquire()  # say, another process is writing
        write = asyncio.ensure_future(services.db.write_unit(_add_job("late")))
        ticks = 0
        for _ in range(10):
            await asyncio.sleep(0.01)
            ticks += 1  # the loop keeps serving while the unit waits
        assert not write.done()
        services.db.write_lock.release()
        return ticks, await write

    assert asyncio.run(scenario()) == (10, "late")


def test_a_busy_lane_lingers_for_more_units_and_an_idle_one_never_does(
    services: Services,
) -> None:
    lane = WriteLane(services.db)
    lane._waiting = [object()]  # type: ignore[list-item]  # only counted here
    assert lane._linger() == 0  # no batch yet: idle
    lane._last_batch_end = time.perf_counter()
    assert lane._linger() == LINGER_S  # busy, one unit waiting: wait for company
    lane._waiting = [object()] * 4  # type: ignore[list-item]
    assert lane._linger() == 0  # enough for a batch already
    lane._waiting = [object()]  # type: ignore[list-item]
    lane._last_batch_end = time.perf_counter() - 2 * BUSY_GAP_S
    assert lane._linger() == 0  # the lane has been idle since
