"""The params that search and aggregates share, checked one way."""

from __future__ import annotations

from typing import Any

from ashby_agent.errors import InvalidQueryError

__all__ = ["bounded_limit"]


def bounded_limit(raw: Any, *, default: int, maximum: int) -> int:
    """``limit``: a whole number from 1 to ``maximum``; ``None`` (not given) is ``default``."""
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= maximum:
        raise InvalidQueryError(
            f"limit must be a whole number from 1 to {maximum} (default {default}), got {raw!r}.",
            where="limit",
        )
    return raw
