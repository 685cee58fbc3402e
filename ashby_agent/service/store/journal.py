"""Group commit of audit rows and rate-limit counts: one transaction for everything queued meanwhile.

An execute's answer waits for the transaction holding its audit row (:meth:`Journal.record`), so an
answer that was returned always has its row; requests arriving while a transaction commits share the
next one, so under load the database sees one short transaction per batch instead of one per request.
Rate-limit counts (:meth:`Journal.count`) ride in the same transactions without anyone waiting for
them (alone, they are written after at most :data:`COUNT_DELAY_SECONDS`, so a sequence of executes
makes one transaction each, not two); each batch reports the window totals it read back
(``on_counted``), which is how a process learns of the other processes' requests.

A batch that fails is retried row by row (a bad row cannot take its neighbours down); a row that still
fails raises from :meth:`Journal.record`, and the caller decides (execute logs it, keeping its answer).

On a SQLite file a batch is written on the event loop's own thread when the write lock is free at once,
by a connection of the journal's own that never waits for the lock, with statements compiled once
(:class:`~ashby_agent.service.store.driver_batch.DriverBatch`; ~0.1 ms for a batch of one): the hops to
a worker thread and back cost more than that, and an answer waits for them. A lock held elsewhere
(a sync's page commit, another process) sends the batch to a worker thread, where it waits as before.
That connection never checkpoints the WAL (a checkpoint copies megabytes and syncs the disk); every
:data:`CHECKPOINT_EVERY`-th batch goes to a worker thread, whose connections do. PostgreSQL's batches
always go to a worker thread (each statement is a network round trip).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Final, cast

import anyio.to_thread
from sqlalchemy import Connection, Engine

from ashby_agent.service.store import audit, ratelimit
from ashby_agent.service.store.driver_batch import DriverBatch

__all__ = ["CHECKPOINT_EVERY", "COUNT_DELAY_SECONDS", "CountedCallback", "Journal"]

#: How long counts wait for an audit row to share a transaction with.
COUNT_DELAY_SECONDS: Final = 0.25

#: On SQLite, one batch in this many is written on a worker thread, by a connection that checkpoints.
CHECKPOINT_EVERY: Final = 256

_LOG = logging.getLogger("ashby_agent.service")

#: ``(key, window_start)`` → ``(events added, window total read back, or None when counting failed)``.
CountedCallback = Callable[[dict[tuple[str, int], tuple[int, int | None]]], None]

_Window = tuple[str, int]


class Journal:
    """Lives inside one event loop (the app's); batches are written on a worker thread."""

    def __init__(self, engine: Engine, on_counted: CountedCallback) -> None:
        self._engine = engine
        self._on_counted = on_counted
        self._audits: list[tuple[audit.AuditRecord, asyncio.Future[None]]] = []
        self._counts: Counter[_Window] = Counter()
        self._flusher: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        on_file = engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")
        self._direct = DriverBatch(engine.dialect) if on_file else None
        self._own: Connection | None = None  # the loop thread's own SQLite connection
        self._driver: sqlite3.Connection | None = None  # (its sqlite3 connection)
        self._batches = 0

    def count(self, key: str, window_start: int) -> None:
        """Add one event to ``key``'s window in the next batch (nobody waits for it)."""
        self._counts[(key, window_start)] += 1
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(COUNT_DELAY_SECONDS, self._start)

    async def record(self, entry: audit.AuditRecord) -> None:
        """Return once ``entry`` is committed; raises what its write raised."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._audits.append((entry, done))
        self._start()
        await asyncio.shield(done)  # a cancelled caller does not cancel the row

    def _start(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        while self._audits or self._counts:
            audits, self._audits = self._audits, []
            counts, self._counts = self._counts, Counter()
            try:
                failures = await self._commit([entry for entry, _ in audits], counts)
            except BaseException as exc:  # cancelled (shutdown): nobody may wait forever
                failures = [exc] * len(audits)
                raise
            finally:
                for (_, done), failure in zip(audits, failures, strict=True):
                    if done.done():
                        continue
                    if failure is None:
                        done.set_result(None)
                    else:
                        done.set_exception(failure)

    async def _commit(
        self, entries: list[audit.AuditRecord], counts: Counter[_Window]
    ) -> list[BaseException | None]:
        """One batch: in one transaction, else row by row; what each audit row's write raised."""
        try:
            written = self._write_inline(entries, counts)
            if written is None:
                written = await anyio.to_thread.run_sync(self._write, entries, counts)
            totals: dict[_Window, int | None] = dict(written)
            failures: list[BaseException | None] = [None] * len(entries)
        except Exception:
            totals, failures = await anyio.to_thread.run_sync(self._write_each, entries, counts)
        self._on_counted({window: (events, totals.get(window)) for window, events in counts.items()})
        return failures

    def _write(self, entries: Sequence[audit.AuditRecord], counts: Counter[_Window]) -> dict[_Window, int]:
        with self._engine.begin() as connection:
            return self._write_on(connection, entries, counts)

    @staticmethod
    def _write_on(
        connection: Connection, entries: Sequence[audit.AuditRecord], counts: Counter[_Window]
    ) -> dict[_Window, int]:
        totals = {}
        for window in sorted(counts):  # one order, so concurrent batches of processes lock rows alike
            totals[window] = ratelimit.add(connection, window[0], window[1], counts[window])
        audit.record_many(connection, entries)
        return totals

    def _write_inline(
        self, entries: Sequence[audit.AuditRecord], counts: Counter[_Window]
    ) -> dict[_Window, int] | None:
        """The batch written here, on the loop's thread, if SQLite's write lock is free at once; else
        ``None`` (the lock is busy, a checkpoint is due, or this is not a SQLite file)."""
        if self._direct is None:
            return None
        self._batches += 1
        if self._batches % CHECKPOINT_EVERY == 0:
            return None
        driver = self._driver
        if driver is None:
            self._own = own = self._engine.connect()
            driver = self._driver = cast(sqlite3.Connection, own.connection.driver_connection)
            own.detach()  # the settings below must never reach the pool's other users
            driver.execute("PRAGMA busy_timeout = 0")
            driver.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            driver.execute("BEGIN IMMEDIATE")  # fails at once while another writer holds the lock
        except sqlite3.OperationalError:
            return None
        try:
            totals = self._direct.write(driver, entries, counts)
            driver.commit()
        except BaseException:
            driver.rollback()
            raise
        return totals

    def _write_each(
        self, entries: Sequence[audit.AuditRecord], counts: Counter[_Window]
    ) -> tuple[dict[_Window, int | None], list[BaseException | None]]:
        totals: dict[_Window, int | None] = {}
        try:
            totals.update(self._write((), counts))
        except Exception as exc:
            _LOG.error("rate-limit counts failed (%s) for %d windows", type(exc).__name__, len(counts))
        failures: list[BaseException | None] = []
        for entry in entries:
            try:
                self._write((entry,), Counter())
                failures.append(None)
            except Exception as exc:
                failures.append(exc)
        return totals, failures

    async def aclose(self) -> None:
        """Wait for everything queued to be written."""
        if self._counts or self._audits:
            self._start()
        while self._flusher is not None and not self._flusher.done():
            await self._flusher
        own, self._own, self._driver = self._own, None, None
        if own is not None:
            own.close()
