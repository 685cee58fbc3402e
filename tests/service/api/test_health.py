"""``GET /health``: answered without credentials, 200 while the database answers and 503 once it does
not, and documented in ``/openapi.json`` as public.

The 503 case runs on PostgreSQL only: a dropped database is a real outage; an SQLite file that a
running process has open keeps answering ``SELECT 1`` whatever happens to its path.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import ServiceHandle, run_service
from tests.service.tenants import PG_CONNINFO, PG_URL


def test_health_answers_without_credentials(service: ServiceHandle) -> None:
    answer = httpx.get(service.url + "/health")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok", "database": "ok"})
    assert answer.headers["cache-control"] == "no-store"


def test_health_is_documented_as_public(service: ServiceHandle) -> None:
    operation = httpx.get(service.url + "/openapi.json").json()["paths"]["/health"]["get"]
    assert operation["security"] == []
    assert set(operation["responses"]) == {"200", "503"}
    schema = operation["responses"]["503"]["content"]["application/json"]["schema"]
    assert schema["properties"]["database"]["enum"] == ["ok", "unavailable"]


@pytest.fixture
def own_database() -> Iterator[str]:
    """A PostgreSQL database of its own (so the test can drop it under a running service)."""
    name = f"health_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_health_is_503_once_the_database_is_gone(own_database: str) -> None:
    url = PG_URL.rsplit("/", 1)[0] + f"/{own_database}"
    with run_service(settings=ServiceSettings(db_url=url, secret_key=generate_key())) as service:
        assert httpx.get(service.url + "/health").status_code == 200
        with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{own_database}" WITH (FORCE)')
        answer = httpx.get(service.url + "/health", timeout=30)
        assert (answer.status_code, answer.json()) == (
            503,
            {"status": "unavailable", "database": "unavailable"},
        )
