"""The context store: a database of replicated Ashby records that agents can query without paging the
live API. One store holds any number of connectors (tenants); every row is keyed by its connector.

SQLite (the embedded default, a file) and PostgreSQL (the scale-out backend) hold the same schema,
migrated with Alembic on open (its own version table, so the store may share the hosted service's
database). Database work runs on the store's own worker thread (one for SQLite, which takes one writer
at a time; a few for PostgreSQL), one short transaction per page.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, TypeVar

from sqlalchemy import Connection, Engine

from ashby_agent.database import create_database_engine, migrate, normalize_url
from ashby_agent.store import checkpoints, rows
from ashby_agent.store.plan import STREAMS, select_streams
from ashby_agent.store.replicator import Progress, Replicator, SyncReport

if TYPE_CHECKING:
    from ashby_agent.transports.base import Transport

__all__ = ["DEFAULT_STORE_URL", "STORE_ENV", "ContextStore", "local_connector_id"]

STORE_ENV: Final = "ASHBY_AGENT_STORE"
DEFAULT_STORE_URL: Final = "sqlite:///ashby-agent-store.db"
_VERSION_TABLE: Final = "store_alembic_version"
T = TypeVar("T")


def local_connector_id(api_key: str) -> str:
    """The tenant id of a local-mode store: derived from the key (never the key), so two keys'
    records never mix in one store file."""
    return "local-" + hashlib.sha256(api_key.encode()).hexdigest()[:24]


def store_url(url: str | None = None) -> str:
    """``url``, else ``ASHBY_AGENT_STORE``, else a file in the working directory, checked by the same
    rules as the service's database (:func:`ashby_agent.database.normalize_url`)."""
    return normalize_url(
        url or os.environ.get(STORE_ENV) or DEFAULT_STORE_URL, where=f"--store or {STORE_ENV}"
    )


class ContextStore:
    """Replicated records of one or more connectors, with their sync state."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite takes one writer at a time: queueing writes on one thread here is cheaper than letting
        # several threads wait in SQLite's busy handler (which sleeps in steps of milliseconds).
        workers = 1 if engine.dialect.name == "sqlite" else 4
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ashby-store")

    @classmethod
    def open(cls, url: str | None = None) -> ContextStore:
        """Open (creating and migrating) the store at ``url`` (see :func:`store_url`)."""
        engine = create_database_engine(store_url(url))
        migrate(engine, "ashby_agent.store", version_table=_VERSION_TABLE)
        return cls(engine)

    @classmethod
    def on_engine(cls, engine: Engine) -> ContextStore:
        """The store inside an existing database (the hosted service's), migrated."""
        migrate(engine, "ashby_agent.store", version_table=_VERSION_TABLE)
        return cls(engine)

    def transaction(self, work: Callable[[Connection], T]) -> T:
        with self.engine.begin() as connection:
            return work(connection)

    async def run(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` in one transaction, on the store's worker thread(s)."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self.transaction, work)

    # ------------------------------------------------------------------ replication

    async def replicate(
        self,
        transport: Transport,
        connector_id: str,
        *,
        entities: Iterable[str] | None = None,
        full: bool = False,
        start_date: datetime | None = None,
        progress: Progress | None = None,
    ) -> SyncReport:
        """Bring the store up to date for ``connector_id`` (see :mod:`ashby_agent.store.replicator`)."""
        replicator = Replicator(self, transport, connector_id, start_date=start_date, progress=progress)
        return await replicator.run(entities, full=full)

    # ------------------------------------------------------------------ reading the state

    def readiness(self, connector_id: str, entities: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Per entity: ``{entity, status, ready_for_search, entity_count, updated_at, last_synced_at,
        last_duration_ms, error}`` (the shape of the hosted ``inspect``)."""
        states = self.transaction(lambda c: checkpoints.load_all(c, connector_id))
        names = (
            [stream.entity for stream in select_streams(entities)] if entities is not None else list(STREAMS)
        )
        report = []

        def utc(value: datetime | None) -> datetime | None:  # SQLite hands timestamps back naive
            return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

        for name in names:
            state = states.get(name)
            if state is None and entities is None and STREAMS[name].parent is not None:
                continue  # opt-in child lists are listed once they have been replicated
            report.append(
                {
                    "entity": name,
                    "status": state.status if state else "not_synced",
                    # Searchable once a pass has completed, even while the next one runs.
                    "ready_for_search": bool(state and state.last_synced_at is not None),
                    "entity_count": state.record_count if state else 0,
                    "updated_at": utc(state.updated_at) if state else None,
                    "last_synced_at": utc(state.last_synced_at) if state else None,
                    "last_duration_ms": state.last_duration_ms if state else None,
                    "error": state.last_error if state else None,
                }
            )
        return report

    def drop_connector(self, connector_id: str) -> None:
        """Delete all of one connector's store data."""
        self.transaction(lambda c: rows.drop_connector(c, connector_id))

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()
