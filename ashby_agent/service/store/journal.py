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

A batch is first written by the database's own driver on the loop's thread
(:mod:`~ashby_agent.service.store.direct`): sqlite3 when a SQLite file's write lock is free at once,
one statement on psycopg's async connection for PostgreSQL. Any other batch (an in-memory SQLite, a
lock held elsewhere) goes through SQLAlchemy on a worker thread, which waits for the lock as needed;
a batch that failed is written there row by row.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Final

import anyio.to_thread
from sqlalchemy import Connection, Engine

from ashby_agent.service.store import audit, ratelimit
from ashby_agent.service.store.direct import direct_writer

__all__ = ["COUNT_DELAY_SECONDS", "CountedCallback", "Journal"]

#: How long counts wait for an audit row to share a transaction with.
COUNT_DELAY_SECONDS: Final = 0.25

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
        self._direct = direct_writer(engine)
        self._held: Connection | None = None

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
            direct = self._direct
            written = None if direct is None else await direct.write(entries, counts)
            if written is None:
                written = await anyio.to_thread.run_sync(self._write_held, entries, counts)
            totals: dict[_Window, int | None] = dict(written)
            failures: list[BaseException | None] = [None] * len(entries)
        except Exception:
            totals, failures = await anyio.to_thread.run_sync(self._write_each, entries, counts)
        self._on_counted({window: (events, totals.get(window)) for window, events in counts.items()})
        return failures

    def _write(self, entries: Sequence[audit.AuditRecord], counts: Counter[_Window]) -> dict[_Window, int]:
        with self._engine.begin() as connection:
            return self._write_on(connection, entries, counts)

    def _write_held(
        self, entries: Sequence[audit.AuditRecord], counts: Counter[_Window]
    ) -> dict[_Window, int]:
        """A batch on the connection the journal keeps between batches (batches run one at a time): no
        pool checkout, liveness ping and reset per batch. A connection that failed is dropped; the
        caller then writes the batch row by row on fresh ones."""
        connection = self._held
        if connection is None:
            connection = self._held = self._engine.connect()
        try:
            with connection.begin():
                return self._write_on(connection, entries, counts)
        except BaseException:
            self._held = None
            connection.invalidate()
            connection.close()
            raise

    @staticmethod
    def _write_on(
        connection: Connection, entries: Sequence[audit.AuditRecord], counts: Counter[_Window]
    ) -> dict[_Window, int]:
        totals = {}
        for window in sorted(counts):  # one order, so concurrent batches of processes lock rows alike
            totals[window] = ratelimit.add(connection, window[0], window[1], counts[window])
        audit.record_many(connection, entries)
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
        if self._direct is not None:
            await self._direct.close()
        held, self._held = self._held, None
        if held is not None:
            await anyio.to_thread.run_sync(held.close)
