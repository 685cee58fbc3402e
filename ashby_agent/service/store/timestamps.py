"""Times as the service stores them: timezone-aware UTC in, timezone-aware UTC out.

SQLite hands ``DateTime(timezone=True)`` columns back naive, PostgreSQL aware; :func:`aware` makes both
read the same.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["aware", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; everything the service stores is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
