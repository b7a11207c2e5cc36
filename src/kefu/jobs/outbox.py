"""Enqueue a job inside the caller's transaction: it exists only if that commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kefu.store.models import OutboxJob
from kefu.store.models.base import utcnow


def enqueue(
    session: Session, kind: str, payload: dict[str, Any], run_after: datetime | None = None
) -> OutboxJob:
    job = OutboxJob(kind=kind, payload=payload, run_after=run_after or utcnow())
    session.add(job)
    return job
