"""The durable-job worker: claim due outbox jobs, run them, retry with backoff, dead-letter.

Claiming differs by database. PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, so any
number of workers share the queue. SQLite: a conditional UPDATE that must change
exactly one row (one writer at a time makes that a safe claim).
A claim is a lease: a worker that dies mid-job leaves it to be claimed again later.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update

from kefu.services import Services
from kefu.store.models import OutboxJob
from kefu.store.models.base import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)
Handler = Callable[[Services, dict[str, object]], None]


class PermanentJobError(Exception):
    """Retrying cannot help (bad address, missing record): dead-letter at once."""


@dataclass
class Worker:
    services: Services
    handlers: dict[str, Handler]
    name: str = f"{socket.gethostname()}:{os.getpid()}"

    def run_once(self, limit: int = 50) -> int:
        """Run the jobs that are due now; return how many ran. Tests call this directly."""
        ran = 0
        while ran < limit:
            job = self.claim_next_job()
            if job is None:
                break
            self._run(job)
            ran += 1
        return ran

    def run_forever(self, stop: threading.Event, idle_seconds: float = 0.5) -> None:
        while not stop.is_set():
            try:
                ran = self.run_once()
            except Exception:
                log.exception("job worker loop failed; continuing")
                ran = 0
            if ran == 0:
                stop.wait(idle_seconds)

    def claim_next_job(self) -> OutboxJob | None:
        now = utcnow()
        due = (
            select(OutboxJob.id)
            .where(
                OutboxJob.status == "pending",
                OutboxJob.run_after <= now,
                or_(OutboxJob.claimed_until.is_(None), OutboxJob.claimed_until < now),
            )
            .order_by(OutboxJob.run_after, OutboxJob.id)
            .limit(1)
        )
        db = self.services.db
        with db.write() as session:
            if not db.is_sqlite:
                due = due.with_for_update(skip_locked=True)
            job_id = session.scalar(due)
            if job_id is None:
                return None
            claimed = session.execute(
                update(OutboxJob)
                .where(OutboxJob.id == job_id, OutboxJob.status == "pending")
                .values(claimed_by=self.name, claimed_until=now + LEASE)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return None
            job = session.get(OutboxJob, job_id)
            assert job is not None
            session.expunge(job)
            return job

    def _run(self, job: OutboxJob) -> None:
        handler = self.handlers.get(job.kind)
        try:
            if handler is None:
                raise PermanentJobError(f"no handler for job kind {job.kind!r}")
            handler(self.services, job.payload)
        except PermanentJobError as exc:
            self._finish(job, "dead", error=str(exc))
        except Exception as exc:
            log.warning("job %s (%s) failed: %s", job.id, job.kind, type(exc).__name__)
            self._retry_or_bury(job, f"{type(exc).__name__}: {exc}")
        else:
            self._finish(job, "done")

    def _retry_or_bury(self, job: OutboxJob, error: str) -> None:
        attempts = job.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self._finish(job, "dead", error=error, attempts=attempts)
            return
        delay = timedelta(seconds=min(2**attempts * 5, 3600))
        with self.services.db.write() as session:
            session.execute(
                update(OutboxJob)
                .where(OutboxJob.id == job.id)
                .values(
                    attempts=attempts,
                    last_error=error[:2000],
                    run_after=utcnow() + delay,
                    claimed_by=None,
                    claimed_until=None,
                )
            )

    def _finish(
        self, job: OutboxJob, status: str, error: str | None = None, attempts: int | None = None
    ) -> None:
        if status == "dead":
            log.error("job %s (%s) dead-lettered: %s", job.id, job.kind, error)
        with self.services.db.write() as session:
            session.execute(
                update(OutboxJob)
                .where(OutboxJob.id == job.id)
                .values(
                    status=status,
                    attempts=attempts if attempts is not None else job.attempts + 1,
                    last_error=error[:2000] if error else None,
                    finished_at=utcnow(),
                    claimed_until=None,
                )
            )


def start_worker_thread(worker: Worker) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=worker.run_forever, args=(stop,), name="kefu-worker", daemon=True
    )
    thread.start()
    return thread, stop
