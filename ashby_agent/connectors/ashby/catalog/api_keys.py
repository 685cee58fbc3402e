"""The API key in use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import Entity, EntityGroup, Operation

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.api_keys import ApiKey

__all__ = ["API_KEYS_READ", "ApiKeyEntities"]

#: The permission Ashby requires to read its API keys module (also covers webhooks).
API_KEYS_READ = "apiKeysRead"


class ApiKeyEntities(EntityGroup):
    """The entities of Ashby's api keys module."""

    api_key: Entity[ApiKey, ApiKey] = Entity(
        "The API key in use: title, creation time and permission scopes.",
        Operation(
            "get", "apiKey.info", API_KEYS_READ, "Info about the API key in use (a cheap credential check)."
        ),
    )
