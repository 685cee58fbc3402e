"""What "the store equals the sandbox" means, per entity: the same ids with the same ``updatedAt``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import records

#: Store entity -> sandbox table, for the entities whose every record the list returns.
TABLES = {
    "candidates": "candidate",
    "applications": "application",
    "jobs": "job",
    "offers": "offer",
    "projects": "project",
    "openings": "opening",
    "departments": "department",
    "users": "user",
    "interview_schedules": "interviewSchedule",
}


def stored(store: ContextStore, connector_id: str, entity: str) -> dict[str, str | None]:
    return stored_column(store, connector_id, entity, "updated_at")


def stored_column(store: ContextStore, connector_id: str, entity: str, column: str) -> dict[str, Any]:
    """Record id -> one column of its ``store_records`` row (``archived``, ``pass_number``, ``data``)."""
    query = sa.select(records.c.record_id, records.c[column]).where(
        records.c.connector_id == connector_id, records.c.entity == entity
    )
    return dict(store.transaction(lambda c: [tuple(row) for row in c.execute(query)]))


def in_sandbox(sandbox: Any, entity: str) -> dict[str, str | None]:
    return {record["id"]: record.get("updatedAt") for record in sandbox.control.records(TABLES[entity])}


def assert_equal(store: ContextStore, connector_id: str, sandbox: Any) -> None:
    for entity in TABLES:
        assert stored(store, connector_id, entity) == in_sandbox(sandbox, entity), entity


def row_count(store: ContextStore) -> int:
    return int(
        store.transaction(lambda c: c.execute(sa.select(sa.func.count()).select_from(records)).scalar_one())
    )
