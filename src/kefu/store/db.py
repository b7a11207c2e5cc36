"""Engine and sessions for SQLite (default, WAL) and PostgreSQL.

SQLite allows one writer at a time. Write transactions therefore start with
`BEGIN IMMEDIATE` under a process-wide lock: a deferred transaction that reads and
then writes can fail at once with "database is locked" instead of waiting its turn.

Async callers hand write work to `write_unit()` / `run_write()`. On SQLite that is one
dedicated thread with group commit (store/write_lane.py), so writes queue in order
instead of forty pool threads fighting over the lock and the GIL (the shape of
datasette's write thread); on PostgreSQL, which has many writers, it is the shared
threadpool with one transaction per call.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from kefu.store.search_terms import message_terms
from kefu.store.write_lane import WriteLane

WRITE_OPTION = "kefu_write"
P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    write_lock: WriterLock = field(default_factory=lambda: WriterLock(None))
    _writing: threading.local = field(default_factory=threading.local)
    _lane: WriteLane | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error."""
        if self.is_sqlite and getattr(self._writing, "active", False):
            # The lock is not re-entrant and SQLite has one writer: a nested write would
            # wait for itself forever. Fail loudly instead.
            raise RuntimeError("nested write transaction on SQLite: pass the session down")
        lock = self.write_lock if self.is_sqlite else nullcontext()
        with lock, self.sessions() as session:
            self._writing.active = True
            try:
                if self.is_sqlite:
                    session.connection(execution_options={WRITE_OPTION: True})
                yield session
                session.commit()
            finally:
                self._writing.active = False

    async def write_unit(self, unit: Callable[[Session], T]) -> T:
        """`unit(session)` in a write transaction, off the event loop; the result arrives
        after the commit. On SQLite, units queued together share one transaction."""
        if not self.is_sqlite:
            return await anyio.to_thread.run_sync(self._write_alone, unit)
        result: T = await asyncio.wrap_future(self._writer_lane().submit_unit(unit))
        return result

    async def run_write(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking write work (which opens its own transaction) off the event loop."""
        if not self.is_sqlite:
            return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))
        future = self._writer_lane().submit_call(lambda: fn(*args, **kwargs))
        result: T = await asyncio.wrap_future(future)
        return result

    def _write_alone(self, unit: Callable[[Session], T]) -> T:
        with self.write() as session:
            return unit(session)

    def _writer_lane(self) -> WriteLane:
        if self._lane is None:
            self._lane = WriteLane(self)
        return self._lane

    def close(self) -> None:
        if self._lane is not None:
            self._lane.close()
            self._lane = None
        self.engine.dispose()
        self.write_lock.close()


class WriterLock:
    """One SQLite writer at a time: among this process's threads (a mutex) and among the
    processes serving one database file (`flock` on a file beside it). A process waiting
    on `flock` wakes the moment the lock is free; SQLite's own busy handler would sleep and
    retry in steps of up to 100 ms, which is where multi-process latency used to go."""

    def __init__(self, path: Path | None) -> None:
        self._mutex = threading.Lock()
        self._path = path
        self._fd: int | None = None

    def __enter__(self) -> None:
        self._mutex.acquire()
        if self._path is not None:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
            except BaseException:
                self._mutex.release()
                raise

    def __exit__(self, *exc: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._mutex.release()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _file(self) -> int:
        if self._fd is None:
            assert self._path is not None
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd


def open_database(url: str, *, echo: bool = False) -> Database:
    engine = _create_engine(url, echo=echo)
    return Database(
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        write_lock=WriterLock(_sqlite_lock_path(url)),
    )


def _sqlite_lock_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(f"{parsed.database}.writer-lock")


def _create_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, echo=echo, connect_args={"check_same_thread": False, "timeout": 15}, pool_size=20
    )
    _use_sqlite_pragmas_and_explicit_begin(engine)
    return engine


def _use_sqlite_pragmas_and_explicit_begin(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()
        # Used by the message-search triggers (store/search_terms.py).
        dbapi_connection.create_function("kefu_terms", 1, message_terms, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        # Through SQLAlchemy, so "database is locked" arrives as its OperationalError (→ 503).
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
