"""Shared fixtures: environment isolation and a real sandbox on a free port."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

#: The service fixtures (databases, a running service, tenants) serve tests/service and tests/hosted.
pytest_plugins = ("tests.service.fixtures",)

_ISOLATED_PREFIXES = ("ASHBY_", "AIRBYTE_")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files holding a ``slow`` or ``endurance`` test first (otherwise in collection order): the suite's
    processes take whole files, and a long file that starts last finishes alone."""
    heavy = {
        item.path for item in items if any(item.iter_markers("slow")) or any(item.iter_markers("endurance"))
    }
    items.sort(key=lambda item: item.path not in heavy)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's ASHBY_*/AIRBYTE_* variables."""
    for name in list(os.environ):
        if name.startswith(_ISOLATED_PREFIXES):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def shared_sandbox() -> Iterator[Any]:
    """One small sandbox for read-only tests of the whole session (do not mutate it)."""
    from ashby_agent.sandbox import run_sandbox

    with run_sandbox(seed=7, scale="small") as sandbox:
        yield sandbox


@pytest.fixture
async def connector(shared_sandbox: Any) -> AsyncIterator[Any]:
    """A local-mode connector against the shared sandbox."""
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

    async with AshbyConnector(
        AshbyAuthConfig(api_key=shared_sandbox.api_key), base_url=shared_sandbox.url
    ) as c:
        yield c
