"""Local mode: ``AshbyConnector(..., context_store=URL)`` replicates into its own store file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.errors import InvalidRequestError
from ashby_agent.store.context_store import local_connector_id
from ashby_agent.types import AirbyteAuthConfig
from tests.store.parity import in_sandbox, stored


async def test_a_local_connector_replicates_into_its_store(shared_sandbox: Any, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    auth = AshbyAuthConfig(api_key=shared_sandbox.api_key)
    async with AshbyConnector(auth, base_url=shared_sandbox.url, context_store=url) as connector:
        seen: list[tuple[str, int, bool]] = []
        report = await connector.replicate(["jobs"], progress=lambda *event: seen.append(event))
        assert report.ok and report.records == len(in_sandbox(shared_sandbox, "jobs"))
        assert seen[-1] == ("jobs", report.records, True)
        tenant = connector.store_connector_id
        assert tenant == local_connector_id(shared_sandbox.api_key)
        assert shared_sandbox.api_key not in tenant
        assert stored(connector.context_store, tenant, "jobs") == in_sandbox(shared_sandbox, "jobs")
    assert (tmp_path / "store.db").exists()


async def test_the_store_url_comes_from_the_environment(
    shared_sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASHBY_AGENT_STORE", str(tmp_path / "from-env.db"))  # a bare path is SQLite
    auth = AshbyAuthConfig(api_key=shared_sandbox.api_key)
    async with AshbyConnector(auth, base_url=shared_sandbox.url) as connector:
        assert (await connector.replicate(["departments"])).ok
    assert (tmp_path / "from-env.db").exists()


async def test_hosted_mode_says_the_service_replicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    auth = AirbyteAuthConfig(airbyte_client_id="i", airbyte_client_secret="s", workspace_name="w")
    async with AshbyConnector(auth_config=auth) as connector:
        with pytest.raises(InvalidRequestError, match="the service replicates"):
            await connector.replicate()
    assert os.listdir(tmp_path) == []  # no store file was created on the way
