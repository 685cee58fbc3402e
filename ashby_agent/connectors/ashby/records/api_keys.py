"""The API key making the call: its title and permission scopes."""

from pydantic import Field

from .base import AshbyRecord, Timestamp

__all__ = ["ApiKey"]


class ApiKey(AshbyRecord):
    """The API key making the call (``apiKey.info``)."""

    title: str | None = Field(None, description="Title given to the key in Ashby.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    scopes: list[str] = Field(
        default_factory=list, description="Granted scopes, e.g. 'candidates:read', 'jobs:write'."
    )
