"""Journal batches on PostgreSQL as one statement on psycopg's async connection, on the loop's thread.

Through SQLAlchemy on a worker thread a batch of one audit row and one rate-limit count took two hops
between threads and four round trips (the counter's upsert, the insert, and the transaction's begin and
commit), ~1.9–2.5 ms per sequential execute here; the commit's WAL flush is ~0.26 ms of it. Here the
whole batch is one autocommit statement (its rows passed as arrays, ``unnest`` into the tables), so an
execute waits for one round trip and one flush, ~0.7 ms. The statement either commits whole or not at
all: a batch that fails is written row by row by the journal's SQLAlchemy path, as before.

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


def _array_of(column: Column[Any], dialect: Dialect) -> str:
    """``column``'s type as an array without its length (``VARCHAR(36)`` → ``VARCHAR[]``): the insert's
    assignment to the column still refuses an over-long value, where a cast would cut it."""
    return re.sub(r"\(\d+\)", "", str(column.type.compile(dialect=dialect))) + "[]"


def _statement(dialect: Dialect) -> str:
    names = ", ".join(column.name for column in _COLUMNS)
    arrays = ", ".join(f"%({column.name})s::{_array_of(column, dialect)}" for column in _COLUMNS)
    counters, log = rate_limits.name, audit_log.name
    return (
        "WITH windows AS (SELECT * FROM unnest(%(keys)s::VARCHAR[], %(starts)s::BIGINT[], "
        "%(events)s::INTEGER[]) AS given(client_id, window_start, events)), "
        f"hit AS (INSERT INTO {counters} (client_id, window_start, count) "
        "SELECT client_id, window_start, events FROM windows ORDER BY client_id, window_start "
        f"ON CONFLICT (client_id, window_start) DO UPDATE SET count = {counters}.count + excluded.count "
        "RETURNING client_id, window_start, count), "
        f"pruned AS (DELETE FROM {counters} AS old USING (SELECT client_id, min(window_start) AS first "
        "FROM windows GROUP BY client_id) AS batch "
        "WHERE old.client_id = batch.client_id AND old.window_start < batch.first), "
        f"logged AS (INSERT INTO {log} ({names}) SELECT * FROM unnest({arrays})) "
        "SELECT client_id, window_start, count FROM hit"
    )


def _params(entries: Sequence[audit.AuditRecord], counts: Mapping[_Window, int]) -> dict[str, list[Any]]:
    windows = sorted(counts)
    params: dict[str, list[Any]] = {
        "keys": [key for key, _ in windows],
        "starts": [start for _, start in windows],
        "events": [counts[window] for window in windows],
    }
    rows = [audit.row_values(entry) for entry in entries]
    for column in _COLUMNS:
        params[column.name] = [row[column.name] for row in rows]
    return params


class PostgresDirect:
    """Batches on one psycopg async connection of its own (batches run one at a time), made on the
    first batch and again after it broke."""

    def __init__(self, engine: Engine) -> None:
        self._connect_args = driver_connect_args(engine)
        self._statement = _statement(engine.dialect)
        self._connection: psycopg.AsyncConnection[Any] | None = None

    async def write(
        self, entries: Sequence[audit.AuditRecord], counts: Mapping[_Window, int]
    ) -> dict[_Window, int] | None:
        """The batch committed, with the counters' window totals; raises what the statement raised
        (nothing of the batch was written then)."""
        import psycopg

        connection = self._connection
        if connection is None or connection.closed:
            connection = self._connection = await psycopg.AsyncConnection.connect(
                autocommit=True, **self._connect_args
            )
        try:
            cursor = await connection.execute(self._statement, _params(entries, counts))
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
