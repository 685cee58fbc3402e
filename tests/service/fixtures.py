"""Fixtures of the service and hosted-mode tests (a pytest plugin): SQLite and PostgreSQL, real HTTP.

``db_url`` is parametrized (module scope) over a fresh SQLite file and a fresh PostgreSQL schema on
127.0.0.1:5432/test (``search_path`` in the URL); an unreachable PostgreSQL fails the run, it is never
skipped. ``service`` runs the app with uvicorn on a free port, pointed at the shared sandbox as Ashby.
Each test gets its own organization and client (``tenant``), so tests never see each other's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import ServiceHandle, run_service
from tests.service.tenants import Tenant, make_db, new_tenant


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, cleanup = make_db(request.param, tmp_path_factory.mktemp("db"))
    yield url
    cleanup()


@pytest.fixture(scope="module")
def settings(db_url: str, shared_sandbox: Any) -> ServiceSettings:
    return ServiceSettings(
        db_url=db_url,
        secret_key=generate_key(),
        ashby_base_url=shared_sandbox.url,
        rate_limit_requests=0,
    )


@pytest.fixture(scope="module")
def service(settings: ServiceSettings) -> Iterator[ServiceHandle]:
    with run_service(settings=settings) as handle:
        yield handle


@pytest.fixture
def http(service: ServiceHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.api_url, timeout=30) as client:
        yield client


@pytest.fixture
def tenant(service: ServiceHandle, http: httpx.Client) -> Tenant:
    return new_tenant(service, http)


@pytest.fixture
def other_tenant(service: ServiceHandle, http: httpx.Client) -> Tenant:
    return new_tenant(service, http)
