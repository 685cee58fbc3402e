"""Through the hosted ashby-agent service: the same seam as going to Ashby directly.

:class:`HostedTransport` runs an operation with ``POST /api/v1/integrations/connectors/{id}/execute``
and hands back the Ashby envelope the answer stands for (:func:`~ashby_agent.envelope.ashby_envelope`),
so paging and ``api_search`` are translated here, once. Tokens, connector lookup and the service's
errors are the :class:`~ashby_agent.hosted.client.HostedClient`'s business.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ashby_agent.envelope import ashby_envelope
from ashby_agent.hosted.client import HostedClient
from ashby_agent.transports.base import Mode, Transport
from ashby_agent.undecoded import decode_answer

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.operation import Operation
    from ashby_agent.types import AirbyteAuthConfig

__all__ = ["HostedTransport"]


class HostedTransport(Transport):
    """Sends operations to the hosted service on behalf of one workspace's Ashby connector."""

    mode: ClassVar[Mode] = "hosted"

    def __init__(self, auth: AirbyteAuthConfig, **options: Any) -> None:
        """``options`` are the :class:`HostedClient`'s (``http_client``, ``http_transport``, ``retry``,
        ``timeout``, and the injectable ``sleep`` / ``clock`` / ``rng``)."""
        self.client = HostedClient(auth, **options)
        self.base_url = auth.api_url or ""

    def __repr__(self) -> str:
        return f"HostedTransport(base_url={self.base_url!r}, workspace={self.client.auth.workspace_name!r})"

    async def send(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        answer = await self.client.execute(op.entity, op.action, body, idempotent=op.read_only)
        return ashby_envelope(op.action, answer)

    async def send_listing(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        """:meth:`send` with the page's records left as the bytes the service sent (an ``api_search``
        answer nests them in ``data``, and is decoded whole)."""
        if op.action == "api_search":
            return await self.send(op, body)
        answer = await self.client.execute(
            op.entity, op.action, body, idempotent=op.read_only, decode=decode_answer
        )
        return ashby_envelope(op.action, answer)

    async def execute_store(self, entity: str, action: str, params: Mapping[str, Any] | None) -> Any:
        """A context store action, answered by the service's store: its ``result``."""
        answer = await self.client.execute(entity, action, params or {}, idempotent=True)
        return answer.get("result")

    async def aclose(self) -> None:
        await self.client.aclose()
