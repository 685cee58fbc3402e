"""Rate limit per client (429 + integer Retry-After), shared by several service processes on one
database, which also accept each other's tokens (stateless, signed with the shared key); and its upsert,
compiled as strings for both dialects."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.server import ServiceHandle, run_service
from ashby_agent.service.store import ratelimit
from ashby_agent.service.store.db import create_service_engine, migrate
from tests.service.tenants import Tenant, assert_error, new_tenant


@pytest.fixture(scope="module")
def limited(settings: ServiceSettings) -> ServiceSettings:
    return replace(settings, rate_limit_requests=4, rate_limit_window_seconds=3600)


@pytest.fixture(scope="module")
def two_services(limited: ServiceSettings) -> Iterator[tuple[ServiceHandle, ServiceHandle]]:
    with run_service(settings=limited) as first, run_service(settings=limited) as second:
        yield first, second


def test_limit_is_shared_across_processes(two_services: tuple[ServiceHandle, ServiceHandle]) -> None:
    first, second = two_services
    with httpx.Client(base_url=first.api_url) as http_one, httpx.Client(base_url=second.api_url) as http_two:
        tenant = new_tenant(first, http_one)
        token = tenant.token()  # 1: the token request counts
        headers = {"Authorization": f"Bearer {token}"}
        assert http_two.get("/workspaces", headers=headers).status_code == 200  # 2: token valid on the other
        assert http_one.get("/workspaces", headers=headers).status_code == 200  # 3
        assert http_two.get("/workspaces", headers=headers).status_code == 200  # 4
        for http in (http_one, http_two):
            answer = http.get("/workspaces", headers=headers)
            assert_error(answer, 429, "rate_limited")
            retry_after = answer.headers["retry-after"]
            assert retry_after.isdigit()
            assert 1 <= int(retry_after) <= 3600
        other = new_tenant(first, http_one)  # other clients are not affected
        assert other.get("/workspaces").status_code == 200


def test_connectors_created_on_one_process_execute_on_another(
    two_services: tuple[ServiceHandle, ServiceHandle], settings: ServiceSettings, shared_sandbox: object
) -> None:
    first, _second = two_services
    unlimited = replace(settings, rate_limit_requests=0)
    with run_service(settings=unlimited) as third, httpx.Client(base_url=third.api_url) as http:
        tenant: Tenant = new_tenant(third, http)
        connector = tenant.create_connector("shared", shared_sandbox.api_key)  # type: ignore[attr-defined]
        with httpx.Client(base_url=first.api_url) as elsewhere:
            answer = elsewhere.post(
                f"/integrations/connectors/{connector['id']}/execute",
                json={"entity": "departments", "action": "list"},
                headers=tenant.headers(),
            )
            assert answer.status_code == 200, answer.text


def test_rate_limit_upsert_compiles_for_both_dialects() -> None:
    for dialect in (postgresql.dialect(), sqlite.dialect()):
        sql = str(ratelimit.build_hit(dialect.name, "c", 60).compile(dialect=dialect))
        assert "INSERT INTO rate_limits" in sql
        assert "ON CONFLICT (client_id, window_start) DO UPDATE SET count = (rate_limits.count +" in sql
        assert sql.rstrip().endswith(("RETURNING count", "RETURNING rate_limits.count"))
    prune = str(ratelimit.build_prune("c", 60).compile(dialect=sqlite.dialect()))
    assert prune == "DELETE FROM rate_limits WHERE rate_limits.client_id = ? AND rate_limits.window_start < ?"


def test_counters_on_both_backends(db_url: str) -> None:
    """What the failed-attempt limit is built on: count, read without counting, prune ended windows."""
    engine = create_service_engine(db_url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            assert [ratelimit.increment(connection, "!t:key", 1000, 60) for _ in range(3)] == [1, 2, 3]
            assert ratelimit.current(connection, "!t:key", 1019, 60) == 3
            assert ratelimit.current(connection, "!t:key", 1020, 60) == 0  # the next window
            assert ratelimit.current(connection, "!t:other", 1000, 60) == 0
            ratelimit.increment(connection, "!t:other", 1000, 60)
            ratelimit.prune_expired(connection, "!t:", 1080, 60)
            remaining = connection.execute(
                text("SELECT count(*) FROM rate_limits WHERE client_id LIKE '!t:%'")
            )
            assert remaining.scalar_one() == 0
            assert ratelimit.window_of(1000.5, 60) == (960, 20)
    finally:
        engine.dispose()
