"""The connector pool: one connector per credential version, least-recently-used eviction."""

from __future__ import annotations

import asyncio

from pydantic import SecretStr

from ashby_agent.service.pool import ConnectorPool


def test_pool_reuses_per_version_and_evicts_lru() -> None:
    async def scenario() -> None:
        pool = ConnectorPool("http://127.0.0.1:9", max_size=2)
        calls: list[str] = []

        def key(name: str) -> object:
            return lambda: calls.append(name) or SecretStr(name)

        first = await pool.get("a", 1, key("a1"))  # type: ignore[arg-type]
        assert await pool.get("a", 1, key("a1-again")) is first  # type: ignore[arg-type]
        second = await pool.get("a", 2, key("a2"))  # type: ignore[arg-type]
        assert second is not first
        # a request that read the row before a rotation must not put the old key back
        assert await pool.get("a", 1, key("a1-stale")) is second  # type: ignore[arg-type]
        await pool.get("b", 1, key("b1"))  # type: ignore[arg-type]
        await pool.get("c", 1, key("c1"))  # type: ignore[arg-type]
        assert len(pool) == 2
        assert calls == ["a1", "a2", "b1", "c1"]
        await pool.evict("c", "missing")
        assert len(pool) == 1
        await pool.aclose()

    asyncio.run(scenario())
