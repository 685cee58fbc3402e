"""What the hot path needs to know about a caller and a connector, kept in-process for a bounded time.

A client's standing (exists, not revoked, still in the organization) and a connector's row (its
encrypted credentials and their version, workspace status, access level and redaction policy) are read
from the database at most once per :data:`STALENESS_SECONDS` per process, instead of on every request.

- A change made through this process (connector updated or deleted, workspace changed or deleted)
  calls :meth:`Standing.forget`, so the next request reads the database again.
- A change made by another process (another ``serve``, ``ashby-agent admin`` revoking a client or
  changing a connector's policy) is seen by every request that starts more than
  :data:`STALENESS_SECONDS` after it committed: an entry is never used once it is older than that.

A missing connector is not remembered (one created elsewhere is usable at once), and a connector whose
key Ashby rejected is read again on its next request (the key may have been replaced elsewhere).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final, TypeVar

from sqlalchemy import Row

__all__ = ["STALENESS_SECONDS", "Standing"]

K = TypeVar("K")
V = TypeVar("V")

#: How long a read of a client's standing or a connector's row is used for.
STALENESS_SECONDS: Final = 1.0

#: Entries beyond this many are dropped oldest first (a bound on memory, not on staleness).
_MAX_ENTRIES: Final = 10_000


class Standing:
    """One process's recent reads; no I/O (the caller reads the database on a miss)."""

    def __init__(
        self, staleness: float = STALENESS_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.staleness = staleness
        self._clock = clock
        self._clients: dict[tuple[str, str], tuple[float, bool]] = {}
        self._connectors: dict[tuple[str, str | None, str], tuple[float, Row[Any]]] = {}
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

    def forget_connector(self, organization_id: str, workspace_id: str | None, connector_id: str) -> None:
        """Read this connector again next time (Ashby rejected its key: it may have been rotated)."""
        self._connectors.pop((organization_id, workspace_id, connector_id), None)

    def forget(self) -> None:
        """Drop everything: this process changed a client, connector or workspace."""
        self._forgotten_at = self._clock()
        self._clients.clear()
        self._connectors.clear()

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
