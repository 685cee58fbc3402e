"""An audit write that fails cannot replace the answer: Ashby was called, so its result reaches the
caller and the failure is logged (ids and the exception type, never data). The failure is real: the
audit table is renamed away under a running service, on SQLite and on PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.server import ServiceHandle, run_service
from ashby_agent.service.store.db import create_service_engine
from tests.service.tenants import Tenant, assert_error, make_db, new_tenant


@pytest.fixture
def fragile(settings: ServiceSettings, tmp_path: Path) -> Iterator[ServiceHandle]:
    """A service of its own, whose audit table can be taken away."""
    url, drop = make_db("postgresql" if settings.db_url.startswith("postgresql") else "sqlite", tmp_path)
    try:
        with run_service(settings=replace(settings, db_url=url)) as handle:
            yield handle
    finally:
        drop()


def _lose_the_audit_table(service: ServiceHandle) -> None:
    engine = create_service_engine(service.settings.db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE audit_log RENAME TO audit_log_away"))
    finally:
        engine.dispose()


def test_a_failed_audit_write_does_not_turn_a_result_into_a_500(
    fragile: ServiceHandle, shared_sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ashby_agent.service")
    with httpx.Client(base_url=fragile.api_url, timeout=30) as http:
        tenant: Tenant = new_tenant(fragile, http)
        connector = tenant.create_connector("audited", shared_sandbox.api_key)
        path = f"/integrations/connectors/{connector['id']}/execute"
        _lose_the_audit_table(fragile)
        answer = tenant.post(path, json={"entity": "departments", "action": "list", "intent": "report"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["result"]
        failed = tenant.post(path, json={"entity": "departments", "action": "get", "params": {"id": "x"}})
        assert_error(failed, 422, "invalid_params")  # a refused call keeps its own answer too
    logged = [r for r in caplog.records if "audit write failed" in r.getMessage()]
    assert len(logged) == 2
    assert all(record.levelno == logging.ERROR for record in logged)
    assert connector["id"] in logged[0].getMessage()
    assert "report" not in logged[0].getMessage()
