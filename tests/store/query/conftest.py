"""Stores for the query tests: one SQLite file and one PostgreSQL database per module.

Examples and tests replace the rows of their own connector instead of opening a store each (a
migration per hypothesis example would dominate the run). PostgreSQL gets a database of its own, not a
schema of the shared one: ``fuzzystrmatch`` (which ``fuzzy`` calls) installs once per database, into
the schema that first migrated a store there, so a schema-only ``search_path`` may not see it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from ashby_agent.store import checkpoints, rows
from ashby_agent.store.context_store import ContextStore
from tests.service.tenants import PG_CONNINFO, PG_URL

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ContextStore]]:
    """Backend name -> an open store, for the whole module."""
    database = f"query_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    opened = {
        "sqlite": ContextStore.open(f"sqlite:///{tmp_path_factory.mktemp('query') / 'store.db'}"),
        "postgresql": ContextStore.open(PG_URL.rsplit("/", 1)[0] + f"/{database}"),
    }
    yield opened
    for store in opened.values():
        store.close()
    with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{database}" WITH (FORCE)')


def replace_records(
    store: ContextStore,
    connector_id: str,
    entity: str,
    records: list[dict[str, Any]],
    *,
    synced: bool = False,
) -> None:
    """Make ``records`` the connector's only stored data (with ``synced``, ``entity`` is marked synced
    so that ``ContextStore.search`` answers)."""

    def work(connection: sa.Connection) -> None:
        rows.drop_connector(connection, connector_id)
        now = datetime.now(UTC)
        rows.upsert_page(connection, connector_id, entity, records, pass_number=1, now=now)
        if synced:
            checkpoints.begin_pass(connection, connector_id, entity, "full", None, now)
            checkpoints.finish_pass(
                connection,
                connector_id,
                entity,
                token=None,
                record_count=len(records),
                duration_ms=1,
                now=now,
            )

    store.transaction(work)
