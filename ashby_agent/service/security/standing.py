"""What the hot path needs to know about a caller and a connector, kept in-process for a bounded time.

A client's standing (exists, not revoked, still in the organization) and a connector's row (its
encrypted credentials and their version, workspace status, access level and redaction policy) are read
from the database about once per :data:`STALENESS_SECONDS` per process, instead of on every request.

- A change made through this process (connector updated or deleted, workspace changed or deleted)
  calls :meth:`Standing.forget`, so the next request reads the database again.
- A change made by another process (another ``serve``, ``ashby-agent admin`` revoking a client or
  changing a connector's policy) is seen by every request that starts more than
  :data:`STALENESS_SECONDS` after it committed: an entry is never used once it is older than that.

A missing connector is not remembered (one created elsewhere is usable at once), and a connector whose
key Ashby rejected is read again on its next request (the key may have been replaced elsewhere).

:meth:`Standing.client_renewing` and :meth:`Standing.connector_through` also read: an entry used in the
last quarter of its bound is read again in the background while it is still served (a busy entry is
read at most once per three quarters of the bound), and concurrent misses of a connector share one
read (begun within the bound, after the last :meth:`Standing.forget`). A client's miss is read by its
caller, with the rate-limit count in the same transaction. Without that, every request in flight when
an entry expired read the database itself (on SQLite one after the other), and they all waited: the
slowest 1-2% of requests under load, up to a second.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final, Generic, TypeVar

from sqlalchemy import Row

__all__ = ["STALENESS_SECONDS", "Standing"]

K = TypeVar("K")
V = TypeVar("V")

#: How long a read of a client's standing or a connector's row is used for.
STALENESS_SECONDS: Final = 1.0

#: Entries beyond this many are dropped oldest first (a bound on memory, not on staleness).
_MAX_ENTRIES: Final = 10_000


class _Flight(Generic[V]):
    """One read of an entry in progress, shared by every request that needs it meanwhile."""

    __slots__ = ("began", "task")

    def __init__(self, began: float, task: asyncio.Task[V]) -> None:
        self.began = began
        self.task = task


class Standing:
    """One process's recent reads. :meth:`client_renewing` and :meth:`connector_through` start reads
    (``read`` does the I/O) and belong to one event loop; the other methods do no I/O."""

    def __init__(
        self, staleness: float = STALENESS_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.staleness = staleness
        #: An entry older than this is read again in the background when used (it is still served).
        self.refresh_after = staleness * 0.75
        self._clock = clock
        self._clients: dict[tuple[str, str], tuple[float, bool]] = {}
        self._connectors: dict[tuple[str, str | None, str], tuple[float, Row[Any]]] = {}
        #: Reads in progress by key (a client's has two parts, a connector's three: they never collide).
        self._flights: dict[tuple[str | None, ...], _Flight[Any]] = {}
        #: A read that began before the last :meth:`forget` may predate the change: it is not kept.
        self._forgotten_at = float("-inf")

    def client(self, client_id: str, organization_id: str) -> bool | None:
        """Whether the client was in good standing, or ``None`` when that must be read again."""
        return self._fresh(self._clients.get((client_id, organization_id)))

    def now(self) -> float:
        """Take this before a read and pass it to ``remember_*``: staleness counts from the read."""
        return self._clock()

    def remember_client(self, client_id: str, organization_id: str, active: bool, read_at: float) -> None:
        self._put(self._clients, (client_id, organization_id), active, read_at)

    def connector(self, organization_id: str, workspace_id: str | None, connector_id: str) -> Row[Any] | None:
        """The connector's row as this scope saw it, or ``None`` when it must be read again."""
        return self._fresh(self._connectors.get((organization_id, workspace_id, connector_id)))

    def remember_connector(
        self,
        organization_id: str,
        workspace_id: str | None,
        connector_id: str,
        row: Row[Any],
        read_at: float,
    ) -> None:
        self._put(self._connectors, (organization_id, workspace_id, connector_id), row, read_at)

    def client_renewing(
        self, client_id: str, organization_id: str, read: Callable[[], Awaitable[bool]]
    ) -> bool | None:
        """:meth:`client`, starting ``read()`` in the background (once) when the entry nears its bound."""
        return self._renewing(self._clients, (client_id, organization_id), read)

    async def connector_through(
        self,
        organization_id: str,
        workspace_id: str | None,
        connector_id: str,
        read: Callable[[], Awaitable[Row[Any]]],
    ) -> Row[Any]:
        """:meth:`connector`, or ``read()`` (shared with concurrent callers) when that must be read again;
        what ``read`` raises (a missing connector) is raised to each caller and not remembered."""
        return await self._through(self._connectors, (organization_id, workspace_id, connector_id), read)

    def forget_connector(self, organization_id: str, workspace_id: str | None, connector_id: str) -> None:
        """Read this connector again next time (Ashby rejected its key: it may have been rotated)."""
        self._connectors.pop((organization_id, workspace_id, connector_id), None)

    def forget(self) -> None:
        """Drop everything: this process changed a client, connector or workspace."""
        self._forgotten_at = self._clock()
        self._clients.clear()
        self._connectors.clear()

    def _renewing(
        self, entries: dict[Any, tuple[float, V]], key: Any, read: Callable[[], Awaitable[V]]
    ) -> V | None:
        now = self._clock()
        entry = entries.get(key)
        if entry is None or now - entry[0] > self.staleness:
            return None
        if now - entry[0] > self.refresh_after:
            self._flight(entries, key, read, now)  # nobody waits for it; a failure is read again
        return entry[1]

    async def _through(
        self, entries: dict[Any, tuple[float, V]], key: Any, read: Callable[[], Awaitable[V]]
    ) -> V:
        value = self._renewing(entries, key, read)
        if value is not None:
            return value
        # Cancelling a caller (its client went away) leaves the read running for the others.
        return await asyncio.shield(self._flight(entries, key, read, self._clock()).task)

    def _flight(
        self, entries: dict[Any, tuple[float, V]], key: Any, read: Callable[[], Awaitable[V]], now: float
    ) -> _Flight[V]:
        """The read of ``key`` in progress when it began within the bound and after the last
        :meth:`forget` (so its answer is as good as an entry's), else a new one."""
        flight: _Flight[V] | None = self._flights.get(key)
        if flight is not None and flight.began > self._forgotten_at and now - flight.began <= self.staleness:
            return flight

        async def reading() -> V:
            value = await read()
            self._put(entries, key, value, now)
            return value

        task = asyncio.get_running_loop().create_task(reading())
        flight = self._flights[key] = _Flight(now, task)

        def landed(done: asyncio.Task[V]) -> None:
            if self._flights.get(key) is flight:
                del self._flights[key]
            if not done.cancelled():
                done.exception()  # retrieved: a background read's failure is not logged as lost

        task.add_done_callback(landed)
        return flight

    def _fresh(self, entry: tuple[float, V] | None) -> V | None:
        if entry is None or self._clock() - entry[0] > self.staleness:
            return None
        return entry[1]

    def _put(self, entries: dict[K, tuple[float, V]], key: K, value: V, read_at: float) -> None:
        if read_at <= self._forgotten_at:
            return
        entries.pop(key, None)
        entries[key] = (read_at, value)
        while len(entries) > _MAX_ENTRIES:
            del entries[next(iter(entries))]
