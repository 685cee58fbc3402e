"""The context store as the service declares it: which entities it keeps.

Replication is not built yet, so every entity is ``not_synced``; ``inspect`` reports these entities and
``context_store_search`` names their status.
"""

from __future__ import annotations

from typing import Final

from ashby_agent.connectors.ashby.catalog import CATALOG

__all__ = ["CACHE_ENTITIES"]

#: Entities the context store will replicate: sync-capable listings that need no parent id.
CACHE_ENTITIES: Final = tuple(
    name
    for name, entity in CATALOG.items()
    if "list" in entity.operations
    and entity.operations["list"].sync
    and not any(param.required for param in entity.operations["list"].params)
)
