"""Fixed-window counters in the database, so every process shares them: the per-client rate limit and
the limit on failed client-secret attempts (:mod:`ashby_agent.service.security.secret_attempts`).

One upsert per event increments ``(key, window_start)`` and returns the new count; the SQL is built by
:func:`build_hit` (tested as strings) and run by :func:`hit` / :func:`increment`. Old windows of the same
key are deleted in the same transaction, so the table stays one or two rows per active key. A key is a
client id, or another counter's own key (at most 36 characters, see the schema).
"""

from __future__ import annotations

import math

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Delete, ReturningInsert

from ashby_agent.service.store.schema import rate_limits

__all__ = ["add", "build_hit", "build_prune", "current", "hit", "increment", "prune_expired", "window_of"]


def build_hit(dialect: str, client_id: str, window_start: int, events: int = 1) -> ReturningInsert[int]:
    """``INSERT ... ON CONFLICT DO UPDATE SET count = count + <events> RETURNING count``."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(rate_limits).values(client_id=client_id, window_start=window_start, count=events)
    return statement.on_conflict_do_update(
        index_elements=[rate_limits.c.client_id, rate_limits.c.window_start],
        set_={"count": rate_limits.c.count + events},
    ).returning(rate_limits.c.count)


def build_prune(client_id: str, window_start: int) -> Delete:
    return delete(rate_limits).where(
        rate_limits.c.client_id == client_id, rate_limits.c.window_start < window_start
    )


def prune_expired(connection: Connection, key_prefix: str, now: float, window: int) -> None:
    """Delete the ended windows of every key starting with ``key_prefix`` (counters of keys that come
    and go, such as made-up client ids, are never pruned one key at a time)."""
    window_start, _ = window_of(now, window)
    connection.execute(
        delete(rate_limits).where(
            rate_limits.c.client_id.startswith(key_prefix, autoescape=True),
            rate_limits.c.window_start < window_start,
        )
    )


def window_of(now: float, window: int) -> tuple[int, int]:
    """The window ``now`` falls in: its start, and the whole seconds (at least 1) until it resets."""
    window_start = int(now // window) * window
    return window_start, max(1, math.ceil(window_start + window - now))


def increment(connection: Connection, key: str, now: float, window: int) -> int:
    """Count one event under ``key`` in the current window; the window's count so far."""
    return add(connection, key, window_of(now, window)[0], 1)


def add(connection: Connection, key: str, window_start: int, events: int) -> int:
    """Count ``events`` under ``key`` in the window starting at ``window_start``; its count so far (the
    first count of a window deletes the key's older windows)."""
    statement = build_hit(connection.dialect.name, key, window_start, events)
    count = int(connection.execute(statement).scalar_one())
    if count == events:
        connection.execute(build_prune(key, window_start))
    return count


def current(connection: Connection, key: str, now: float, window: int) -> int:
    """The events counted under ``key`` in the current window (nothing is counted)."""
    window_start, _ = window_of(now, window)
    query = select(rate_limits.c.count).where(
        rate_limits.c.client_id == key, rate_limits.c.window_start == window_start
    )
    return int(connection.execute(query).scalar() or 0)


def hit(connection: Connection, client_id: str, now: float, limit: int, window: int) -> int | None:
    """Count one request; ``None`` when allowed, else the whole seconds until the window resets."""
    if limit <= 0:
        return None
    if increment(connection, client_id, now, window) <= limit:
        return None
    return window_of(now, window)[1]
