"""The seam under the connector: send one operation's validated body, get Ashby's success envelope.

Two implementations exist: :class:`~ashby_agent.transports.ashby.AshbyTransport` posts to Ashby itself
(local mode, and the hosted service's side); :class:`~ashby_agent.transports.hosted.HostedTransport`
goes through the hosted service and hands back the same Ashby-shaped envelope, so the connector reads
records, paging keys and errors one way whichever path a call took.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.operation import Operation

__all__ = ["Mode", "Transport"]

Mode = Literal["local", "hosted"]


class Transport(ABC):
    """How a connector reaches Ashby. Subclasses retry what may pass and translate every failure."""

    #: ``"local"`` (straight to Ashby) or ``"hosted"`` (through the ashby-agent service).
    mode: ClassVar[Mode]
    #: Where requests go (Ashby's API, or the hosted service).
    base_url: str

    @abstractmethod
    async def send(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        """Run ``op`` with ``body`` (already validated, Ashby's wire names) and return Ashby's envelope
        (``success: true``, ``results`` and, for lists, ``moreDataAvailable``/``nextCursor``/``syncToken``).
        Raises an :class:`~ashby_agent.errors.AshbyAgentError` subclass otherwise."""

    async def send_listing(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        """:meth:`send` for a list operation, whose ``results`` may come back as
        :class:`~ashby_agent.undecoded.Records` (the bytes, for a typed page to validate as they are)."""
        return await self.send(op, body)

    @abstractmethod
    async def aclose(self) -> None:
        """Release what the transport opened (an HTTP client it created; a client passed in stays open)."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
