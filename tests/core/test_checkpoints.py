"""SQLite's WAL checkpoints in a thread of their own while serving (store/checkpoints.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text

from kefu.store.checkpoints import FALLBACK_PAGES, BackgroundCheckpoints
from kefu.store.db import open_database


def _autocheckpoint(db_url: str) -> int:
    db = open_database(db_url)
    try:
        with db.engine.connect() as connection:
            return int(connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())
    finally:
        db.close()


def test_a_thread_copies_the_log_back_and_commits_no_longer_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    db = open_database(url)
    with db.write() as session:
        session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    checkpoints = BackgroundCheckpoints(db.engine, every=0.05).start()
    try:
        with db.engine.connect() as connection:  # a connection made after the start
            pages = connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one()
        assert pages == FALLBACK_PAGES  # a commit checkpoints only if the thread falls behind
        for _ in range(200):
            with db.write() as session:
                session.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": "x" * 500})
        deadline = time.monotonic() + 5
        while checkpoints.pages_copied == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert checkpoints.pages_copied > 0
    finally:
        checkpoints.stop()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar_one() == 200
    db.close()
    assert _autocheckpoint(url) == 1000  # stopped: SQLite's own default again


def test_only_a_database_file_can_have_them() -> None:
    db = open_database("sqlite://")
    with pytest.raises(ValueError, match="SQLite database file"):
        BackgroundCheckpoints(db.engine)
    db.close()
