"""Credentials are encrypted at rest, never returned and never logged: grep the database and the logs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.store.db import create_service_engine
from ashby_agent.service.store.schema import metadata
from tests.service.tenants import Tenant

FAKE_KEY = "fake-ashby-key-0123456789-never-leak"


def _database_text(settings: ServiceSettings) -> str:
    """Every row of every table as text (and, for SQLite, the raw files)."""
    engine = create_service_engine(settings.db_url)
    chunks: list[str] = []
    try:
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                if connection.dialect.name == "postgresql":
                    rows = connection.execute(text(f"SELECT t::text FROM {table.name} t")).scalars()
                    chunks += [str(row) for row in rows]
                else:
                    chunks += [repr(tuple(row)) for row in connection.execute(table.select())]
    finally:
        engine.dispose()
    if settings.db_url.startswith("sqlite:///"):
        path = Path(settings.db_url.removeprefix("sqlite:///"))
        for candidate in (path, Path(f"{path}-wal")):
            if candidate.exists():
                chunks.append(candidate.read_bytes().decode("latin-1"))
    return "\n".join(chunks)


def test_known_keys_appear_nowhere(
    tenant: Tenant, shared_sandbox: Any, settings: ServiceSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    real_key = shared_sandbox.api_key
    good = tenant.create_connector("secrets", real_key)
    bad = tenant.create_connector("secrets", FAKE_KEY)
    seen: list[str] = [str(good), str(bad)]
    for connector in (good, bad):
        path = f"/integrations/connectors/{connector['id']}"
        for answer in (
            tenant.get(path),
            tenant.post(
                f"{path}/execute", json={"entity": "candidates", "action": "list", "params": {"limit": 2}}
            ),
            tenant.post(f"{path}/check"),
            tenant.get(f"{path}/inspect"),
            tenant.put(path, json={"credentials": {"api_key": FAKE_KEY + "-rotated"}}),
            tenant.post(
                "/integrations/connectors/check",
                json={"workspace_name": "w", "connector_type": "Ashby", "credentials": {"api_key": FAKE_KEY}},
            ),
            tenant.post(
                "/integrations/connectors", json={"workspace_name": "w", "credentials": {"x": FAKE_KEY}}
            ),
        ):
            seen.append(answer.text)
    seen.append(tenant.get("/integrations/connectors").text)
    stored = _database_text(settings)
    assert "gAAAA" in stored  # the credentials are there, as Fernet tokens
    for secret in (real_key, FAKE_KEY):
        assert secret not in stored
        assert secret not in caplog.text
        for output in seen:
            assert secret not in output
    assert str(settings.secret_key.get_secret_value() if settings.secret_key else "") not in repr(settings)
