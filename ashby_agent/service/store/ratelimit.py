"""Per-client rate limit: a fixed window counted in the database, so every process shares it.

One upsert per request increments ``(client_id, window_start)`` and returns the new count; the SQL is
built by :func:`build_hit` (tested as strings) and run by :func:`hit`. Old windows of the same client are
deleted in the same transaction, so the table stays one or two rows per active client.
"""

from __future__ import annotations

import math

from sqlalchemy import Connection, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Delete, ReturningInsert

from ashby_agent.service.store.schema import rate_limits

__all__ = ["build_hit", "build_prune", "hit"]


def build_hit(dialect: str, client_id: str, window_start: int) -> ReturningInsert[int]:
    """``INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count``."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(rate_limits).values(client_id=client_id, window_start=window_start, count=1)
    return statement.on_conflict_do_update(
        index_elements=[rate_limits.c.client_id, rate_limits.c.window_start],
        set_={"count": rate_limits.c.count + 1},
    ).returning(rate_limits.c.count)


def build_prune(client_id: str, window_start: int) -> Delete:
    return delete(rate_limits).where(
        rate_limits.c.client_id == client_id, rate_limits.c.window_start < window_start
    )


def hit(connection: Connection, client_id: str, now: float, limit: int, window: int) -> int | None:
    """Count one request; ``None`` when allowed, else the whole seconds until the window resets."""
    if limit <= 0:
        return None
    window_start = int(now // window) * window
    count = connection.execute(build_hit(connection.dialect.name, client_id, window_start)).scalar_one()
    if count == 1:
        connection.execute(build_prune(client_id, window_start))
    if count <= limit:
        return None
    return max(1, math.ceil(window_start + window - now))
