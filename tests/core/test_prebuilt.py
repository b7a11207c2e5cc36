"""Prebuilt statements store and return exactly what SQLAlchemy's own execution would."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, insert, select, update

from kefu.jobs.outbox import OUTBOX
from kefu.services import Services
from kefu.store.models import Message
from kefu.store.prebuilt import Prebuilt

JOBS = OUTBOX
MESSAGES = cast(Table, Message.__table__)
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


def test_statements_that_need_sqlalchemy_defaults_or_conversions_are_refused_on_sqlite(
    services: Services,
) -> None:
    """The driver path cannot fill Python-side defaults nor convert result values, so it
    refuses such statements; PostgreSQL's plain execution does both."""
    needs_default = Prebuilt(insert(MESSAGES))  # created_at has a Python-side default
    needs_conversion = Prebuilt(select(JOBS.c.run_after))  # a DateTime result
    with services.db.write() as session:
        connection = session.connection()
        connection.execute(insert(JOBS), _job("dated"))
        if services.db.is_sqlite:
            with pytest.raises(AssertionError):
                needs_default.run(connection, {"ticket_id": 1, "body_text": "x"})
            with pytest.raises(AssertionError):
                needs_conversion.rows(connection, {})
        else:
            assert needs_conversion.rows(connection, {}) == [(WHEN,)]
