"""Journal batches on PostgreSQL as one statement on psycopg's async connection, on the loop's thread.

Through SQLAlchemy on a worker thread a batch of one audit row and one rate-limit count took two hops
between threads and four round trips (the counter's upsert, the insert, and the transaction's begin and
commit), ~1.9–2.5 ms per sequential execute here; the commit's WAL flush is ~0.26 ms of it. Here the
whole batch is one autocommit statement (a few rows as ``VALUES``, more as one array per column
``unnest`` into the tables), so an execute waits for one round trip and one flush, ~0.5 ms. The
statement either commits whole or not at all: a batch that fails is written row by row by the
journal's SQLAlchemy path, as before.

The counters keep :func:`~ashby_agent.service.store.ratelimit.add`'s meaning: each ``(key, window)``
adds its events and reads back the window's total, and a key's windows older than its first in the
batch are deleted (the SQLAlchemy path deletes them on a window's first count; either way a key keeps
one or two rows). Windows are upserted in key order, the lock order of the other path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Column, Dialect, Engine

from ashby_agent.database import driver_connect_args
from ashby_agent.service.store import audit
from ashby_agent.service.store.schema import audit_log, rate_limits

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresDirect"]

_Window = tuple[str, int]
_COLUMNS: Final = tuple(column for column in audit_log.c if not column.primary_key)
#: A batch of up to this many audit rows (or counter windows) is sent as rows of values, a larger one as
#: an array per column: PostgreSQL's unpacking of the twelve audit arrays costs ~0.25 ms, which the
#: batch of one of a sequential caller should not pay, and a statement per row count stays few.
_AS_VALUES: Final = 4
#: A counter window's values: its key and start, and the events to add (to the ``count`` column).
_WINDOW_NAMES: Final = ("client_id", "window_start", "events")


def _base_type(column: Column[Any], dialect: Dialect) -> str:
    """``column``'s type without its length (``VARCHAR(36)`` → ``VARCHAR``): the insert's assignment to
    the column still refuses an over-long value, where a cast to the length would cut it."""
    return re.sub(r"\(\d+\)", "", str(column.type.compile(dialect=dialect)))


def _rows(prefix: str, columns: Sequence[tuple[str, str]], count: int) -> str:
    """``count`` rows of ``columns`` (name, type) from the parameters :func:`_row_params` names."""
    if count <= _AS_VALUES:
        cells = (", ".join(f"%({prefix}{name}_{i})s::{kind}" for name, kind in columns) for i in range(count))
        return "VALUES " + ", ".join(f"({row})" for row in cells)
    arrays = ", ".join(f"%({prefix}{name})s::{kind}[]" for name, kind in columns)
    return f"SELECT * FROM unnest({arrays})"


def _row_params(prefix: str, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, Any]:
    if len(rows) <= _AS_VALUES:
        return {
            f"{prefix}{name}_{i}": value
            for i, row in enumerate(rows)
            for name, value in zip(names, row, strict=True)
        }
    return {f"{prefix}{name}": [row[j] for row in rows] for j, name in enumerate(names)}


class _Statements:
    """The statement for each shape of batch (its audit rows and windows, counted up to
    :data:`_AS_VALUES` and beyond), built on first use, with the columns' types from the schema."""

    def __init__(self, dialect: Dialect) -> None:
        self._audit = tuple((column.name, _base_type(column, dialect)) for column in _COLUMNS)
        counter = rate_limits.c
        sources = (counter.client_id, counter.window_start, counter.count)
        self._windows = tuple(
            (name, _base_type(column, dialect)) for name, column in zip(_WINDOW_NAMES, sources, strict=True)
        )
        self._built: dict[tuple[int, int], str] = {}

    def get(self, entries: int, windows: int) -> str:
        shape = (min(entries, _AS_VALUES + 1), min(windows, _AS_VALUES + 1))
        statement = self._built.get(shape)
        if statement is None:
            statement = self._built[shape] = self._build(*shape)
        return statement

    def _build(self, entries: int, windows: int) -> str:
        names = ", ".join(name for name, _ in self._audit)
        logged = f"INSERT INTO {audit_log.name} ({names}) {_rows('a_', self._audit, entries)}"
        if not windows:
            return logged
        counters = rate_limits.name
        parts = [
            f"windows(client_id, window_start, events) AS ({_rows('w_', self._windows, windows)})",
            f"hit AS (INSERT INTO {counters} (client_id, window_start, count) "
            "SELECT client_id, window_start, events FROM windows ORDER BY client_id, window_start "
            f"ON CONFLICT (client_id, window_start) DO UPDATE SET count = {counters}.count + excluded.count "
            "RETURNING client_id, window_start, count)",
            f"pruned AS (DELETE FROM {counters} AS old USING (SELECT client_id, min(window_start) AS first "
            "FROM windows GROUP BY client_id) AS batch "
            "WHERE old.client_id = batch.client_id AND old.window_start < batch.first)",
        ]
        if entries:
            parts.append(f"logged AS ({logged})")
        return "WITH " + ", ".join(parts) + " SELECT client_id, window_start, count FROM hit"


def _params(entries: Sequence[audit.AuditRecord], counts: Mapping[_Window, int]) -> dict[str, Any]:
    windows = sorted(counts)
    names = [column.name for column in _COLUMNS]
    rows = [audit.row_values(entry) for entry in entries]
    return {
        **_row_params("w_", _WINDOW_NAMES, [(*window, counts[window]) for window in windows]),
        **_row_params("a_", names, [[row[name] for name in names] for row in rows]),
    }


class PostgresDirect:
    """Batches on one psycopg async connection of its own (batches run one at a time), made on the
    first batch and again after it broke."""

    def __init__(self, engine: Engine) -> None:
        self._connect_args = driver_connect_args(engine)
        self._statements = _Statements(engine.dialect)
        self._connection: psycopg.AsyncConnection[Any] | None = None

    async def write(
        self, entries: Sequence[audit.AuditRecord], counts: Mapping[_Window, int]
    ) -> dict[_Window, int]:
        """The batch committed, with the counters' window totals (every batch is taken, never ``None``);
        raises what the statement raised (nothing of the batch was written then)."""
        if not entries and not counts:
            return {}
        import psycopg

        connection = self._connection
        if connection is None or connection.closed:
            connection = self._connection = await psycopg.AsyncConnection.connect(
                autocommit=True, **self._connect_args
            )
        statement = self._statements.get(len(entries), len(counts))
        try:
            cursor = await connection.execute(statement, _params(entries, counts))
            if not counts:
                return {}
            return {(key, int(start)): int(total) for key, start, total in await cursor.fetchall()}
        except Exception:
            if connection.broken:
                await self.close()
            raise
        except BaseException:  # cancelled mid-statement: the connection's state is unknown
            await self.close()
            raise

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()
