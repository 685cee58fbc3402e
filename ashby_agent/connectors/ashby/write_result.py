"""The answer of a write's dry run (its own module: the connector loads pydantic only when it needs to)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

__all__ = ["DryRun"]


class DryRun(BaseModel):
    """What a write would send, after every check that needs no write; nothing was sent."""

    dry_run: Literal[True] = True
    entity: str
    action: str
    endpoint: str
    #: The body exactly as it would be posted, secrets (a webhook's signing secret) redacted.
    request: dict[str, Any]
    summary: str
    #: The records the request names that were looked up and found (``param -> "found"``).
    checked: dict[str, str]
