"""SQLite's single writer, fed from the event loop, with group commit.

Async callers submit *units* (functions of a Session). Units that arrive while the lane
waits for the writer lock or runs a batch are taken together: one BEGIN IMMEDIATE, one
commit, and each caller answered only after that commit.

The batch runs on the event loop thread itself, between requests, and only the wait for
the lock (which may be held by another process) happens off the loop. A separate writer
thread would compete with the loop for the GIL while it holds the database lock, and
every statement that releases the GIL could hand the loop a 5 ms slice: that contention,
not SQLite, was what capped intake. A batch is bounded (`MAX_BATCH`), so the loop is never
away for long.

A unit that raises spoils only itself: the batch is rolled back, the failing unit is run
alone so its caller gets its own error, and the others run again together. So one bad
request costs its batch one retry, never a lost or doubled write (every unit is a pure
function of its input and the database, and a rolled-back attempt left nothing).

A batch is sized to take about `BATCH_BUDGET_S` on the loop, from the recent time per
unit: a customer's ack waits for every unit of its batch and the commit, and nothing else
on the loop runs meanwhile. Cheap units (a ticket, ~0.7 ms) still commit a dozen at a
time; a chat message with the bot's answer (~1.3 ms) six or so.

When the lane is busy (its last batch ended under `BUSY_GAP_S` ago) and few units wait, it
lingers `LINGER_S` for more: a transaction of its own costs a chat message ~0.4 ms more
than a shared one (mostly the WAL pages every commit writes), so at 500 chat messages/s
this took the server's CPU per message from 1.57–1.84 to 1.38–1.55 ms and the p99 from
11–530 ms to 16–37 ms, for ~3 ms more at the median. An idle lane never lingers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from kefu.store.db import Database

Unit = Callable[[Session], Any]
MAX_BATCH = 16  # bounds one transaction
BATCH_BUDGET_S = 0.008  # about how long one batch keeps the loop
LINGER_S = 0.002  # how long a busy lane waits for more units before a small batch
BUSY_GAP_S = 0.005  # a lane whose last batch ended less than this ago is busy


@dataclass
class _Job:
    unit: Unit
    future: asyncio.Future[Any]


@dataclass
class WriteLane:
    """One per (database, event loop)."""

    db: Database
    max_batch: int = MAX_BATCH
    _waiting: list[_Job] = field(default_factory=list)
    _draining: asyncio.Task[None] | None = None
    # A moving average of what batches took, per unit; until measured, batches are full.
    _seconds_per_unit: float = BATCH_BUDGET_S / MAX_BATCH
    _last_batch_end: float = 0.0

    async def submit(self, unit: Unit) -> Any:
        loop = asyncio.get_running_loop()
        job = _Job(unit, loop.create_future())
        self._waiting.append(job)
        if self._draining is None or self._draining.done():
            self._draining = loop.create_task(self._drain())
        return await job.future

    async def _drain(self) -> None:
        lock = self.db.write_lock
        while self._waiting:
            # One turn of the loop before each batch: the last batch's callers answer (their
            # acks wait for it), and requests already received make their units ready and
            # join this batch instead of each paying for a transaction of its own.
            await asyncio.sleep(self._linger())
            await self._acquire_off_loop()  # another process may hold it
            try:
                size = self._batch_size()
                batch = self._waiting[:size]
                del self._waiting[:size]
                started = time.perf_counter()
                commit_together(self.db, batch)
                self._took(time.perf_counter() - started, len(batch))
                self._last_batch_end = time.perf_counter()
            except BaseException as exc:  # never leave a caller waiting forever
                for job in batch:
                    _settle(job, error=exc)
                raise
            finally:
                lock.release()

    def _linger(self) -> float:
        """How long to wait before the next batch (0: one turn of the loop only)."""
        busy = time.perf_counter() - self._last_batch_end < BUSY_GAP_S
        return LINGER_S if busy and len(self._waiting) < 4 else 0

    def _batch_size(self) -> int:
        return max(1, min(self.max_batch, int(BATCH_BUDGET_S / self._seconds_per_unit)))

    def _took(self, seconds: float, units: int) -> None:
        self._seconds_per_unit = 0.8 * self._seconds_per_unit + 0.2 * seconds / units

    async def _acquire_off_loop(self) -> None:
        lock = self.db.write_lock
        if lock.acquire(blocking=False):
            return  # free (nearly always, with one process): no thread round trip
        waiting = _LOCK_WAITERS.submit(lock.acquire)
        try:
            await asyncio.wrap_future(waiting)
        except asyncio.CancelledError:
            # Shutting down mid-wait: the thread may still get the lock; give it back then.
            waiting.add_done_callback(
                lambda done: (
                    lock.release() if not done.cancelled() and done.exception() is None else None
                )
            )
            raise


# Waiting for the lock blocks a thread, never the loop; one thread per waiting lane.
_LOCK_WAITERS = ThreadPoolExecutor(thread_name_prefix="kefu-lock-wait")


class _UnitFailed(Exception):
    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def commit_together(db: Database, jobs: list[_Job]) -> None:
    """Run `jobs` in one transaction and settle their futures; the lock is held."""
    jobs = list(jobs)
    while jobs:
        if len(jobs) == 1:
            _run_alone(db, jobs[0])
            return
        try:
            results = _run_batch(db, jobs)
        except _UnitFailed as failed:
            _run_alone(db, jobs.pop(failed.index))
            continue
        except Exception as exc:  # the commit itself failed: every caller hears it
            for job in jobs:
                _settle(job, error=exc)
            return
        for job, result in zip(jobs, results, strict=True):
            _settle(job, result)
        return


def _run_batch(db: Database, jobs: list[_Job]) -> list[Any]:
    results: list[Any] = []
    with db.write(lock_held=True) as session:
        for index, job in enumerate(jobs):
            try:
                results.append(job.unit(session))
            except Exception as exc:
                raise _UnitFailed(index) from exc
    return results


def _run_alone(db: Database, job: _Job) -> None:
    try:
        with db.write(lock_held=True) as session:
            result = job.unit(session)
    except Exception as exc:
        _settle(job, error=exc)
    else:
        _settle(job, result)


def _settle(job: _Job, result: Any = None, error: BaseException | None = None) -> None:
    if job.future.done():
        return  # the caller went away (cancelled); what committed stays committed
    if error is not None:
        job.future.set_exception(error)
    else:
        job.future.set_result(result)
