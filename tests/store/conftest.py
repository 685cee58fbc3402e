"""Fixtures of the context-store tests: a fresh store per test on SQLite and on PostgreSQL, and a sandbox
of each test's own (the tests change its data) with a transport to it that gives up quickly."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from ashby_agent.retry import RetryPolicy
from ashby_agent.sandbox import run_sandbox
from ashby_agent.store.context_store import ContextStore
from ashby_agent.transports.ashby import AshbyTransport
from tests.service.tenants import make_db


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    url, cleanup = make_db(request.param, tmp_path)
    yield url
    cleanup()


@pytest.fixture
def store(store_url: str) -> Iterator[ContextStore]:
    opened = ContextStore.open(store_url)
    yield opened
    opened.close()


@pytest.fixture
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=7, scale="small") as handle:
        yield handle


@pytest.fixture
async def transport(sandbox: Any) -> AsyncIterator[AshbyTransport]:
    async with AshbyTransport(
        sandbox.api_key, base_url=sandbox.url, retry=RetryPolicy(max_attempts=2, initial_delay=0.01)
    ) as client:
        yield client
