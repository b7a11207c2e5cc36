"""Writing to the append-only audit trail (`events`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kefu.store.models import Event


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
) -> Event:
    event = Event(
        kind=kind, actor_kind=actor.kind, actor_id=actor.id, ticket_id=ticket_id, data=data
    )
    session.add(event)
    return event
