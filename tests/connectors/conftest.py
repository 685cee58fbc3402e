"""Fixtures of the write tests: a sandbox of each module's own (the shared one is never written) and a
connector at access level ``write`` on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.sandbox import run_sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=11, scale="small") as handle:
        yield handle


@pytest.fixture
async def writer(sandbox: Any) -> AsyncIterator[AshbyConnector]:
    async with AshbyConnector(
        AshbyAuthConfig(api_key=sandbox.api_key), base_url=sandbox.url, access="write"
    ) as connector:
        yield connector
