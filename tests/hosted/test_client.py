"""Hosted mode end to end: sandbox (as Ashby) <- service <- connect()/AirbyteAuthConfig client.

The hosted connector must give the same typed results and the same exceptions as local mode.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from ashby_agent import AirbyteAuthConfig, connect
from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.connectors.ashby.models import ApiKey, Application, Candidate
from ashby_agent.errors import (
    AuthenticationError,
    ConnectionFailedError,
    HostedAuthenticationError,
    HostedServiceError,
    InvalidParamsError,
    NotFoundError,
)
from ashby_agent.hosted.admin import HostedAdminClient
from ashby_agent.retry import RetryPolicy
from ashby_agent.sandbox import run_sandbox
from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import ServiceHandle, run_service
from ashby_agent.transports.hosted import HostedTransport
from tests.service.tenants import START_DATE, Tenant, new_tenant, past_the_bound

KEYS = [f"tenant-key-{n}" for n in range(5)]


@pytest.fixture(scope="module")
def ashby() -> Iterator[Any]:
    """A sandbox with one Ashby key per tenant, so each tenant's answers are recognisably its own."""
    with run_sandbox(seed=5, scale="small", api_keys=KEYS) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def service(db_url: str, ashby: Any) -> Iterator[ServiceHandle]:
    settings = ServiceSettings(
        db_url=db_url, secret_key=generate_key(), ashby_base_url=ashby.url, rate_limit_requests=0
    )
    with run_service(settings=settings) as handle:
        yield handle


def _add_connector(tenant: Tenant, workspace: str, api_key: str) -> str:
    answer = tenant.post(
        "/integrations/connectors",
        json={
            "workspace_name": workspace,
            "connector_type": "Ashby",
            "credentials": {"api_key": api_key},
            "replication_config": {"start_date": START_DATE},
        },
    )
    assert answer.status_code in (200, 201), answer.text
    return str(answer.json()["id"])


def _auth(tenant: Tenant, service: ServiceHandle, workspace: str, **extra: Any) -> AirbyteAuthConfig:
    return AirbyteAuthConfig(
        workspace_name=workspace,
        airbyte_client_id=tenant.client_id,
        airbyte_client_secret=tenant.client_secret.get_secret_value(),
        api_url=service.url,
        **extra,
    )


@pytest.fixture
async def hosted(tenant: Tenant, service: ServiceHandle) -> AsyncIterator[AshbyConnector]:
    _add_connector(tenant, "acme", KEYS[0])
    async with AshbyConnector(auth_config=_auth(tenant, service, "acme")) as connector:
        yield connector


async def test_hosted_results_equal_local_results(hosted: AshbyConnector, ashby: Any) -> None:
    assert hosted.mode == "hosted"
    async with AshbyConnector(AshbyAuthConfig(api_key=KEYS[0]), base_url=ashby.url) as local:
        local_page = await local.candidates.list(limit=25)
        hosted_page = await hosted.candidates.list(limit=25)
        assert hosted_page.data == local_page.data
        assert all(isinstance(c, Candidate) for c in hosted_page.data)
        assert hosted_page.meta.has_more and hosted_page.meta.cursor
        second = await hosted.candidates.list(limit=25, cursor=hosted_page.meta.cursor)
        assert second.data == (await local.candidates.list(limit=25, cursor=local_page.meta.cursor)).data
        application_id = next(c.application_ids[0] for c in local_page.data if c.application_ids)
        hosted_app = await hosted.applications.get(application_id=application_id)
        assert isinstance(hosted_app, Application)
        assert hosted_app == await local.applications.get(application_id=application_id)
        search = await hosted.candidates.api_search(name=local_page.data[0].name)
        assert local_page.data[0].id in {c.id for c in search.data}
        key = await hosted.check()
        assert isinstance(key, ApiKey)


async def test_hosted_iterate_and_sync_token(hosted: AshbyConnector, ashby: Any) -> None:
    ids = [c.id async for c in hosted.candidates.iterate(limit=100)]
    assert ids == [record["id"] for record in ashby.control.records("candidate")]
    page = await hosted.jobs.list()
    while page.meta.has_more:
        page = await hosted.jobs.list(cursor=page.meta.cursor)
    assert page.meta.sync_token


async def test_hosted_errors_are_local_errors(
    tenant: Tenant, service: ServiceHandle, hosted: AshbyConnector
) -> None:
    with pytest.raises(NotFoundError) as missing:
        await hosted.applications.get(application_id="3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert missing.value.code == "application_not_found"
    with pytest.raises(InvalidParamsError):
        await hosted.execute("applications", "list", {"status": "Pending"})
    _add_connector(tenant, "revoked", "a-key-ashby-does-not-know")
    async with AshbyConnector(auth_config=_auth(tenant, service, "revoked")) as revoked:
        with pytest.raises(AuthenticationError) as bad_key:
            await revoked.candidates.list(limit=1)
    assert bad_key.value.code == "invalid_api_key"
    assert "a-key-ashby-does-not-know" not in str(bad_key.value)


async def test_connector_lookup_errors_name_the_fix(tenant: Tenant, service: ServiceHandle) -> None:
    async with AshbyConnector(auth_config=_auth(tenant, service, "nobody-here")) as empty:
        with pytest.raises(HostedServiceError, match="has no Ashby connector"):
            await empty.candidates.list()
    _add_connector(tenant, "twice", KEYS[1])
    second = _add_connector(tenant, "twice", KEYS[2])
    async with AshbyConnector(auth_config=_auth(tenant, service, "twice")) as ambiguous:
        with pytest.raises(HostedServiceError, match="connector_id"):
            await ambiguous.candidates.list()
    async with AshbyConnector(auth_config=_auth(tenant, service, "twice", connector_id=second)) as chosen:
        assert (await chosen.check()).title == "Sandbox key 3"


async def test_bad_client_secret_is_a_hosted_authentication_error(
    tenant: Tenant, service: ServiceHandle
) -> None:
    auth = AirbyteAuthConfig(
        workspace_name="acme",
        airbyte_client_id=tenant.client_id,
        airbyte_client_secret="wrong",
        api_url=service.url,
    )
    async with AshbyConnector(auth_config=auth) as connector:
        with pytest.raises(HostedAuthenticationError):
            await connector.candidates.list()


async def test_connect_reads_the_environment(
    tenant: Tenant, service: ServiceHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_connector(tenant, "from-env", KEYS[3])
    monkeypatch.setenv("AIRBYTE_CLIENT_ID", tenant.client_id)
    monkeypatch.setenv("AIRBYTE_CLIENT_SECRET", tenant.client_secret.get_secret_value())
    monkeypatch.setenv("ASHBY_AGENT_API_URL", service.url)
    connector = connect("ashby", workspace_name="from-env")
    try:
        assert (await connector.check()).title == "Sandbox key 4"
        assert tenant.client_secret.get_secret_value() not in repr(connector) + repr(connector.auth_config)
    finally:
        await connector.aclose()


async def test_token_is_reused_and_refreshed(
    tenant: Tenant, service: ServiceHandle, hosted: AshbyConnector
) -> None:
    assert isinstance(hosted.transport, HostedTransport)
    client = hosted.transport.client
    first = await client.token()
    await hosted.candidates.list(limit=1)
    assert await client.token() == first  # cached while valid
    client._token_expires = 0  # as if expires_in had run out
    await hosted.candidates.list(limit=1)
    assert client._token is not None


async def test_fifty_concurrent_executes_across_five_orgs_see_only_their_own(
    service: ServiceHandle, ashby: Any
) -> None:
    with httpx.Client(base_url=service.api_url, timeout=30) as http:
        tenants = [new_tenant(service, http) for _ in range(5)]
        for index, tenant in enumerate(tenants):
            _add_connector(tenant, "shared-name", KEYS[index])
    connectors = [AshbyConnector(auth_config=_auth(tenant, service, "shared-name")) for tenant in tenants]
    try:
        calls = [connectors[n % 5].check() for n in range(50)]
        answers = await asyncio.gather(*calls)
        for n, key in enumerate(answers):
            assert key.title == f"Sandbox key {n % 5 + 1}"
    finally:
        for connector in connectors:
            await connector.aclose()


async def test_admin_client_manages_connectors(tenant: Tenant, service: ServiceHandle) -> None:
    auth = AirbyteAuthConfig(
        airbyte_client_id=tenant.client_id,
        airbyte_client_secret=tenant.client_secret.get_secret_value(),
        api_url=service.url,
    )
    async with HostedAdminClient(auth) as admin:
        created = await admin.create_connector("admin-ws", KEYS[4], name="Ashby", start_date=START_DATE)
        assert [c.id for c in await admin.list_connectors("admin-ws")] == [created.id]
        assert (await admin.check_connector(created.id)).status == "succeeded"
        assert "admin-ws" in {w.name for w in await admin.list_workspaces()}
        await admin.delete_connector(created.id)
        assert await admin.list_connectors("admin-ws") == []


class _Counter:
    """An HTTP client for hosted connectors that counts token requests (and can hold back 401s)."""

    def __init__(self, hold_401_after_first: float = 0.0) -> None:
        self.tokens = 0
        self.requests = 0
        self._hold = hold_401_after_first
        self._unauthorized = 0
        self.client = httpx.AsyncClient(
            timeout=30, event_hooks={"request": [self._on_request], "response": [self._on_response]}
        )

    async def _on_request(self, request: httpx.Request) -> None:
        self.requests += 1
        if request.url.path.endswith("/applications/token"):
            self.tokens += 1

    async def _on_response(self, response: httpx.Response) -> None:
        if response.status_code == 401 and not response.request.url.path.endswith("/token"):
            self._unauthorized += 1
            if self._unauthorized > 1:
                await asyncio.sleep(self._hold)  # arrive after the first caller has refreshed


async def test_revoked_client_refreshes_once_then_fails(tenant: Tenant, service: ServiceHandle) -> None:
    _add_connector(tenant, "revoked-mid-session", KEYS[0])
    counter = _Counter()
    auth = _auth(tenant, service, "revoked-mid-session")
    async with AshbyConnector(auth_config=auth, http_client=counter.client) as connector:
        await connector.check()
        assert counter.tokens == 1
        operator.revoke_client(tenant.client_id, settings=service.settings)
        past_the_bound()
        before = counter.requests
        with pytest.raises(HostedAuthenticationError) as refused:
            await connector.check()
        assert counter.tokens == 2  # exactly one refresh
        assert counter.requests - before == 2  # the refused execute, the refused token request
        assert refused.value.status == 401
        assert "AIRBYTE_CLIENT_ID" in str(refused.value) and ".." not in str(refused.value)
    await counter.client.aclose()


async def test_concurrent_calls_with_a_dead_token_refresh_it_once(
    tenant: Tenant, service: ServiceHandle
) -> None:
    _add_connector(tenant, "dead-token", KEYS[0])
    counter = _Counter(hold_401_after_first=0.3)
    async with AshbyConnector(
        auth_config=_auth(tenant, service, "dead-token"), http_client=counter.client
    ) as connector:
        await connector.check()
        assert isinstance(connector.transport, HostedTransport)
        connector.transport.client._token = "invalidated.by.the.service"  # e.g. the signing key was rotated
        answers = await asyncio.gather(*(connector.check() for _ in range(8)))
        assert {answer.title for answer in answers} == {"Sandbox key 1"}
        assert counter.tokens == 2  # the first token and one refresh, not one per failed call
    await counter.client.aclose()


async def test_replaced_connector_is_looked_up_again(tenant: Tenant, service: ServiceHandle) -> None:
    first = _add_connector(tenant, "replaced", KEYS[0])
    async with AshbyConnector(auth_config=_auth(tenant, service, "replaced")) as connector:
        assert (await connector.check()).title == "Sandbox key 1"
        assert tenant.delete(f"/integrations/connectors/{first}").status_code == 204
        _add_connector(tenant, "replaced", KEYS[1])
        assert (await connector.check()).title == "Sandbox key 2"  # not a 404 for the rest of the session
    pinned = _add_connector(tenant, "pinned", KEYS[2])
    async with AshbyConnector(auth_config=_auth(tenant, service, "pinned", connector_id=pinned)) as connector:
        assert (await connector.check()).title == "Sandbox key 3"
        assert tenant.delete(f"/integrations/connectors/{pinned}").status_code == 204
        _add_connector(tenant, "pinned", KEYS[3])
        with pytest.raises(HostedServiceError) as gone:  # an id given explicitly is never swapped
            await connector.check()
        assert gone.value.status == 404 and gone.value.code == "connector_not_found"
        assert ".." not in str(gone.value)


async def test_service_down_names_the_setting(tenant: Tenant) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    auth = AirbyteAuthConfig(
        workspace_name="acme",
        airbyte_client_id=tenant.client_id,
        airbyte_client_secret=tenant.client_secret.get_secret_value(),
        api_url=f"http://127.0.0.1:{port}",
    )
    async with AshbyConnector(auth_config=auth, retry=RetryPolicy(max_attempts=2, initial_delay=0.01)) as c:
        with pytest.raises(ConnectionFailedError) as down:
            await c.check()
    assert "ASHBY_AGENT_API_URL" in str(down.value)
    assert f"127.0.0.1:{port}" in str(down.value)
    assert tenant.client_secret.get_secret_value() not in str(down.value)
