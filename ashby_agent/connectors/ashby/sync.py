"""A blocking facade over :class:`AshbyConnector` for scripts and notebooks.

It runs the same async connector on a private event loop in a daemon thread, so it also works where
an event loop is already running (Jupyter), and every call goes through the same catalog, validation,
transport and models as the async API.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from ashby_agent.pagination import ListResult

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ashby_agent.connectors.ashby.connector import AshbyConnector, EntityResource
    from ashby_agent.connectors.ashby.models import ApiKey

__all__ = ["SyncAshbyConnector", "SyncEntityResource"]

T = TypeVar("T")
ListT = TypeVar("ListT", bound="BaseModel")
GetT = TypeVar("GetT", bound="BaseModel")


class _LoopThread:
    """An event loop running forever in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="ashby-agent-sync", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()


class SyncEntityResource(Generic[ListT, GetT]):
    """Blocking twin of :class:`EntityResource`."""

    def __init__(self, runner: _LoopThread, resource: EntityResource[ListT, GetT]) -> None:
        self._runner = runner
        self._resource = resource

    def list(self, **params: Any) -> ListResult[ListT]:
        return self._runner.run(self._resource.list(**params))

    def get(self, **params: Any) -> GetT:
        return self._runner.run(self._resource.get(**params))

    def api_search(self, **params: Any) -> ListResult[ListT]:
        return self._runner.run(self._resource.api_search(**params))

    def iterate(self, **params: Any) -> Iterator[ListT]:
        """Every record, one page fetched at a time."""
        cursor: str | None = None
        params.pop("cursor", None)
        while True:
            page = self.list(**params, cursor=cursor)
            yield from page.data
            if not page.meta.has_more or not page.meta.cursor:
                return
            cursor = page.meta.cursor


class SyncAshbyConnector:
    """``connector.sync()``: the same connector, blocking. Close it with ``close()`` or ``with``."""

    def __init__(self, connector: AshbyConnector) -> None:
        self._connector = connector
        self._runner = _LoopThread()

    def execute(self, entity: str, action: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._runner.run(self._connector.execute(entity, action, params))

    def check(self) -> ApiKey:
        return self._runner.run(self._connector.check())

    def __getattr__(self, name: str) -> SyncEntityResource[Any, Any]:
        from ashby_agent.connectors.ashby.catalog import CATALOG

        if name not in CATALOG:
            raise AttributeError(name)
        resource: EntityResource[Any, Any] = getattr(self._connector, name)
        return SyncEntityResource(self._runner, resource)

    def close(self) -> None:
        self._runner.run(self._connector.aclose())
        self._runner.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
