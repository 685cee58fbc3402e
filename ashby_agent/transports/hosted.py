"""Through the hosted ashby-agent service: the same seam as going to Ashby directly.

:class:`HostedTransport` runs an operation with ``POST /api/v1/integrations/connectors/{id}/execute``
and hands back the Ashby envelope the answer stands for (:func:`~ashby_agent.envelope.ashby_envelope`),
so paging and ``api_search`` are translated here, once. Tokens, connector lookup and the service's
errors are the :class:`~ashby_agent.hosted.client.HostedClient`'s business.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

from ashby_agent.envelope import ashby_envelope
from ashby_agent.hosted.client import HostedClient
from ashby_agent.transports.base import Mode, Transport

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.operation import Operation
    from ashby_agent.retry import RetryPolicy
    from ashby_agent.types import AirbyteAuthConfig

__all__ = ["HostedTransport"]


class HostedTransport(Transport):
    """Sends operations to the hosted service on behalf of one workspace's Ashby connector."""

    mode: ClassVar[Mode] = "hosted"

    def __init__(
        self,
        auth: AirbyteAuthConfig,
        *,
        http_client: httpx.AsyncClient | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | httpx.Timeout | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.client = HostedClient(
            auth,
            http_client=http_client,
            http_transport=http_transport,
            retry=retry,
            timeout=timeout,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )
        self.base_url = auth.api_url or ""

    def __repr__(self) -> str:
        return f"HostedTransport(base_url={self.base_url!r}, workspace={self.client.auth.workspace_name!r})"

    async def send(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        answer = await self.client.execute(op.entity, op.action, body, idempotent=op.read_only)
        return ashby_envelope(op.action, answer)

    async def aclose(self) -> None:
        await self.client.aclose()
