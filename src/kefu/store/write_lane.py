"""SQLite's single writer as one thread, with group commit.

Work arrives in two shapes. A *unit* is a function of a Session: units queued together
run in one transaction and share one BEGIN IMMEDIATE and one commit, and each caller
gets its own result only after that commit. A *call* is a function that opens its own
transaction (the older `run_write` shape); it runs alone, between batches.

A unit that raises spoils only itself: the batch is rolled back, the failing unit is
re-run alone so its caller gets its own error, and the others run again together. So
one bad request costs its batch one retry, never a lost or doubled write (every unit is
a pure function of its input and the database, and a rolled-back attempt left nothing).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from kefu.store.db import Database

log = logging.getLogger(__name__)

Unit = Callable[[Session], Any]
MAX_BATCH = 64  # bounds one transaction's length, so the lock is never held for long


@dataclass
class _Job:
    future: Future[Any]
    unit: Unit | None = None  # runs inside the batch's session
    call: Callable[[], Any] | None = None  # runs alone, opening its own transaction


class _UnitFailed(Exception):
    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


class WriteLane:
    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self._db = db
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="kefu-writer", daemon=True)
        self._thread.start()

    def submit_unit(self, unit: Unit) -> Future[Any]:
        job = _Job(Future(), unit=unit)
        self._queue.put(job)
        return job.future

    def submit_call(self, call: Callable[[], Any]) -> Future[Any]:
        job = _Job(Future(), call=call)
        self._queue.put(job)
        return job.future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _serve(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            units, calls, stop = self._gather(first)
            if units:
                self._commit_together(units)
            for job in calls:
                _settle(job, job.call)  # type: ignore[arg-type]
            if stop:
                return

    def _gather(self, first: _Job) -> tuple[list[_Job], list[_Job], bool]:
        """`first` and whatever else is already waiting, up to one batch."""
        units: list[_Job] = []
        calls: list[_Job] = []
        job: _Job | None = first
        while job is not None:
            (units if job.unit is not None else calls).append(job)
            if len(units) + len(calls) >= self._max_batch:
                return units, calls, False
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return units, calls, False
        return units, calls, True

    def _commit_together(self, units: list[_Job]) -> None:
        while units:
            if len(units) == 1:
                self._run_alone(units[0])
                return
            try:
                results = self._run_batch(units)
            except _UnitFailed as failed:
                self._run_alone(units.pop(failed.index))
                continue
            except Exception as exc:  # the commit itself failed: every caller hears it
                for job in units:
                    job.future.set_exception(exc)
                return
            for job, result in zip(units, results, strict=True):
                job.future.set_result(result)
            return

    def _run_batch(self, units: list[_Job]) -> list[Any]:
        results: list[Any] = []
        with self._db.write() as session:
            for index, job in enumerate(units):
                assert job.unit is not None
                try:
                    results.append(job.unit(session))
                except Exception as exc:
                    raise _UnitFailed(index) from exc
        return results

    def _run_alone(self, job: _Job) -> None:
        unit = job.unit
        assert unit is not None

        def alone() -> Any:
            with self._db.write() as session:
                return unit(session)

        _settle(job, alone)


def _settle(job: _Job, fn: Callable[[], Any]) -> None:
    try:
        job.future.set_result(fn())
    except BaseException as exc:  # the caller re-raises it; the lane keeps serving
        job.future.set_exception(exc)
