"""The journal's batches written by the database's own driver, without SQLAlchemy's execution path.

For a batch of one audit row, SQLAlchemy's execution path on a worker thread (the thread hops,
transaction events, result set-up, and on PostgreSQL a round trip per statement) costs several times
the database's own work, and an execute's answer waits for it. Each backend has its writer here, on the
event loop's thread: sqlite3 (:mod:`.sqlite`) and psycopg's async connection (:mod:`.postgres`). Both
write the rows and counts the SQLAlchemy path writes; a batch a writer could not take (``None``) or
that failed goes to that path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from sqlalchemy import Engine

from ashby_agent.service.store import audit

__all__ = ["DirectWriter", "direct_writer"]


class DirectWriter(Protocol):
    async def write(
        self, entries: Sequence[audit.AuditRecord], counts: Mapping[tuple[str, int], int]
    ) -> dict[tuple[str, int], int] | None: ...

    async def close(self) -> None: ...


def direct_writer(engine: Engine) -> DirectWriter | None:
    """The driver-level writer for ``engine``'s database (an in-memory SQLite's one connection is the
    pool's, so its batches take the SQLAlchemy path)."""
    if engine.dialect.name == "postgresql":
        from ashby_agent.service.store.direct.postgres import PostgresDirect

        return PostgresDirect(engine)
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    from ashby_agent.service.store.direct.sqlite import SQLiteDirect

    return SQLiteDirect(engine)
