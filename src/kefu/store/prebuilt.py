"""Intake's hot statements, run on SQLite's driver without SQLAlchemy's execution layer.

On SQLite every ticket's statements run while the one write lock is held, and
SQLAlchemy's per-statement execution work (execution context, cache lookup, result
set-up: ~30 µs) costs about three times what SQLite itself takes for these small
statements (~10 µs). `Prebuilt` compiles a Core statement once, per set of parameter
names, with SQLAlchemy's own compiler and bind processors, so the SQL and the stored
values are exactly what `connection.execute` would produce, and then runs it straight on
the DBAPI cursor; result values are converted by the columns' own result processors
(JSON, time zones), as SQLAlchemy's result would. On PostgreSQL it is plain
`connection.execute`: there the engine's event listeners must see every statement, and
there is no single writer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Table, bindparam, inspect, select, update
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ClauseElement, ColumnElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

Row = Sequence[Any]
M = TypeVar("M")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    compiled: SQLCompiler
    # (parameter name, its bind processor or None), in the SQL's positional order
    binds: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    # each result column's processor (None: the driver's value as it is); () if none has one
    results: tuple[Callable[[Any], Any] | None, ...]


class Prebuilt:
    """A Core statement, compiled once per parameter-name set, run on the driver (SQLite)."""

    def __init__(self, statement: Executable) -> None:
        assert isinstance(statement, ClauseElement)
        self.statement = statement
        self._compiled: dict[frozenset[str], _Compiled] = {}

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[Row]:
        """Every result row (for RETURNING and SELECT), as plain tuples."""
        if connection.dialect.name != "sqlite":
            result = connection.execute(self.statement, dict(params))
            return [tuple(row) for row in result] if result.returns_rows else []
        compiled = self._compiled_for(connection, params)
        values = compiled.compiled.construct_params(dict(params))
        cursor = connection.connection.cursor()
        try:
            cursor.execute(
                compiled.sql,
                tuple(
                    values[name] if process is None else process(values[name])
                    for name, process in compiled.binds
                ),
            )
            if not cursor.description:
                return []
            fetched = cursor.fetchall()
        finally:
            cursor.close()
        if not compiled.results:
            return list(fetched)
        return [
            tuple(v if p is None else p(v) for v, p in zip(row, compiled.results, strict=True))
            for row in fetched
        ]

    def run(self, connection: Connection, params: Mapping[str, Any]) -> None:
        self.rows(connection, params)

    def first(self, connection: Connection, params: Mapping[str, Any]) -> Row | None:
        found = self.rows(connection, params)
        return found[0] if found else None

    def scalar(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        row = self.first(connection, params)
        return None if row is None else row[0]

    def _compiled_for(self, connection: Connection, params: Mapping[str, Any]) -> _Compiled:
        keys = frozenset(params)
        found = self._compiled.get(keys)
        if found is None:
            found = self._compiled[keys] = self._compile(connection, sorted(keys))
        return found

    def _compile(self, connection: Connection, keys: list[str]) -> _Compiled:
        dialect = connection.dialect
        compiled = self.statement.compile(dialect=dialect, column_keys=keys)
        assert isinstance(compiled, SQLCompiler)
        # Python-side column defaults are filled in by SQLAlchemy's execution context,
        # which this path skips: such statements must be given every value.
        assert not compiled.insert_prefetch and not compiled.update_prefetch, self.statement
        results = tuple(
            entry.type.dialect_impl(dialect).result_processor(dialect, None)
            for entry in compiled._result_columns
        )
        processors = compiled._bind_processors
        binds = []
        for name in compiled.positiontup or []:
            process = processors.get(name)
            assert process is None or callable(process), name  # no tuple-valued binds
            binds.append((name, process))
        if all(process is None for process in results):
            results = ()
        return _Compiled(compiled.string, compiled, tuple(binds), results)


class PrebuiltRow(Generic[M]):
    """One mapped row read and written by prebuilt statements, for the hottest ORM rows.

    `get` selects the row's columns (by the `where` the loader was built with) and attaches
    them to the session as a persistent object: what `session.get` returns, without its
    per-call query compilation and loading (~3× faster). Code then changes the object as
    usual; `save` writes the changed columns with one UPDATE and marks them committed, so
    a later flush has nothing left to do for it. Deferred columns stay unloaded.
    """

    def __init__(self, model: type[M], *where: ColumnElement[bool]) -> None:
        self.mapper: Mapper[M] = inspect(model)
        columns = [
            prop.columns[0]
            for prop in self.mapper.column_attrs
            if not prop.deferred and len(prop.columns) == 1
        ]
        self.keys = tuple(self.mapper.get_property_by_column(c).key for c in columns)
        self.primary_key = tuple(self.keys.index(c.key) for c in self.mapper.primary_key)
        self.select = Prebuilt(select(*columns).where(*where))
        table = self.mapper.local_table
        assert isinstance(table, Table)
        self.update = Prebuilt(
            update(table).where(
                *(column == bindparam(f"pk_{column.key}") for column in self.mapper.primary_key)
            )
        )

    def get(self, session: Session, params: Mapping[str, Any]) -> M | None:
        row = self.select.first(session.connection(), params)
        if row is None:
            return None
        identity = self.mapper.identity_key_from_primary_key(
            tuple(row[i] for i in self.primary_key)
        )
        loaded = session.identity_map.get(identity)
        if loaded is not None:
            return loaded  # the session's own object, with any changes it holds
        obj = self.mapper.class_manager.new_instance()
        # As the ORM's own loading fills a new object: straight into its dict, no events;
        # make_transient_to_detached then marks them loaded and gives it its identity.
        obj.__dict__.update(zip(self.keys, row, strict=True))
        make_transient_to_detached(obj)
        session.add(obj)
        return obj

    def save(self, session: Session, obj: M) -> None:
        state = inspect(obj)
        changed = {key: state.dict[key] for key in state.committed_state if key in self.keys}
        if not changed:
            return
        keys = {f"pk_{column.key}": state.dict[column.key] for column in self.mapper.primary_key}
        self.update.run(session.connection(), {**keys, **changed})
        if set(state.committed_state) <= set(changed):
            # Every change is written: the object is clean again, as after a flush (which
            # would otherwise still visit it, only to find nothing to write).
            state._commit_all(state.dict, session.identity_map)
        else:
            for key, value in changed.items():
                set_committed_value(obj, key, value)


def as_stored(model: type[M], values: Mapping[str, Any]) -> M:
    """A transient `model` object holding the `values` a prebuilt INSERT just stored,
    without the constructor's per-attribute events (a third of the cost of inserting a
    chat message). It is not in any session: change the row with statements."""
    obj: M = inspect(model).class_manager.new_instance()
    obj.__dict__.update(values)
    return obj
