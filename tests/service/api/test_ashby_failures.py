"""How Ashby's failures reach a hosted caller: a private sandbox with faults, no retries, short strings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from ashby_agent.sandbox import run_sandbox
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from tests.service.tenants import Tenant, assert_error

LIMITED_KEY = "limited-key"


@pytest.fixture(scope="module")
def faulty_sandbox() -> Iterator[Any]:
    with run_sandbox(
        seed=3, scale="small", api_keys=["full-key", f"{LIMITED_KEY}:candidates:read"]
    ) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def settings(db_url: str, faulty_sandbox: Any) -> ServiceSettings:
    base = ServiceSettings(db_url=db_url, secret_key=generate_key(), ashby_base_url=faulty_sandbox.url)
    return replace(base, rate_limit_requests=0, ashby_max_attempts=1, truncate_strings_at=8)


@pytest.fixture
def connector_path(tenant: Tenant, faulty_sandbox: Any) -> Iterator[str]:
    yield f"/integrations/connectors/{tenant.create_connector('faults', 'full-key')['id']}/execute"
    faulty_sandbox.control.clear_faults()


LIST = {"entity": "departments", "action": "list"}


@pytest.mark.parametrize("fault", ["500", "503"])
def test_ashby_server_errors_are_502(
    tenant: Tenant, connector_path: str, faulty_sandbox: Any, fault: str
) -> None:
    faulty_sandbox.control.queue_faults([fault])
    body = assert_error(tenant.post(connector_path, json=LIST), 502)
    assert body["errors"][0]["field"] == "ashby"
    assert tenant.post(connector_path, json=LIST).status_code == 200  # and the service keeps serving


def test_ashby_rate_limit_is_429_with_retry_after(
    tenant: Tenant, connector_path: str, faulty_sandbox: Any
) -> None:
    faulty_sandbox.control.queue_faults(["429"])
    answer = tenant.post(connector_path, json=LIST)
    assert_error(answer, 429)
    assert answer.headers["retry-after"].isdigit()
    assert int(answer.headers["retry-after"]) >= 1


def test_dropped_connection_is_502(tenant: Tenant, connector_path: str, faulty_sandbox: Any) -> None:
    faulty_sandbox.control.queue_faults(["drop"])
    assert_error(tenant.post(connector_path, json=LIST), 502, "connection")


def test_missing_permission_is_502_with_ashby_code(tenant: Tenant) -> None:
    connector = tenant.create_connector("limited", LIMITED_KEY)
    answer = tenant.post(
        f"/integrations/connectors/{connector['id']}/execute", json={"entity": "jobs", "action": "list"}
    )
    body = assert_error(answer, 502)
    assert body["errors"][0]["error_code"] == "missing_endpoint_permission"
    assert "jobsRead" in body["message"]


def test_long_strings_are_truncated_unless_skip_truncation(tenant: Tenant, connector_path: str) -> None:
    body = {"entity": "candidates", "action": "list", "params": {"limit": 1}, "select_fields": ["id"]}
    short = tenant.post(connector_path, json=body).json()["result"][0]["id"]
    assert short.startswith(short[:8])
    assert "[truncated" in short
    whole = tenant.post(connector_path, json={**body, "skip_truncation": True}).json()["result"][0]["id"]
    assert len(whole) == 36
    assert short.startswith(whole[:8])
