"""Hosted-mode client under a rate-limited service, and the MCP server in hosted mode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastmcp import Client

from ashby_agent import AirbyteAuthConfig
from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.errors import HostedServiceError
from ashby_agent.retry import RetryPolicy
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import ServiceHandle, run_service
from ashby_agent.tools.mcp_server import backend_from_env, build_server
from tests.service.tenants import START_DATE, Tenant, new_tenant


@pytest.fixture(scope="module")
def service(db_url: str, shared_sandbox: Any) -> Iterator[ServiceHandle]:
    """A service allowing 3 requests per client per second."""
    settings = ServiceSettings(
        db_url=db_url,
        secret_key=generate_key(),
        ashby_base_url=shared_sandbox.url,
        rate_limit_requests=3,
        rate_limit_window_seconds=1,
    )
    with run_service(settings=settings) as handle:
        yield handle


@pytest.fixture
def tenant(service: ServiceHandle) -> Iterator[Tenant]:
    with httpx.Client(base_url=service.api_url, timeout=30) as http:
        tenant = new_tenant(service, http)
        yield tenant


def _connect(tenant: Tenant, service: ServiceHandle, sandbox_key: str, **options: Any) -> AshbyConnector:
    answer = tenant.post(
        "/integrations/connectors",
        json={
            "workspace_name": "limited",
            "connector_type": "ashby",
            "credentials": {"api_key": sandbox_key},
            "replication_config": {"start_date": START_DATE},
        },
    )
    assert answer.status_code in (200, 201), answer.text
    auth = AirbyteAuthConfig(
        workspace_name="limited",
        airbyte_client_id=tenant.client_id,
        airbyte_client_secret=tenant.client_secret.get_secret_value(),
        api_url=service.url,
    )
    return AshbyConnector(auth_config=auth, **options)


async def test_client_waits_out_429_with_retry_after(
    tenant: Tenant, service: ServiceHandle, shared_sandbox: Any
) -> None:
    answers: list[int] = []

    async def record(response: httpx.Response) -> None:
        if response.request.url.path.endswith("/execute"):
            answers.append(response.status_code)

    client = httpx.AsyncClient(timeout=30, event_hooks={"response": [record]})
    async with _connect(tenant, service, shared_sandbox.api_key, http_client=client) as connector:
        pages = [await connector.candidates.list(limit=1) for _ in range(6)]
    await client.aclose()
    assert all(len(page.data) == 1 for page in pages)
    # Every call succeeded, some only after the service's 429 (three calls per second are allowed).
    assert answers.count(200) == 6
    assert 429 in answers


async def test_client_gives_up_within_its_budget(
    tenant: Tenant, service: ServiceHandle, shared_sandbox: Any
) -> None:
    no_retry = RetryPolicy(max_attempts=1)
    async with _connect(tenant, service, shared_sandbox.api_key, retry=no_retry) as connector:

        async def burst() -> None:
            for _ in range(8):
                await connector.candidates.list(limit=1)

        with pytest.raises(HostedServiceError) as caught:
            await burst()
    assert caught.value.status == 429
    assert "Retry after" in str(caught.value)


async def test_mcp_server_in_hosted_mode(
    tenant: Tenant, service: ServiceHandle, shared_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _connect(tenant, service, shared_sandbox.api_key).aclose()  # stores the connector
    env = {
        "AIRBYTE_CLIENT_ID": tenant.client_id,
        "AIRBYTE_CLIENT_SECRET": tenant.client_secret.get_secret_value(),
        "AIRBYTE_WORKSPACE_NAME": "limited",
        "ASHBY_AGENT_API_URL": service.url,
    }
    spec = backend_from_env(env)
    assert spec.mode == "hosted"
    async with Client(build_server(spec)) as client:
        tools = await client.list_tools()
        assert "hosted mode" in (tools[0].description or "")
        answer = await client.call_tool(
            "ashby_execute", {"entity": "candidates", "action": "list", "params": {"limit": 2}}
        )
    assert not answer.is_error
    payload = answer.structured_content or {}
    expected = [record["id"] for record in shared_sandbox.control.records("candidate")[:2]]
    assert [record["id"] for record in payload["data"]] == expected
