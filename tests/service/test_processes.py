"""Two `ashby-agent serve` OS processes on one PostgreSQL: no state lives in one process only.

A token issued by one process works on the other, a connector created through one executes through the
other, and the per-client rate limit is one budget across both (counted in the database).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from tests.service.serve_processes import serve_processes
from tests.service.tenants import START_DATE, make_db

LIMIT = 6  # requests per client per window, across both processes
WINDOW = 3600  # fixed windows: an hour makes crossing a boundary mid-test (a reset) vanishingly rare


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, drop = make_db("postgresql", tmp_path_factory.mktemp("pg"))
    yield url
    drop()


@pytest.fixture(scope="module")
def processes(postgres: str, shared_sandbox: Any) -> Iterator[tuple[list[str], dict[str, str]]]:
    key = generate_key()
    settings = ServiceSettings(db_url=postgres, secret_key=key)
    operator.create_org("procs", settings=settings)
    creds = operator.create_client(["procs"], settings=settings)
    with serve_processes(postgres, key, shared_sandbox.url, rate_limit=f"{LIMIT}/{WINDOW}") as urls:
        yield urls, {"client_id": creds.client_id, "client_secret": creds.client_secret.get_secret_value()}


def test_two_processes_share_tokens_connectors_and_rate_limits(
    processes: tuple[list[str], dict[str, str]], shared_sandbox: Any, tmp_path: Path
) -> None:
    (first, second), credentials = processes
    token = httpx.post(f"{first}/account/applications/token", json=credentials).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = httpx.post(
        f"{second}/integrations/connectors",
        headers=headers,
        json={
            "workspace_name": "both",
            "connector_type": "Ashby",
            "credentials": {"api_key": shared_sandbox.api_key},
            "replication_config": {"start_date": START_DATE},
        },
    )
    assert created.status_code in (200, 201), created.text
    connector_id = created.json()["id"]
    body = {"entity": "candidates", "action": "list", "params": {"limit": 1}}
    answers = [
        httpx.post(
            f"{url}/integrations/connectors/{connector_id}/execute", headers=headers, json=body, timeout=30
        )
        for url in (first, second, first, second, first, second, first, second)
    ]
    statuses = [answer.status_code for answer in answers]
    # The token request and the create count too: LIMIT - 2 executes fit. Alone, neither process would
    # refuse anything (each sees at most 5 of this client's requests), so a 429 proves one shared budget.
    assert statuses[: LIMIT - 2] == [200] * (LIMIT - 2), statuses
    assert set(statuses[LIMIT - 2 :]) == {429}, statuses
    refused = answers[-1]
    assert refused.headers["Retry-After"].isdigit()
    assert refused.json()["errors"][0]["error_code"] == "rate_limited"
