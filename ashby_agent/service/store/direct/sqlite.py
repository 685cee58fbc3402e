"""Journal batches on a SQLite file written through sqlite3 itself, on the event loop's thread.

The statements are compiled by SQLAlchemy once, from the very constructs the journal's other path
runs (:func:`~ashby_agent.service.store.audit.record_many`, :func:`~ashby_agent.service.store.ratelimit.add`),
with the audit columns' bind processors, so both paths write the same rows.

:class:`SQLiteDirect` writes on the event loop's thread (the hops to a worker thread and back cost more
than the write), through a sqlite3 connection of its own that never waits for the write lock (busy:
the caller's worker-thread path waits instead) and never checkpoints the WAL (a checkpoint copies
megabytes and syncs the disk; one batch in :data:`CHECKPOINT_EVERY` is left to the worker-thread path,
whose connections do).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, cast

from sqlalchemy import Compiled, Connection, Dialect, Engine, insert
from sqlalchemy.sql.compiler import SQLCompiler

from ashby_agent.service.store import audit, ratelimit
from ashby_agent.service.store.schema import audit_log

__all__ = ["CHECKPOINT_EVERY", "SQLiteDirect"]

#: On SQLite, one batch in this many is left to the worker-thread path, whose connections checkpoint.
CHECKPOINT_EVERY: Final = 256

_Window = tuple[str, int]

# Stand-ins for a counter's key, window start and events, told apart by value in the compiled params.
_KEY: Final = "\x00key"
_START: Final = -101
_EVENTS: Final = -202
_STAND_INS: Final[dict[object, str]] = {_KEY: "key", _START: "start", _EVENTS: "events"}


class _Statement:
    """One statement compiled for sqlite3 (``?`` placeholders), and which given value each placeholder
    takes: the stand-in it was compiled with, else the value named like it (an insert's columns)."""

    __slots__ = ("_sources", "sql")

    def __init__(self, compiled: Compiled) -> None:
        compiled = cast(SQLCompiler, compiled)
        self.sql = str(compiled)
        params = compiled.params
        self._sources = tuple(_STAND_INS.get(params.get(name), name) for name in compiled.positiontup or ())

    def params(self, given: Mapping[str, Any]) -> list[Any]:
        return [given[source] for source in self._sources]


class _Statements:
    """The journal's statements, compiled for SQLite."""

    def __init__(self, dialect: Dialect) -> None:
        columns = [column.name for column in audit_log.c if not column.primary_key]
        compiled = insert(audit_log).compile(dialect=dialect, column_keys=columns, for_executemany=True)
        self.insert = _Statement(compiled)
        processors = {
            name: audit_log.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
        }
        self._processors: dict[str, Callable[[Any], Any]] = {
            name: process for name, process in processors.items() if process is not None
        }
        # The counters' columns are text and integers, which sqlite3 takes as they are.
        hit = ratelimit.build_hit(dialect.name, _KEY, _START, _EVENTS)
        self.hit = _Statement(hit.compile(dialect=dialect))
        self.prune = _Statement(ratelimit.build_prune(_KEY, _START).compile(dialect=dialect))

    def rows(self, entries: Sequence[audit.AuditRecord]) -> list[Any]:
        rows = []
        for entry in entries:
            values = audit.row_values(entry)
            for name, process in self._processors.items():
                values[name] = process(values[name])
            rows.append(self.insert.params(values))
        return rows

    @staticmethod
    def given(window: _Window, events: int) -> dict[str, Any]:
        return {"key": window[0], "start": window[1], "events": events}


class SQLiteDirect:
    """Batches on the loop's thread, by a connection of its own, when SQLite's write lock is free."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._statements = _Statements(engine.dialect)
        self._own: Connection | None = None
        self._driver: sqlite3.Connection | None = None  # (its sqlite3 connection)
        self._batches = 0

    def _connection(self) -> sqlite3.Connection:
        if self._driver is None:
            self._own = own = self._engine.connect()
            self._driver = cast(sqlite3.Connection, own.connection.driver_connection)
            own.detach()  # the settings below must never reach the pool's other users
            self._driver.execute("PRAGMA busy_timeout = 0")
            self._driver.execute("PRAGMA wal_autocheckpoint = 0")
        return self._driver

    async def write(
        self, entries: Sequence[audit.AuditRecord], counts: Mapping[_Window, int]
    ) -> dict[_Window, int] | None:
        """The batch committed, with the counters' window totals; ``None`` when the write lock is held
        elsewhere or a checkpoint is due (nothing was written)."""
        self._batches += 1
        if self._batches % CHECKPOINT_EVERY == 0:
            return None
        connection = self._connection()
        try:
            connection.execute("BEGIN IMMEDIATE")  # fails at once while another writer holds the lock
        except sqlite3.OperationalError:
            return None
        statements = self._statements
        try:
            totals: dict[_Window, int] = {}
            for window in sorted(counts):  # one lock order for every process, as the other path
                given = statements.given(window, counts[window])
                row = connection.execute(statements.hit.sql, statements.hit.params(given)).fetchone()
                totals[window] = total = int(row[0])
                if total == counts[window]:  # a window's first count deletes older ones (ratelimit.add)
                    connection.execute(statements.prune.sql, statements.prune.params(given))
            if entries:
                connection.executemany(statements.insert.sql, statements.rows(entries))
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        return totals

    async def close(self) -> None:
        own, self._own, self._driver = self._own, None, None
        if own is not None:
            own.close()
