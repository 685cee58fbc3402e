"""Two `ashby-agent serve` OS processes on one PostgreSQL: no state lives in one process only.

A token issued by one process works on the other, a connector created through one executes through the
other, and the per-client rate limit is one budget across both (counted in the database).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from tests.service.tenants import START_DATE, make_db

CLI = [sys.executable, "-m", "ashby_agent.cli"]
LIMIT = 6  # requests per client per window, across both processes
WINDOW = 3600  # fixed windows: an hour makes crossing a boundary mid-test (a reset) vanishingly rare


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, drop = make_db("postgresql", tmp_path_factory.mktemp("pg"))
    yield url
    drop()


@pytest.fixture(scope="module")
def processes(postgres: str, shared_sandbox: Any) -> Iterator[tuple[list[str], dict[str, str]]]:
    key = generate_key()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASHBY_", "AIRBYTE_"))}
    env.update(
        {
            "ASHBY_AGENT_SECRET_KEY": key.get_secret_value(),
            "ASHBY_API_URL": shared_sandbox.url,
            "ASHBY_AGENT_RATE_LIMIT": f"{LIMIT}/{WINDOW}",
        }
    )
    settings = ServiceSettings(db_url=postgres, secret_key=key)
    operator.create_org("procs", settings=settings)
    creds = operator.create_client(["procs"], settings=settings)
    ports = [_free_port(), _free_port()]
    procs = [
        subprocess.Popen(
            [*CLI, "serve", "--port", str(port), "--db", postgres],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}/api/v1" for port in ports]
    try:
        for url, proc in zip(urls, procs, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(url.removesuffix("/api/v1") + "/openapi.json", timeout=1)
                    break
                except httpx.HTTPError:
                    assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                    time.sleep(0.1)
        yield urls, {"client_id": creds.client_id, "client_secret": creds.client_secret.get_secret_value()}
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


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
