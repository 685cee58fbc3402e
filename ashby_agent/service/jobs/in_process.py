"""Syncs run inside the server (the SQLite default: one command does everything).

A background task wakes every ``sync_poll_seconds`` (at once when asked), claims the connectors whose
schedule is due (the same compare-and-set the queue's periodic job uses) and runs their syncs, each
connector in at most one task at a time. Requests are coalesced: while one is waiting, asking again
merges into it, so a connector has at most one sync running and one waiting (which starts after the
running one, and so sees every change made before it was asked for). Syncs of different connectors
run side by side, a few at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ashby_agent.service.jobs.sync import sync_quietly
from ashby_agent.service.state import ServiceState
from ashby_agent.service.store import connectors
from ashby_agent.service.store.timestamps import utcnow

__all__ = ["InProcessScheduler"]

_LOG: Final = logging.getLogger("ashby_agent.service.jobs")
_PARALLEL_CONNECTORS: Final = 4


@dataclass(slots=True)
class _Pending:
    entities: set[str] | None  # None: every entity
    full: bool

    def merge(self, entities: Sequence[str] | None, full: bool) -> None:
        self.entities = None if entities is None or self.entities is None else self.entities | set(entities)
        self.full = self.full or full


class InProcessScheduler:
    """A :class:`~ashby_agent.service.jobs.scheduler.SyncScheduler` running syncs in this process."""

    def __init__(self, state: ServiceState) -> None:
        self._state = state
        self._pending: dict[str, _Pending] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(_PARALLEL_CONNECTORS)
        self._loop: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._loop = asyncio.create_task(self._run(), name="ashby-agent-syncs")

    async def request(
        self, connector_id: str, entities: Sequence[str] | None = None, *, full: bool = False
    ) -> None:
        self._queue(connector_id, entities, full)

    async def refresh(self, connector_id: str, entities: Sequence[str]) -> None:
        self._queue(connector_id, entities, False)

    async def schedule_due(self) -> None:
        self._wake.set()

    def _queue(self, connector_id: str, entities: Sequence[str] | None, full: bool) -> None:
        pending = self._pending.get(connector_id)
        if pending is None:
            self._pending[connector_id] = _Pending(None if entities is None else set(entities), full)
        else:
            pending.merge(entities, full)
        self._wake.set()

    async def _run(self) -> None:
        poll = self._state.settings.sync_poll_seconds
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), poll)
            self._wake.clear()
            try:
                due = await self._state.run(
                    lambda c: connectors.claim_due(c, utcnow(), self._state.settings.refresh_minutes)
                )
            except Exception as exc:  # a database hiccup must not end the runner
                _LOG.warning("could not read due syncs: %s", type(exc).__name__)
                due = []
            for connector_id in due:
                self._queue(connector_id, None, False)
            self._wake.clear()
            for connector_id in [c for c in self._pending if c not in self._running]:
                pending = self._pending.pop(connector_id)
                task = asyncio.create_task(self._sync(connector_id, pending), name=f"sync-{connector_id}")
                self._running[connector_id] = task

    async def _sync(self, connector_id: str, pending: _Pending) -> None:
        try:
            async with self._slots:
                entities = sorted(pending.entities) if pending.entities is not None else None
                await sync_quietly(self._state, connector_id, entities, full=pending.full)
        finally:
            del self._running[connector_id]
            if connector_id in self._pending:
                self._wake.set()

    async def aclose(self) -> None:
        tasks = [task for task in (self._loop, *self._running.values()) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
