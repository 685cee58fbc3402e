"""Which entities ``context_store_search`` will answer for: the sync-capable listings without a parent.

Replication itself lives in :mod:`ashby_agent.store` (``inspect`` reports its real status); searching the
store is not built yet, so ``context_store_search`` says so and names the actions to use meanwhile.
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
