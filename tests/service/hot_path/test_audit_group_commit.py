"""Every execute that returned has its audit row the moment it returned: a burst of concurrent executes
(sharing group commits) leaves exactly one row per answer, successes and refusals alike, on SQLite and
PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from ashby_agent.service.store import audit
from ashby_agent.service.store.db import create_service_engine
from tests.service.tenants import Tenant

BURST = 200


def _rows(tenant: Tenant, connector_id: str) -> list[audit.AuditRecord]:
    engine = create_service_engine(tenant.service.settings.db_url)
    try:
        with engine.connect() as connection:
            return audit.list_records(connection, connector_id=connector_id, limit=10 * BURST)
    finally:
        engine.dispose()


async def test_a_burst_of_concurrent_executes_leaves_one_row_per_answer(
    tenant: Tenant, shared_sandbox: Any
) -> None:
    connector = tenant.create_connector("burst", shared_sandbox.api_key)
    path = f"{tenant.service.api_url}/integrations/connectors/{connector['id']}/execute"
    headers = tenant.headers()

    def body(i: int) -> dict[str, Any]:
        if i % 10 == 9:  # refused before Ashby is called: audited too
            return {"entity": "departments", "action": "get", "params": {"id": "x"}, "intent": f"b{i}"}
        return {"entity": "candidates", "action": "list", "params": {"limit": 2}, "intent": f"b{i}"}

    limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        calls = (http.post(path, json=body(i), headers=headers) for i in range(BURST))
        answers = await asyncio.gather(*calls)
        # Read at once, through another connection: nothing is left to be written after the answers.
        rows = _rows(tenant, connector["id"])
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(200) == BURST - BURST // 10, statuses
    assert statuses.count(422) == BURST // 10
    assert sorted(row.intent or "" for row in rows) == sorted(f"b{i}" for i in range(BURST))
    by_intent = {row.intent: row for row in rows}
    for i, answer in enumerate(answers):
        assert by_intent[f"b{i}"].http_status == answer.status_code
        assert by_intent[f"b{i}"].status == ("success" if answer.status_code == 200 else "invalid_params")
