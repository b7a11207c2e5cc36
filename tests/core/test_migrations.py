"""The migrations build exactly the models' schema, and the audit trail is append-only."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from kefu.audit import Actor, record_event
from kefu.services import Services
from kefu.store.migrate import include_name
from kefu.store.models import Base


def test_migrations_match_the_models(services: Services) -> None:
    with services.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_audit_events_cannot_be_edited_or_deleted(services: Services) -> None:
    with services.db.write() as session:
        record_event(session, "agent.login", Actor("agent", 1))
    for statement in ("UPDATE events SET kind = 'x'", "DELETE FROM events"):
        with pytest.raises(DatabaseError), services.db.write() as session:
            session.execute(text(statement))
