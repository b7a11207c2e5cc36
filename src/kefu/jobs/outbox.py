"""Enqueue a job inside the caller's transaction: it exists only if that commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert
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
