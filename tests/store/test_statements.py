"""Many-row inserts: every row arrives once, whatever the number of statements it takes, with nulls,
booleans and JSON intact, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from ashby_agent.store import rows
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import facets, records
from ashby_agent.store.statements import insert_rows


def test_more_rows_than_one_statement_takes(store: ContextStore) -> None:
    values = [
        ("c", "jobs", f"job-{n:05d}", "status", None if n % 3 else f"v{n}", n % 2 == 0) for n in range(1_234)
    ]
    head = "INSERT INTO store_facets (connector_id, entity, record_id, path, value, overflow)"
    store.transaction(lambda c: insert_rows(c, head, ("text",) * 5 + ("boolean",), values))
    found = store.transaction(
        lambda c: c.execute(
            sa.select(
                facets.c.connector_id,
                facets.c.entity,
                facets.c.record_id,
                facets.c.path,
                facets.c.value,
                facets.c.overflow,
            ).order_by(facets.c.record_id)
        ).all()
    )
    assert [tuple(row) for row in found] == values


def test_a_page_upserts_by_id_the_last_copy_winning(store: ContextStore) -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    page = [
        {"id": "a", "title": "first", "nested": {"list": [1, None, "é"]}},
        {"id": "b", "title": "kept", "isArchived": True},
        {"id": "a", "title": "second", "createdAt": "2026-01-01T00:00:00.000Z"},
    ]
    stored = store.transaction(
        lambda c: rows.upsert_page(c, "c", "projects", page, pass_number=1, now=now, parent_id="p")
    )
    assert stored == 2
    store.transaction(
        lambda c: rows.upsert_page(
            c, "c", "projects", [{"id": "b", "title": "again"}], pass_number=2, now=now, index=False
        )
    )
    found = store.transaction(
        lambda c: c.execute(
            sa.select(
                records.c.record_id,
                records.c.parent_id,
                records.c.data,
                records.c.created_at,
                records.c.archived,
                records.c.pass_number,
            ).order_by(records.c.record_id)
        ).all()
    )
    assert [tuple(row) for row in found] == [
        ("a", "p", page[2], "2026-01-01T00:00:00.000Z", False, 1),
        ("b", None, {"id": "b", "title": "again"}, None, False, 2),
    ]
