"""The context store: a database of replicated Ashby records that agents can query without paging the
live API. One store holds any number of connectors (tenants); every row is keyed by its connector.

SQLite (the embedded default, a file) and PostgreSQL (the scale-out backend) hold the same schema,
migrated with Alembic on open (its own version table, so the store may share the hosted service's
database). Database work runs on the store's own worker thread (one for SQLite, which takes one writer
at a time; a few for PostgreSQL), one short transaction per page.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, TypeVar

from sqlalchemy import Connection, Engine

from ashby_agent.connectors.ashby.store_actions import STORE_ENV
from ashby_agent.database import create_database_engine, migrate, normalize_url, prepare_threshold
from ashby_agent.errors import EntityNotSyncedError
from ashby_agent.store import checkpoints, facets, rows
from ashby_agent.store.plan import STREAMS, check_stored, select_streams
from ashby_agent.store.query import indexes, text
from ashby_agent.store.query.search import parse_search, run_search
from ashby_agent.store.replicator import Progress, Replicator, SyncReport

if TYPE_CHECKING:
    from ashby_agent.transports.base import Transport

__all__ = ["DEFAULT_STORE_URL", "STORE_ENV", "ContextStore", "local_connector_id"]

DEFAULT_STORE_URL: Final = "sqlite:///ashby-agent-store.db"
_VERSION_TABLE: Final = "store_alembic_version"
T = TypeVar("T")


def local_connector_id(api_key: str) -> str:
    """The tenant id of a local-mode store: derived from the key (never the key), so two keys'
    records never mix in one store file."""
    return "local-" + hashlib.sha256(api_key.encode()).hexdigest()[:24]


#: A run that stored this many records refreshes the planner's statistics: without them SQLite walks
#: the primary key for ``ORDER BY id`` instead of using an expression index that finds one row.
_ANALYZE_AFTER: Final = 100

#: ... if they are at least this share of the connector's store: statistics of a store that changed by
#: less barely move (PostgreSQL's autovacuum waits for 10% too), and ANALYZE samples every table
#: (on PostgreSQL a third of a small incremental sync's time).
_ANALYZE_SHARE: Final = 0.1


#: A run that stored this many records reads every index entry for its statistics (seconds at 400k
#: records): a sample of each index's first entries misjudges the partial indexes of a large store.
_FULL_ANALYZE_AFTER: Final = 10_000


#: The tables whose planner statistics a large enough run refreshes.
_ANALYZED: Final = ("store_records", "store_words", "store_facets")


def _analyze(connection: Connection, records: int = _FULL_ANALYZE_AFTER) -> None:
    if connection.dialect.name == "sqlite":
        limit = 0 if records >= _FULL_ANALYZE_AFTER else 1000  # a sample: milliseconds, not seconds
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {limit}")
    for table in _ANALYZED:
        connection.exec_driver_sql(f"ANALYZE {table}")


def _stored(connection: Connection, connector_id: str) -> int:
    """How many records the store holds for ``connector_id`` (the passes' own counts)."""
    return sum(state.record_count for state in checkpoints.load_all(connection, connector_id).values())


def _wire_time(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def store_configured(url: str | None = None) -> bool:
    """Whether a store was named (``url`` or ``ASHBY_AGENT_STORE``) or the default file exists: querying
    must not create an empty store where none was meant."""
    if url or os.environ.get(STORE_ENV):
        return True
    return os.path.exists(DEFAULT_STORE_URL.removeprefix("sqlite:///"))


def store_url(url: str | None = None) -> str:
    """``url``, else ``ASHBY_AGENT_STORE``, else a file in the working directory, checked by the same
    rules as the service's database (:func:`ashby_agent.database.normalize_url`)."""
    return normalize_url(
        url or os.environ.get(STORE_ENV) or DEFAULT_STORE_URL, where=f"--store or {STORE_ENV}"
    )


class ContextStore:
    """Replicated records of one or more connectors, with their sync state."""

    #: How to sync an entity, as an ``entity_not_synced`` error says it (``{entity}`` and
    #: ``{connector_id}`` are filled in); the hosted service sets its own.
    sync_hint: str = "run `ashby-agent sync --entities {entity}` or `await connector.replicate(['{entity}'])`"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite takes one writer at a time: queueing writes on one thread here is cheaper than letting
        # several threads wait in SQLite's busy handler (which sleeps in steps of milliseconds).
        #: Transactions that write at once (on PostgreSQL, a first pass's build runs in that many parts).
        self.writers = 1 if engine.dialect.name == "sqlite" else 4
        self._executor = ThreadPoolExecutor(max_workers=self.writers, thread_name_prefix="ashby-store")
        # Queries read a snapshot (SQLite's WAL lets readers run beside the writer): their own threads,
        # so a search never waits behind a sync's pages.
        self._readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ashby-store-read")
        self._stream_locks: dict[tuple[int, str, str], asyncio.Lock] = {}
        #: Passes ended in this process per (connector, entity): a run that read every stream's state
        #: before another pass of a stream ended reads that stream's state again.
        self.passes_ended: collections.Counter[tuple[str, str]] = collections.Counter()
        self.transaction(indexes.create_indexes)
        self.transaction(facets.reconcile)

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

    def stream_lock(self, connector_id: str, entity: str) -> asyncio.Lock:
        """Held while a pass of ``entity`` runs for ``connector_id`` in this process (per event loop:
        a lock belongs to the loop it is first used in)."""
        key = (id(asyncio.get_running_loop()), connector_id, entity)
        lock = self._stream_locks.get(key)
        if lock is None:
            lock = self._stream_locks[key] = asyncio.Lock()
        return lock

    def read(self, work: Callable[[Connection], T], *, snapshot: bool = True) -> T:
        """``work(connection)`` in a read-only transaction (deferred on SQLite: it takes no write lock),
        with the query language's SQL functions available. ``snapshot=False`` lets PostgreSQL run each
        statement on its own (no ``BEGIN``/``COMMIT`` round trips) for work whose statements need not
        agree: a query reads its entity's ``as_of`` before the records, which are then at least as new.
        Its statements (all ``SELECT``) are prepared on first use, not psycopg's fifth: a query shape is
        then planned once per pooled connection rather than five times on each."""
        options: dict[str, Any] = {"ashby_read_only": True}
        if not snapshot and self.engine.dialect.name == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        with self.engine.connect().execution_options(**options) as connection:
            driver = connection.connection.driver_connection
            if isinstance(driver, sqlite3.Connection):
                text.register(driver)
            elif not snapshot:
                with prepare_threshold(connection, 0):
                    return work(connection)
            with connection.begin():
                return work(connection)

    async def run_read(self, work: Callable[[Connection], T], *, snapshot: bool = True) -> T:
        read = self.read if snapshot else functools.partial(self.read, snapshot=False)
        return await asyncio.get_running_loop().run_in_executor(self._readers, read, work)

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
        report = await replicator.run(entities, full=full)
        analyze = report.records >= _ANALYZE_AFTER and report.records >= _ANALYZE_SHARE * await self.run(
            functools.partial(_stored, connector_id=connector_id)
        )
        if self.engine.dialect.name != "postgresql":
            if analyze:
                await self.run(functools.partial(_analyze, records=report.records))
            return report
        # PostgreSQL analyzes each table in a statement of its own, all at once (ANALYZE store_records,
        # with its per-field statistics, takes seconds). It answers a scan of ``store_facets`` from its
        # index alone only on the pages VACUUM has marked all-visible: after many new rows, they are
        # marked now rather than when autovacuum comes by, and that VACUUM analyzes the table too.
        statements = {table: f"ANALYZE {table}" for table in _ANALYZED} if analyze else {}
        if report.records >= _FULL_ANALYZE_AFTER:
            statements["store_facets"] = "VACUUM (ANALYZE) store_facets"
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(self._executor, self._autocommit, sql) for sql in statements.values())
        )
        return report

    def _autocommit(self, statement: str) -> None:
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(statement)

    def analyze(self) -> None:
        """Refresh the planner's statistics (a replication run that stored enough records does it)."""
        self.transaction(_analyze)

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

    # ------------------------------------------------------------------ queries

    def as_of(self, connection: Connection, connector_id: str, entity: str) -> datetime:
        """When ``entity`` last finished a sync for ``connector_id``, or the error that says why it
        cannot be queried yet and what to do."""
        check_stored(entity)
        state = checkpoints.load(connection, connector_id, entity)
        if state is None or state.last_synced_at is None:
            status = state.status if state is not None else "not_synced"
            reason = f" ({state.last_error})" if state is not None and state.last_error else ""
            how = self.sync_hint.format(entity=entity, connector_id=connector_id)
            raise EntityNotSyncedError(
                f"The context store has not synced '{entity}' yet (status: {status}{reason}). To sync it, "
                f"{how}; meanwhile use the live actions 'list', 'get' or 'api_search'.",
                status=status,
            )
        synced = state.last_synced_at
        return synced.replace(tzinfo=UTC) if synced.tzinfo is None else synced

    async def query(
        self,
        connector_id: str,
        entity: str,
        run: Callable[[Connection], dict[str, Any]],
        *,
        fresh: bool = False,
        transport: Transport | None = None,
    ) -> dict[str, Any]:
        """``run(connection)`` on a read snapshot, once ``entity`` is synced, with ``meta.as_of`` added.
        ``fresh`` first applies Ashby's live delta of that entity (an incremental pass of it)."""
        if fresh and transport is not None:
            await self.run_read(lambda c: self.as_of(c, connector_id, entity))
            await self.replicate(transport, connector_id, entities=[entity])

        def work(connection: Connection) -> dict[str, Any]:
            as_of = self.as_of(connection, connector_id, entity)
            answer = run(connection)
            answer["meta"]["as_of"] = _wire_time(as_of)
            return answer

        return await self.run_read(work, snapshot=False)

    async def search(
        self, connector_id: str, entity: str, params: Any, *, transport: Transport | None = None
    ) -> dict[str, Any]:
        """``context_store_search`` (see :mod:`ashby_agent.store.query.search`)."""
        check_stored(entity)
        search = parse_search(entity, params)
        return await self.query(
            connector_id,
            entity,
            lambda c: run_search(c, connector_id, search),
            fresh=search.fresh,
            transport=transport,
        )

    async def aggregate(
        self, connector_id: str, entity: str, params: Any, *, transport: Transport | None = None
    ) -> dict[str, Any]:
        """``context_store_aggregate`` (see :mod:`ashby_agent.store.query.aggregate`)."""
        from ashby_agent.store.query.aggregate import parse_aggregate, run_aggregate

        check_stored(entity)
        aggregate = parse_aggregate(entity, params)
        return await self.query(
            connector_id,
            entity,
            lambda c: run_aggregate(c, connector_id, aggregate),
            fresh=aggregate.fresh,
            transport=transport,
        )

    async def sql(self, connector_id: str, params: Any) -> dict[str, Any]:
        """``context_store_sql_query`` (see :mod:`ashby_agent.store.query.sql`)."""
        from ashby_agent.store.query.sql import parse_sql, run_sql

        query = parse_sql(params)

        def work(connection: Connection) -> dict[str, Any]:
            # Every view the query reads must be synced: an empty view would read as "none".
            as_of = {name: _wire_time(self.as_of(connection, connector_id, name)) for name in query.entities}
            answer = run_sql(connection, connector_id, query)
            answer["meta"]["as_of"] = as_of
            return answer

        return await self.run_read(work)

    def drop_connector(self, connector_id: str) -> None:
        """Delete all of one connector's store data."""
        self.transaction(lambda c: rows.drop_connector(c, connector_id))

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        self.engine.dispose()
