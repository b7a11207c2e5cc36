"""The audit trail is chained by hash: editing or removing an entry is detected."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from kefu.audit import GENESIS, Actor, chain_hash, record_event, verify_chain
from kefu.cli import main
from kefu.services import Services, build_services
from kefu.settings import Settings
from kefu.store.migrate import alembic_config
from kefu.store.models import Event

SQLITE_TRIGGERS = (
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
)


def write_events(services: Services, count: int, per_transaction: int = 1) -> None:
    for first in range(0, count, per_transaction):
        with services.db.write() as session:
            for n in range(first, min(count, first + per_transaction)):
                record_event(session, "ticket.viewed", Actor("agent", 7), None, n=n, note="看过")


def tamper(services: Services, statement: str) -> None:
    """What someone with the database's owner rights could do: lift the triggers, edit."""
    with services.db.write() as session:
        if services.db.is_sqlite:
            session.execute(sa.text("DROP TRIGGER events_no_update"))
            session.execute(sa.text("DROP TRIGGER events_no_delete"))
            session.execute(sa.text(statement))
            for trigger in SQLITE_TRIGGERS:
                session.execute(sa.text(trigger))
        else:  # in one transaction, so the shared test database keeps its trigger
            session.execute(sa.text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
            session.execute(sa.text(statement))
            session.execute(sa.text("ALTER TABLE events ENABLE TRIGGER events_append_only"))


def event_ids(services: Services) -> list[int]:
    with services.db.read() as session:
        return list(session.scalars(sa.select(Event.id).order_by(Event.id)))


def check(services: Services) -> tuple[bool, int | None, int]:
    with services.db.engine.connect() as connection:
        report = verify_chain(connection)
    return report.ok, report.broken_id, report.checked


def test_an_untouched_trail_verifies(services: Services) -> None:
    write_events(services, 3)
    write_events(services, 4, per_transaction=4)  # remembered hash within one transaction

    assert check(services) == (True, None, 7)
    with services.db.read() as session:
        first = session.scalars(sa.select(Event).order_by(Event.id)).first()
    assert first is not None and first.chain_hash and first.chain_hash != GENESIS


def test_editing_an_entrys_data_is_detected(services: Services) -> None:
    write_events(services, 5)
    third = event_ids(services)[2]

    tamper(services, f"UPDATE events SET actor_id = 8 WHERE id = {third}")

    assert check(services) == (False, third, 2)


def test_editing_an_entry_and_its_hash_breaks_the_next_link(services: Services) -> None:
    write_events(services, 5)
    ids = event_ids(services)
    tamper(services, f"UPDATE events SET data = '{{\"n\": 99}}' WHERE id = {ids[1]}")
    with services.db.read() as session:  # the forger recomputes this entry's own hash …
        rows = session.execute(
            sa.select(Event.__table__).where(Event.id.in_(ids[:2])).order_by(Event.id)
        ).mappings()
        before, edited = rows.all()
        forged = chain_hash(before["chain_hash"], edited)
    tamper(services, f"UPDATE events SET chain_hash = '{forged}' WHERE id = {ids[1]}")

    assert check(services) == (False, ids[2], 2)  # … but the next entry no longer follows


def test_deleting_an_entry_is_detected(services: Services) -> None:
    write_events(services, 5)
    ids = event_ids(services)

    tamper(services, f"DELETE FROM events WHERE id = {ids[1]}")

    assert check(services) == (False, ids[2], 1)


def test_a_rolled_back_savepoint_does_not_leave_a_stale_link(services: Services) -> None:
    with services.db.write() as session:
        record_event(session, "a", Actor.system())
        savepoint = session.begin_nested()
        record_event(session, "rolled.back", Actor.system())
        savepoint.rollback()
        record_event(session, "b", Actor.system())

    assert check(services) == (True, None, 2)


def test_concurrent_writers_keep_one_chain(services: Services) -> None:
    def writer() -> None:
        write_events(services, 10, per_transaction=2)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert check(services) == (True, None, 40)


def test_kefu_audit_verify_says_ok_or_names_the_broken_entry(
    services: Services,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KEFU_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("KEFU_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("KEFU_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("KEFU_IDENTITY_SECRET", settings.identity_secret)
    write_events(services, 3)
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: 3 events")

    second = event_ids(services)[1]
    tamper(services, f"UPDATE events SET kind = 'ticket.nothing' WHERE id = {second}")
    assert main(["audit", "verify"]) == 1
    assert f"BROKEN at event #{second}" in capsys.readouterr().err


def test_the_migration_chains_events_written_before_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    services = build_services(Settings(var_dir=tmp_path, database_url=url))
    config = alembic_config()
    with services.db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "trust_0002")  # before the chain existed
        for n in range(3):
            connection.execute(
                sa.text(
                    "INSERT INTO events (actor_kind, kind, data, created_at) "
                    "VALUES ('system', 'old.event', :data, :at)"
                ),
                {"data": f'{{"n": {n}}}', "at": f"2026-01-0{n + 1} 10:00:00.000123"},
            )
        command.upgrade(config, "heads")

    assert check(services) == (True, None, 3)
    write_events(services, 1)
    assert check(services) == (True, None, 4)
    services.db.engine.dispose()
