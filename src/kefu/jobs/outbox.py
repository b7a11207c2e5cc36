"""Enqueue a job inside the caller's transaction: it exists only if that commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from kefu.store.models import OutboxJob
from kefu.store.models.base import utcnow
from kefu.store.prebuilt import Prebuilt

OUTBOX = cast(Table, OutboxJob.__table__)  # plain Core INSERT: no ORM bookkeeping on the hot path
INSERT_JOB = Prebuilt(insert(OUTBOX))  # built once; each call only binds its values


def enqueue(
    session: Session, kind: str, payload: dict[str, Any], run_after: datetime | None = None
) -> None:
    now = utcnow()
    INSERT_JOB.run(
        session.connection(),
        {
            "kind": kind,
            "payload": payload,
            "status": "pending",
            "attempts": 0,
            "run_after": run_after or now,
            "created_at": now,
        },
    )


def schedule_once(session: Session, kind: str, when: datetime) -> None:
    """A periodic job's next run, unless one is already waiting: a job that reschedules
    itself first thing (a crash loses no timer) keeps exactly one run pending."""
    pending = session.scalar(
        select(OutboxJob.id).where(
            OutboxJob.kind == kind,
            OutboxJob.status == "pending",
            OutboxJob.claimed_by.is_(None),
        )
    )
    if pending is None:
        enqueue(session, kind, {}, run_after=when)
