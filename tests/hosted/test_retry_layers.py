"""One retry decision per layer, counted in the sandbox's request log and at the service's door.

Through the hosted service a permanent Ashby error (a rejected stored key) reaches Ashby exactly once,
and a failing Ashby is retried by the service only: the client sends one execute, Ashby sees at most
the service's attempts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ashby_agent import AirbyteAuthConfig
from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.errors import AuthenticationError, ServerError
from ashby_agent.retry import RetryPolicy
from ashby_agent.sandbox import run_sandbox
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import ServiceHandle, run_service
from tests.service.tenants import Tenant, new_tenant

SERVICE_ATTEMPTS = 3
GOOD_KEY = "layers-good-key"


@pytest.fixture(scope="module")
def ashby() -> Iterator[Any]:
    """A sandbox of its own: these tests inject faults into every request."""
    with run_sandbox(seed=11, scale="small", api_keys=[GOOD_KEY]) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def service(db_url: str, ashby: Any) -> Iterator[ServiceHandle]:
    settings = ServiceSettings(
        db_url=db_url,
        secret_key=generate_key(),
        ashby_base_url=ashby.url,
        ashby_max_attempts=SERVICE_ATTEMPTS,
        rate_limit_requests=0,
    )
    with run_service(settings=settings) as handle:
        yield handle


@pytest.fixture
def tenant(service: ServiceHandle) -> Iterator[Tenant]:
    with httpx.Client(base_url=service.api_url, timeout=30) as http:
        yield new_tenant(service, http)


class Door:
    """The client's HTTP client, counting the executes that leave it."""

    def __init__(self) -> None:
        self.executes = 0
        self.client = httpx.AsyncClient(timeout=30, event_hooks={"request": [self._count]})

    async def _count(self, request: httpx.Request) -> None:
        if request.url.path.endswith("/execute"):
            self.executes += 1


def hosted(
    tenant: Tenant, service: ServiceHandle, workspace: str, api_key: str, door: Door
) -> AshbyConnector:
    tenant.create_connector(workspace, api_key)
    auth = AirbyteAuthConfig(
        workspace_name=workspace,
        airbyte_client_id=tenant.client_id,
        airbyte_client_secret=tenant.client_secret.get_secret_value(),
        api_url=service.url,
    )
    # A generous client policy: if the client retried what the service decided, the counts would show it.
    return AshbyConnector(auth_config=auth, http_client=door.client, retry=RetryPolicy(max_attempts=4))


def ashby_calls(ashby: Any, endpoint: str) -> int:
    return sum(1 for entry in ashby.control.requests() if entry["path"] == f"/{endpoint}")


async def test_a_rejected_stored_key_reaches_ashby_once(
    tenant: Tenant, service: ServiceHandle, ashby: Any
) -> None:
    door = Door()
    async with hosted(tenant, service, "wrong-key", "not-a-key-ashby-knows", door) as connector:
        ashby.control.clear_requests()
        with pytest.raises(AuthenticationError) as caught:
            await connector.candidates.list(limit=1)
    await door.client.aclose()
    assert ashby_calls(ashby, "candidate.list") == 1
    assert door.executes == 1
    assert "retrying will not help" in str(caught.value)


async def test_a_failing_ashby_is_retried_by_the_service_only(
    tenant: Tenant, service: ServiceHandle, ashby: Any
) -> None:
    door = Door()
    async with hosted(tenant, service, "ashby-down", GOOD_KEY, door) as connector:
        ashby.control.clear_requests()
        ashby.control.set_faults(rate_500=1.0)
        try:
            with pytest.raises(ServerError):
                await connector.candidates.list(limit=1)
        finally:
            ashby.control.clear_faults()
    await door.client.aclose()
    assert ashby_calls(ashby, "candidate.list") == SERVICE_ATTEMPTS
    assert door.executes == 1


async def test_a_passing_ashby_failure_is_absorbed_by_the_service(
    tenant: Tenant, service: ServiceHandle, ashby: Any
) -> None:
    door = Door()
    async with hosted(tenant, service, "ashby-hiccup", GOOD_KEY, door) as connector:
        ashby.control.clear_requests()
        ashby.control.queue_faults(["503", "429"])
        page = await connector.candidates.list(limit=2)
    await door.client.aclose()
    assert len(page.data) == 2
    assert ashby_calls(ashby, "candidate.list") == 3
    assert door.executes == 1
