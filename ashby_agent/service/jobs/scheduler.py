"""What the API asks of a job engine, whichever runs the syncs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["SyncScheduler"]


class SyncScheduler(Protocol):
    async def request(
        self, connector_id: str, entities: Sequence[str] | None = None, *, full: bool = False
    ) -> None:
        """Sync ``connector_id`` soon; a no-op while one of its syncs waits to start (a running one is
        followed by one more, which sees every change made before this call)."""

    async def refresh(self, connector_id: str, entities: Sequence[str]) -> None:
        """Sync these entities soon, after any sync running now (a webhook said they changed)."""

    async def schedule_due(self) -> None:
        """Start (or queue) every sync whose schedule is due now."""

    async def aclose(self) -> None: ...
