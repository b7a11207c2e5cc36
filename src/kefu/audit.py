"""Writing to the append-only audit trail (`events`), chained by hash so edits show.

Each event's `chain_hash` is sha256(previous event's chain_hash + canonical JSON of this
event); the first event chains to `GENESIS`. Database triggers already refuse UPDATE and
DELETE; the chain makes an edit by someone who bypasses them (a superuser, a copied file)
detectable by `kefu audit verify`. See docs/subsystems/trust.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, event, insert, select, text
from sqlalchemy.orm import Session

from kefu.store.models import Event
from kefu.store.models.base import utcnow
from kefu.store.prebuilt import Prebuilt

# The table, not the mapped class: a plain Core INSERT skips the ORM's bulk-insert path.
EVENTS = cast(Table, Event.__table__)
INSERT_EVENT = Prebuilt(insert(EVENTS))  # built once; each call only binds its values
LAST_HASH = Prebuilt(select(EVENTS.c.chain_hash).order_by(EVENTS.c.id.desc()).limit(1))
# One chain, so one writer at a time on PostgreSQL too; released at commit or rollback.
LOCK_CHAIN = text("SELECT pg_advisory_xact_lock(7030811001)")
GENESIS = "0" * 64
HASHED_FIELDS = ("kind", "actor_kind", "actor_id", "ticket_id", "data", "created_at")
# connection.info key: (the transaction it was read in, the chain's newest hash).
_LAST = "kefu.audit.last_chain_hash"


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
    connection = session.connection()
    values: dict[str, Any] = {
        "kind": kind,
        "actor_kind": actor.kind,
        "actor_id": actor.id,
        "ticket_id": ticket_id,
        "data": data,
        "created_at": utcnow(),
    }
    values["chain_hash"] = chain_hash(_newest_hash(connection), values)
    INSERT_EVENT.run(connection, values)
    connection.info[_LAST] = (connection.get_transaction(), values["chain_hash"])


def chain_hash(previous: str, entry: Mapping[Any, Any]) -> str:
    """sha256 of the previous hash and this entry's canonical JSON, as hex."""
    return hashlib.sha256(previous.encode() + canonical_json(entry)).hexdigest()


def canonical_json(entry: Mapping[Any, Any]) -> bytes:
    """The hashed fields as sorted, compact JSON; the time as UTC microseconds."""
    fields = {name: entry[name] for name in HASHED_FIELDS}
    created_at: datetime = fields["created_at"]
    fields["created_at"] = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _newest_hash(connection: Connection) -> str:
    """The chain's newest hash, as seen inside this (write) transaction.

    After this transaction's first event nobody else can append before it ends (SQLite:
    one writer; PostgreSQL: the advisory lock), so later events reuse the remembered hash.
    """
    remembered = connection.info.get(_LAST)
    if remembered is not None and remembered[0] is connection.get_transaction():
        return str(remembered[1])
    if connection.dialect.name == "postgresql":
        connection.execute(LOCK_CHAIN)
    return str(LAST_HASH.scalar(connection, {}) or GENESIS)


@event.listens_for(Engine, "rollback_savepoint")
def _forget_on_savepoint_rollback(connection: Connection, *_: object) -> None:
    # The remembered hash may belong to an event that was just rolled back.
    connection.info.pop(_LAST, None)


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_at_end(connection: Connection) -> None:
    connection.info.pop(_LAST, None)


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: how many events it checked, and the first broken one."""

    checked: int
    head: str  # the newest valid hash: record it elsewhere to detect a truncated tail
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(connection: Connection) -> ChainReport:
    """Walk `events` in id order and recompute every hash; stop at the first mismatch."""
    previous, checked = GENESIS, 0
    streamed = connection.execution_options(stream_results=True, yield_per=2000)
    with streamed.execute(select(EVENTS).order_by(EVENTS.c.id)) as result:
        for row in result.mappings():
            expected = chain_hash(previous, row)
            if row["chain_hash"] != expected:
                problem = "missing" if row["chain_hash"] is None else "mismatch"
                return ChainReport(checked, previous, broken_id=row["id"], problem=problem)
            previous, checked = expected, checked + 1
    return ChainReport(checked, previous)
