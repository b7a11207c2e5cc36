"""Prebuilt statements store and return exactly what SQLAlchemy's own execution would."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, insert, inspect, select, update

from kefu.ingest.pipeline import ingest
from kefu.jobs.outbox import OUTBOX
from kefu.services import Services
from kefu.store.models import Message, Ticket
from kefu.store.prebuilt import Prebuilt, PrebuiltRow
from tests.support import inbound

JOBS = OUTBOX
MESSAGES = cast(Table, Message.__table__)
TICKETS = cast(Table, Ticket.__table__)
WHEN = datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=UTC)


def _job(kind: str) -> dict[str, Any]:
    payload = {"ticket": "KF-1", "中文": ["值", 1, None], "nested": {"ok": True}}
    return {
        "kind": kind,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "run_after": WHEN,
        "created_at": WHEN,
    }


def _stored(services: Services, kind: str) -> tuple[Any, ...]:
    with services.db.read() as session:
        row = session.execute(
            select(JOBS.c.kind, JOBS.c.payload, JOBS.c.status, JOBS.c.run_after).where(
                JOBS.c.kind == kind
            )
        ).one()
    return tuple(row)


def test_an_insert_stores_the_same_values_as_sqlalchemy(services: Services) -> None:
    prebuilt = Prebuilt(insert(JOBS).returning(JOBS.c.id))
    with services.db.write() as session:
        connection = session.connection()
        new_id = prebuilt.scalar(connection, _job("prebuilt"))
        connection.execute(insert(JOBS), _job("plain"))
    assert isinstance(new_id, int)
    assert _stored(services, "prebuilt")[1:] == _stored(services, "plain")[1:]


def test_compiled_once_per_set_of_parameter_names(services: Services) -> None:
    prebuilt = Prebuilt(update(JOBS).where(JOBS.c.kind == bindparam("the_kind")))
    with services.db.write() as session:
        connection = session.connection()
        connection.execute(insert(JOBS), _job("a"))
        prebuilt.run(connection, {"the_kind": "a", "status": "done"})
        prebuilt.run(connection, {"the_kind": "a", "attempts": 3})
        prebuilt.run(connection, {"the_kind": "a", "status": "dead"})
    with services.db.read() as session:
        row = session.execute(select(JOBS.c.status, JOBS.c.attempts)).one()
    assert tuple(row) == ("dead", 3)
    expected = 2 if services.db.is_sqlite else 0  # PostgreSQL runs plain `execute`
    assert len(prebuilt._compiled) == expected


def test_first_and_scalar_answer_none_when_nothing_matches(services: Services) -> None:
    prebuilt = Prebuilt(select(JOBS.c.id).where(JOBS.c.kind == bindparam("kind")))
    with services.db.read() as session:
        connection = session.connection()
        assert prebuilt.first(connection, {"kind": "missing"}) is None
        assert prebuilt.scalar(connection, {"kind": "missing"}) is None
        assert prebuilt.rows(connection, {"kind": "missing"}) == []


def test_statements_that_need_sqlalchemy_defaults_are_refused_on_sqlite(
    services: Services,
) -> None:
    """The driver path cannot fill Python-side defaults, so it refuses such statements;
    PostgreSQL's plain execution fills them."""
    needs_default = Prebuilt(insert(MESSAGES))  # created_at has a Python-side default
    with services.db.write() as session:
        connection = session.connection()
        if services.db.is_sqlite:
            with pytest.raises(AssertionError):
                needs_default.run(connection, {"ticket_id": 1, "body_text": "x"})


def test_result_values_are_converted_as_sqlalchemy_converts_them(services: Services) -> None:
    """Times come back as aware datetimes and JSON as Python values, on both databases."""
    columns = (JOBS.c.id, JOBS.c.kind, JOBS.c.payload, JOBS.c.run_after, JOBS.c.created_at)
    prebuilt = Prebuilt(select(*columns).where(JOBS.c.kind == bindparam("kind")))
    returning = Prebuilt(insert(JOBS).returning(JOBS.c.payload, JOBS.c.run_after))
    with services.db.write() as session:
        connection = session.connection()
        returned = returning.first(connection, _job("dated"))
        found = prebuilt.first(connection, {"kind": "dated"})
        expected = connection.execute(select(*columns).where(JOBS.c.kind == "dated")).one()
    assert found == tuple(expected)
    assert returned == (_job("dated")["payload"], WHEN)
    assert found is not None and found[3] == WHEN and found[3].tzinfo is not None


def _a_ticket(services: Services) -> int:
    receipt = ingest(services, inbound("USDT 充值未到账，TxID 1234abcd"))
    return receipt.ticket_id


def test_a_prebuilt_row_is_the_object_session_get_returns(services: Services) -> None:
    ticket_id = _a_ticket(services)
    rows = PrebuiltRow(Ticket, TICKETS.c.id == bindparam("ticket_id"))
    columns = [c.key for c in inspect(Ticket).column_attrs if not c.deferred]
    with services.db.read() as session:
        loaded = rows.get(session, {"ticket_id": ticket_id})
        assert loaded is not None and loaded in session
        assert not session.dirty and not session.new
        again = rows.get(session, {"ticket_id": ticket_id})
        assert again is loaded  # the session's own object, once
        values = {key: getattr(loaded, key) for key in columns}
        assert rows.get(session, {"ticket_id": ticket_id + 1000}) is None
    with services.db.read() as session:
        expected = session.get(Ticket, ticket_id)
        assert {key: getattr(expected, key) for key in columns} == values


def test_saving_a_prebuilt_row_writes_only_its_changes_and_leaves_nothing_to_flush(
    services: Services,
) -> None:
    ticket_id = _a_ticket(services)
    rows = PrebuiltRow(Ticket, TICKETS.c.id == bindparam("ticket_id"))
    with services.db.write() as session:
        ticket = rows.get(session, {"ticket_id": ticket_id})
        assert ticket is not None
        ticket.priority, ticket.tags = "urgent", ["vip", "中文"]
        rows.save(session, ticket)
        assert not session.dirty  # written and marked committed: the flush has no work
        rows.save(session, ticket)  # nothing changed since: no statement at all
    with services.db.read() as session:
        stored = session.get(Ticket, ticket_id)
        assert stored is not None
        assert (stored.priority, stored.tags, stored.status) == ("urgent", ["vip", "中文"], "new")
