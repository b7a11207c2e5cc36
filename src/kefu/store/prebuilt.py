"""Intake's hot statements, run on SQLite's driver without SQLAlchemy's execution layer.

On SQLite every ticket's statements run while the one write lock is held, and
SQLAlchemy's per-statement execution work (execution context, cache lookup, result
set-up: ~30 µs) costs about three times what SQLite itself takes for these small
statements (~10 µs). `Prebuilt` compiles a Core statement once, per set of parameter
names, with SQLAlchemy's own compiler and bind processors, so the SQL and the stored
values are exactly what `connection.execute` would produce, and then runs it straight on
the DBAPI cursor. Only statements whose result columns need no conversion qualify
(checked when compiled). On PostgreSQL it is plain `connection.execute`: there the
engine's event listeners must see every statement, and there is no single writer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

Row = Sequence[Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    compiled: SQLCompiler
    # (parameter name, its bind processor or None), in the SQL's positional order
    binds: tuple[tuple[str, Callable[[Any], Any] | None], ...]


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
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            cursor.close()

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
        for column in getattr(self.statement, "selected_columns", ()):
            assert column.type.result_processor(dialect, None) is None, column
        for column in getattr(self.statement, "_returning", ()):
            assert column.type.result_processor(dialect, None) is None, column
        processors = compiled._bind_processors
        binds = []
        for name in compiled.positiontup or []:
            process = processors.get(name)
            assert process is None or callable(process), name  # no tuple-valued binds
            binds.append((name, process))
        return _Compiled(compiled.string, compiled, tuple(binds))
