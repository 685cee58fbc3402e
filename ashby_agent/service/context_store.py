"""Which entities ``context_store_search`` will answer for: the sync-capable listings without a parent.

Replication itself lives in :mod:`ashby_agent.store` (``inspect`` reports its real status); searching the
store is not built yet, so ``context_store_search`` says so and names the actions to use meanwhile.
"""

from __future__ import annotations

from typing import Final

from ashby_agent.store.plan import STREAMS

__all__ = ["CACHE_ENTITIES"]

#: The store's incremental streams: sync-capable listings that need no parent id.
CACHE_ENTITIES: Final = tuple(name for name, stream in STREAMS.items() if stream.incremental)
