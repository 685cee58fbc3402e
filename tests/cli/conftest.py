"""Fixtures of the CLI tests: ``ashby-agent serve`` as a real process over a fresh SQLite file, with an
organization and an API client made by ``ashby-agent admin`` (``served``), and a service in this process
for the client verbs (``env``: the environment of one of its API clients)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import run_service
from tests.cli.serving import Served, client_env, read_banner, start_serve, stop


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'service.db'}"


@pytest.fixture
def served(db: str, shared_sandbox: Any) -> Iterator[Served]:
    """``ashby-agent serve --port 0`` on a fresh SQLite file, pointed at the sandbox as Ashby."""
    env = client_env(db)
    proc = start_serve("--port", "0", "--db", db, "--ashby-url", shared_sandbox.url)
    try:
        banner = read_banner(proc)
        url = banner[0].rsplit(" ", 1)[1]
        yield Served(url, banner, {**env, "ASHBY_AGENT_API_URL": url}, proc)
    finally:
        log = stop(proc)
        assert "Traceback" not in log
        assert env["AIRBYTE_CLIENT_SECRET"] not in log and shared_sandbox.api_key not in log


@pytest.fixture
def env(tmp_path: Path, shared_sandbox: Any) -> Iterator[dict[str, str]]:
    """The AIRBYTE_* / ASHBY_AGENT_API_URL environment of an API client of a fresh service."""
    settings = ServiceSettings(
        db_url=f"sqlite:///{tmp_path / 'service.db'}",
        secret_key=generate_key(),
        ashby_base_url=shared_sandbox.url,
        rate_limit_requests=0,
    )
    with run_service(settings=settings) as service:
        operator.create_org("acme", settings=settings)
        client = operator.create_client(["acme"], settings=settings)
        yield {
            "AIRBYTE_CLIENT_ID": client.client_id,
            "AIRBYTE_CLIENT_SECRET": client.client_secret.get_secret_value(),
            "ASHBY_AGENT_API_URL": service.url,
        }
