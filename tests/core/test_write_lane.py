"""The SQLite writer lane: group commit, and one failing unit spoils only itself."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from kefu.jobs.outbox import OUTBOX
from kefu.services import Services
from kefu.store.models.base import utcnow
from kefu.store.write_lane import WriteLane


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
def lane(services: Services) -> Any:
    if not services.db.is_sqlite:
        pytest.skip("the lane is SQLite's single writer; PostgreSQL writes concurrently")
    lane = WriteLane(services.db)
    yield lane
    lane.close()


def _queued_while_blocked(lane: WriteLane, units: list[Callable[[Session], str]]) -> list[Any]:
    """Submit `units` while the lane is busy, so they are all waiting when it looks."""
    release = threading.Event()
    blocker = lane.submit_call(release.wait)
    futures = [lane.submit_unit(unit) for unit in units]
    release.set()
    blocker.result(timeout=10)
    return futures


def test_units_waiting_together_share_one_commit(services: Services, lane: WriteLane) -> None:
    commits = _count_commits(services)
    futures = _queued_while_blocked(lane, [_add_job(f"job-{i}") for i in range(10)])

    assert [f.result(timeout=10) for f in futures] == [f"job-{i}" for i in range(10)]
    assert len(commits) == 1
    assert _jobs(services) == [f"job-{i}" for i in range(10)]


def test_a_failing_unit_gets_its_error_and_the_others_still_commit(
    services: Services, lane: WriteLane
) -> None:
    futures = _queued_while_blocked(lane, [_add_job("a"), _add_job("bad"), _add_job("c")])

    assert futures[0].result(timeout=10) == "a"
    with pytest.raises(ValueError, match="broken"):
        futures[1].result(timeout=10)
    assert futures[2].result(timeout=10) == "c"
    # The broken unit's insert was rolled back; the others are stored exactly once.
    assert _jobs(services) == ["a", "c"]


def test_a_unit_alone_is_not_run_twice_when_it_fails(services: Services, lane: WriteLane) -> None:
    runs: list[int] = []

    def broken(session: Session) -> None:
        runs.append(1)
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        lane.submit_unit(broken).result(timeout=10)
    assert runs == [1]
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(OUTBOX)) == 0
