"""Fixtures of the context-store tests: a fresh store per test on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ashby_agent.store.context_store import ContextStore
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
