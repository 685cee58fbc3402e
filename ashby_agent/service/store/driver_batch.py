"""A journal batch on SQLite, written through the sqlite3 connection itself.

For a batch of one audit row, SQLAlchemy's execution path (transaction events, the statement cache,
result set-up) costs several times SQLite's own work, and an execute's answer waits for it. The
statements here are compiled by SQLAlchemy once, from the very constructs the journal's other path
runs (:func:`~ashby_agent.service.store.audit.record_many`, :func:`~ashby_agent.service.store.ratelimit.add`),
with the audit columns' bind processors, so both paths write the same rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, cast

from sqlalchemy import ClauseElement, Dialect, insert
from sqlalchemy.sql.compiler import SQLCompiler

from ashby_agent.service.store import audit, ratelimit
from ashby_agent.service.store.schema import audit_log

__all__ = ["DriverBatch"]

# Stand-ins for a counter's key, window start and events, told apart by value in the compiled params.
_KEY: Final = "\x00key"
_START: Final = -101
_EVENTS: Final = -202


def _positional(statement: ClauseElement, dialect: Dialect) -> tuple[str, tuple[str, ...]]:
    """``statement``'s SQL and, per placeholder, which stand-in (``key``, ``start``, ``events``) it takes."""
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
    roles = {_KEY: "key", _START: "start", _EVENTS: "events"}
    return str(compiled), tuple(roles[compiled.params[name]] for name in compiled.positiontup or ())


class DriverBatch:
    """The journal's statements for one SQLite dialect, run on a ``sqlite3.Connection``."""

    def __init__(self, dialect: Dialect) -> None:
        names = [column.name for column in audit_log.c if not column.primary_key]
        compiled = insert(audit_log).compile(dialect=dialect, column_keys=names)
        self._insert = str(compiled)
        self._columns: list[tuple[str, Callable[[Any], Any] | None]] = [
            (name, audit_log.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in compiled.positiontup or ()
        ]
        # The counters' columns are text and integers, which sqlite3 takes as they are.
        self._hit = _positional(ratelimit.build_hit(dialect.name, _KEY, _START, _EVENTS), dialect)
        self._prune = _positional(ratelimit.build_prune(_KEY, _START), dialect)

    def _row(self, entry: audit.AuditRecord) -> tuple[Any, ...]:
        values = audit.row_values(entry)
        return tuple(
            values[name] if process is None else process(values[name]) for name, process in self._columns
        )

    def write(
        self,
        connection: sqlite3.Connection,
        entries: Sequence[audit.AuditRecord],
        counts: Mapping[tuple[str, int], int],
    ) -> dict[tuple[str, int], int]:
        """Everything in the transaction the caller began; the counters' window totals read back (the
        first count of a window deletes the key's older ones, as :func:`ratelimit.add` does)."""
        totals: dict[tuple[str, int], int] = {}
        for window in sorted(counts):  # one lock order for every process, as the other path
            events = counts[window]
            given = {"key": window[0], "start": window[1], "events": events}
            sql, roles = self._hit
            total = int(connection.execute(sql, [given[role] for role in roles]).fetchone()[0])
            if total == events:
                sql, roles = self._prune
                connection.execute(sql, [given[role] for role in roles])
            totals[window] = total
        if entries:
            connection.executemany(self._insert, [self._row(entry) for entry in entries])
        return totals
