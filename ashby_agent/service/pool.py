"""Pooled ``AshbyConnector`` instances, one per stored connector and credential version.

Executions reuse a connector (and so its validated config and keep-alive connections) instead of
building one per request. All pooled connectors share one ``httpx.AsyncClient``: the API key travels in
each request's headers, so sharing the connection pool is safe and bounds the sockets per process.
A credential change bumps the stored version, so the next execution builds a fresh connector; the old
one is closed. Entries are evicted least-recently-used beyond ``max_size``.

The shared client is :func:`~ashby_agent.transports.ashby.ashby_http_client`, on the package's HTTP/1.1
keep-alive transport, with a pool sized for every connector of the process.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from pydantic import SecretStr

from ashby_agent.connectors.ashby.connector import AshbyConnector
from ashby_agent.connectors.ashby.models import AshbyAuthConfig
from ashby_agent.retry import RetryPolicy
from ashby_agent.transports.ashby import DEFAULT_LIMITS, ashby_http_client

__all__ = ["LIMITS", "ConnectorPool"]

#: Connections to Ashby per process, all kept alive (else under load the ones above the keep-alive count
#: are closed and reopened on every request); callers beyond these wait in :meth:`ConnectorPool.slot`.
LIMITS = httpx.Limits(
    max_connections=16,
    max_keepalive_connections=16,
    keepalive_expiry=DEFAULT_LIMITS.keepalive_expiry,
)


class ConnectorPool:
    """Lives inside one event loop (the app's lifespan); not shared across processes or loops."""

    def __init__(self, base_url: str | None, max_size: int = 256, *, max_attempts: int = 4) -> None:
        self.base_url = base_url
        self.max_size = max_size
        self._retry = RetryPolicy(max_attempts=max_attempts)
        self._client: httpx.AsyncClient | None = None
        self._entries: OrderedDict[str, tuple[int, AshbyConnector]] = OrderedDict()
        self._slots: asyncio.Semaphore | None = None

    def _http_client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = ashby_http_client(limits=LIMITS)
        return self._client

    def build(self, api_key: SecretStr) -> AshbyConnector:
        """A connector on the shared HTTP client (for one-off checks; the caller closes it)."""
        return AshbyConnector(
            auth_config=AshbyAuthConfig(api_key=api_key),
            base_url=self.base_url,
            http_client=self._http_client(),
            retry=self._retry,
        )

    async def get(self, connector_id: str, version: int, api_key: Callable[[], SecretStr]) -> AshbyConnector:
        """The pooled connector for this credential version; ``api_key`` is only called on a miss."""
        entry = self._entries.get(connector_id)
        if entry is not None and entry[0] >= version:
            # Same version, or a newer one pooled by a request that read the row after a rotation: the
            # newer key is the right one, and replacing it with an older one would undo the rotation.
            self._entries.move_to_end(connector_id)
            return entry[1]
        connector = self.build(api_key())
        self._entries[connector_id] = (version, connector)
        self._entries.move_to_end(connector_id)
        while len(self._entries) > self.max_size:
            self._entries.popitem(last=False)
        # Replaced and evicted connectors are dropped, not closed: they own nothing (the HTTP client is
        # the pool's, closed in ``aclose``), and a request still running on one must be able to finish.
        return connector

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the shared client's connections: callers beyond them wait here, in a FIFO
        semaphore, before their request is built, so their wait is not counted against the HTTP
        client's pool timeout."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(LIMITS.max_connections or 1)
        async with self._slots:
            yield

    async def evict(self, *connector_ids: str) -> None:
        for connector_id in connector_ids:
            self._entries.pop(connector_id, None)

    def __len__(self) -> int:
        return len(self._entries)

    async def aclose(self) -> None:
        entries, self._entries = self._entries, OrderedDict()
        for _, connector in entries.values():
            await connector.aclose()
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
