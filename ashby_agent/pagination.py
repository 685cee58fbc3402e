"""Page objects: what a list action returns, and how Ashby's cursor shape is read.

Ashby's paginated envelope (``results``, ``moreDataAvailable``, ``nextCursor``, ``syncToken``) is
declared once here as :class:`AshbyListEnvelope`; callers see :class:`ListResult` with ``data`` (typed
records) and ``meta`` (``cursor``, ``has_more``, ``sync_token``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AshbyInfoEnvelope", "AshbyListEnvelope", "ListResult", "PageMeta", "iterate_pages"]

R = TypeVar("R")


class PageMeta(BaseModel):
    """Where a listing stands."""

    model_config = ConfigDict(frozen=True)

    cursor: str | None = Field(None, description="Pass as `cursor` to get the next page; None on the last page.")
    has_more: bool = Field(False, description="True when another page exists.")
    sync_token: str | None = Field(
        None, description="On the last page of sync-capable lists: pass as `syncToken` later to get only changes."
    )


class ListResult(BaseModel, Generic[R]):
    """One page of records (``data``) and where the listing stands (``meta``)."""

    data: list[R]
    meta: PageMeta = Field(default_factory=PageMeta)

    def __len__(self) -> int:
        return len(self.data)


class AshbyListEnvelope(BaseModel, Generic[R]):
    """Ashby's success envelope for list and search endpoints (errors are raised by the transport)."""

    model_config = ConfigDict(extra="ignore")

    success: bool
    results: list[R] = Field(default_factory=list)
    moreDataAvailable: bool = False  # noqa: N815 - Ashby's wire name
    nextCursor: str | None = None  # noqa: N815
    syncToken: str | None = None  # noqa: N815

    def to_result(self) -> ListResult[R]:
        meta = PageMeta(
            cursor=self.nextCursor if self.moreDataAvailable else None,
            has_more=self.moreDataAvailable,
            sync_token=self.syncToken,
        )
        return ListResult[Any].model_construct(data=self.results, meta=meta)


class AshbyInfoEnvelope(BaseModel, Generic[R]):
    """Ashby's success envelope for ``*.info`` endpoints (errors are raised by the transport)."""

    model_config = ConfigDict(extra="ignore")

    success: bool
    results: R | None = None


async def iterate_pages(
    fetch: Callable[[str | None], Awaitable[ListResult[R]]],
) -> AsyncIterator[R]:
    """Yield every record of a listing, fetching pages with ``fetch(cursor)`` until none is left."""
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        for record in page.data:
            yield record
        if not page.meta.has_more or not page.meta.cursor:
            return
        cursor = page.meta.cursor
