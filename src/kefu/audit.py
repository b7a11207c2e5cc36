"""Writing to the append-only audit trail (`events`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from kefu.store.models import Event
from kefu.store.models.base import utcnow

# The table, not the mapped class: a plain Core INSERT skips the ORM's bulk-insert path.
EVENTS = cast(Table, Event.__table__)
INSERT_EVENT = insert(EVENTS)  # built once; each call only binds its values


@dataclass(frozen=True)
class Actor:
    """Who did something: a customer, an agent, an API token or the system."""

    kind: str  # customer / agent / api / system / bot
    id: int | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls("system")


def record_event(
    session: Session,
    kind: str,
    actor: Actor,
    ticket_id: int | None = None,
    **data: Any,
) -> None:
    """Append an event in the caller's transaction (a plain INSERT: events are never edited)."""
    session.connection().execute(
        INSERT_EVENT,
        {
            "kind": kind,
            "actor_kind": actor.kind,
            "actor_id": actor.id,
            "ticket_id": ticket_id,
            "data": data,
            "created_at": utcnow(),
        },
    )
