"""SQLite's write-ahead log copied back into the database file by a thread of its own.

By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: that
commit takes 5–8 ms instead of 0.2–0.5 (measured: one commit in twenty with chat traffic),
and as the writer lane commits on the event loop, the loop stalls that long. While a
process serves (web/runtime.py), a thread checkpoints every `EVERY_SECONDS` on its own
connection instead — the sqlite3 driver releases the GIL while SQLite works, so the loop
goes on — and commits checkpoint only past `FALLBACK_PAGES`, should the thread fall
behind. Several processes may each run one: a checkpoint that finds another running
returns at once.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

from kefu.store.db import sqlite_file

log = logging.getLogger(__name__)
EVERY_SECONDS = 0.5
FALLBACK_PAGES = 10_000  # ≈ 40 MB of log


class BackgroundCheckpoints:
    def __init__(self, engine: Engine, every: float = EVERY_SECONDS) -> None:
        path = sqlite_file(engine.url)
        if path is None:
            raise ValueError("background checkpoints are for a SQLite database file")
        self._engine = engine
        self._path = path
        self._every = every
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kefu-checkpoints", daemon=True)
        self.checkpoints = 0
        self.pages_copied = 0

    def start(self) -> BackgroundCheckpoints:
        event.listen(self._engine, "connect", _fallback_only)
        self._engine.dispose()  # pooled connections reconnect with the higher threshold
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)
        event.remove(self._engine, "connect", _fallback_only)

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, timeout=15, check_same_thread=False)
        try:
            connection.execute("PRAGMA synchronous=NORMAL")  # as the app's connections
            while not self._stopping.wait(self._every):
                self._checkpoint(connection)
        finally:
            connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            _busy, _in_log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as error:  # the next round tries again; commits still fall back
            log.warning("WAL checkpoint failed: %s", error)
            return
        self.checkpoints += 1
        self.pages_copied += max(copied, 0)


def _fallback_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")
