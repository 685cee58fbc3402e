"""The typed answer of a context store action in local and hosted mode alike."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["StoreMeta", "StoreResult"]


class StoreMeta(BaseModel):
    """About the answer: more rows (``cursor`` for the next search page), time taken, and ``as_of``
    (when the entity's last sync finished; for SQL, per entity the query read)."""

    model_config = ConfigDict(extra="allow")

    has_more: bool = False
    cursor: str | None = None
    took_ms: float | None = None
    as_of: str | dict[str, str] | None = None


class StoreResult(BaseModel):
    """A context store answer: records (Ashby's camelCase wire form) or result rows, and ``meta``."""

    model_config = ConfigDict(extra="allow")

    data: list[dict[str, Any]] = Field(default_factory=list)
    meta: StoreMeta = Field(default_factory=StoreMeta)
