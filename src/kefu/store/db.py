"""Engine and sessions for SQLite (default, WAL) and PostgreSQL.

SQLite allows one writer at a time. Write transactions therefore start with
`BEGIN IMMEDIATE` under a process-wide lock: a deferred transaction that reads and
then writes can fail at once with "database is locked" instead of waiting its turn.

Async callers hand write work to `write_unit()` (a function of a Session) or
`run_write()` (a function that opens its own transaction). On SQLite, units go to the
event loop's writer lane with group commit (store/write_lane.py) and calls to one writer
thread, so writes queue in order instead of forty pool threads fighting over the lock
and the GIL (the shape of datasette's write thread). On PostgreSQL, which has many
writers, both run in the shared threadpool with one transaction per call.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kefu.store.prebuilt import Prebuilt, Row
from kefu.store.search_terms import cached_terms, index_on_commit
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
    _lanes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, WriteLane] = field(
        default_factory=weakref.WeakKeyDictionary
    )
    _writer: ThreadPoolExecutor | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def read_rows(self, statement: Prebuilt, params: Mapping[str, Any]) -> list[Row]:
        """One prebuilt statement's rows, without a session: one statement sees one
        consistent state by itself, so on SQLite it runs in autocommit mode, no BEGIN and
        ROLLBACK around it (a chat message's reads cost half as much)."""
        with self.engine.connect() as connection:
            return statement.rows(connection, params)

    @contextmanager
    def write(self, *, lock_held: bool = False) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error.
        `lock_held`: the caller already holds `write_lock` (the writer lane does)."""
        if self.is_sqlite and getattr(self._writing, "active", False):
            # The lock is not re-entrant and SQLite has one writer: a nested write would
            # wait for itself forever. Fail loudly instead.
            raise RuntimeError("nested write transaction on SQLite: pass the session down")
        lock = self.write_lock if self.is_sqlite and not lock_held else nullcontext()
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
        """`unit(session)` in a write transaction; the result arrives after the commit.
        On SQLite, units waiting together share one transaction (group commit)."""
        if not self.is_sqlite:
            return await anyio.to_thread.run_sync(self._write_alone, unit)
        loop = asyncio.get_running_loop()
        lane = self._lanes.get(loop)
        if lane is None:
            lane = self._lanes[loop] = WriteLane(self)
        result: T = await lane.submit(unit)
        return result

    async def run_write(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking write work (which opens its own transaction) off the event loop."""
        if not self.is_sqlite:
            return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kefu-writer")
        future = self._writer.submit(fn, *args, **kwargs)
        return await asyncio.wrap_future(future)

    def _write_alone(self, unit: Callable[[Session], T]) -> T:
        with self.write() as session:
            return unit(session)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
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

    def acquire(self, *, blocking: bool = True) -> bool:
        """Take the lock; with `blocking=False` only if it is free now (False: it is held)."""
        if not self._mutex.acquire(blocking=blocking):
            return False
        if self._path is not None:
            flags = fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB
            try:
                fcntl.flock(self._file(), flags)
            except BaseException as error:
                self._mutex.release()
                if isinstance(error, BlockingIOError):
                    return False
                raise
        return True

    def release(self) -> None:
        """May be called from another thread than `acquire` (the lane waits off-loop)."""
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._mutex.release()

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

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


def sqlite_file(url: str | URL) -> str | None:
    """The database file of a SQLite URL (None: another database, or one in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def _sqlite_lock_path(url: str) -> Path | None:
    path = sqlite_file(url)
    return Path(f"{path}.writer-lock") if path else None


def _create_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
        index_on_commit(engine)  # message search terms, computed in Python (search_terms.py)
        return engine
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
        dbapi_connection.create_function("kefu_terms", 1, cached_terms, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Straight to the driver: through SQLAlchemy's execution, BEGIN cost ~10x as much.
        driver = connection.connection.driver_connection
        if not connection.get_execution_options().get(WRITE_OPTION):
            driver.execute("BEGIN")  # takes no lock, so it cannot wait for one
            return
        try:
            driver.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # "database is locked": SQLAlchemy's (→ 503)
            raise OperationalError("BEGIN IMMEDIATE", None, error) from error
