"""The context store's migrations keep what a store holds: a store made by an older revision opens with
its words and records intact and the newer layout (``store_words`` without rowids on SQLite, the
``parent_id`` index only over records that have a parent), and migrating back restores the old one."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from ashby_agent.database import create_database_engine
from ashby_agent.store import rows
from ashby_agent.store.context_store import ContextStore
from tests.service.tenants import make_db

_VERSION_TABLE = "store_alembic_version"
_PARENT_INDEX = "ix_store_records_connector_id_entity_parent_id"
_WORDS = [("c", "candidates", "name", word, f"r{n}") for n, word in enumerate(["ada", "grace", "linus"])]


def _to(engine: sa.Engine, revision: str, *, down: bool = False) -> None:
    with engine.connect() as connection:
        config = Config()
        config.set_main_option("script_location", str(resources.files("ashby_agent.store") / "migrations"))
        config.attributes["connection"] = connection
        config.attributes["version_table"] = _VERSION_TABLE
        (command.downgrade if down else command.upgrade)(config, revision)
        connection.commit()


def _layout(engine: sa.Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            sql = dict(connection.exec_driver_sql("SELECT name, sql FROM sqlite_master").all())
            return {"words": sql["store_words"], "parent": sql[_PARENT_INDEX]}
        parent = connection.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s AND schemaname = current_schema()",
            (_PARENT_INDEX,),
        ).scalar_one()
        return {"words": "", "parent": parent}


def _stored(engine: sa.Engine) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    with engine.connect() as connection:
        word_rows = connection.exec_driver_sql(
            "SELECT connector_id, entity, field, word, record_id FROM store_words"
        ).all()
        record_rows = connection.exec_driver_sql("SELECT record_id, parent_id FROM store_records").all()
    return {tuple(row) for row in word_rows}, {tuple(row) for row in record_rows}


def _fill(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO store_words (connector_id, entity, field, word, record_id) "
                "VALUES (:c, :e, :f, :w, :r)"
            ),
            [dict(zip("cefwr", row, strict=True)) for row in _WORDS],
        )
        for record_id, parent_id in (("top", None), ("child", "p1")):
            connection.execute(
                sa.text(
                    "INSERT INTO store_records (connector_id, entity, record_id, parent_id, data, archived, "
                    "pass_number, synced_at) "
                    "VALUES ('c', 'projects', :r, :p, '{}', false, 1, CURRENT_TIMESTAMP)"
                ),
                {"r": record_id, "p": parent_id},
            )


def test_an_older_store_opens_with_its_rows_and_the_new_layout(store_url: str) -> None:
    engine = create_database_engine(store_url)
    try:
        _to(engine, "store_0005")
        _fill(engine)
        before = _stored(engine)
        old = _layout(engine)
        assert "IS NOT NULL" not in old["parent"]
        assert "WITHOUT ROWID" not in old["words"]
        ContextStore.on_engine(engine)  # migrates to the newest revision
        assert _stored(engine) == before
        new = _layout(engine)
        assert "parent_id IS NOT NULL" in new["parent"]
        if engine.dialect.name == "sqlite":
            assert "WITHOUT ROWID" in new["words"]
        _to(engine, "store_0005", down=True)
        assert _stored(engine) == before
        back = _layout(engine)
        assert back["parent"] == old["parent"]
        assert "WITHOUT ROWID" not in back["words"]
    finally:
        engine.dispose()


def test_the_build_cache_is_the_connections_own_again_after_the_block(store: ContextStore) -> None:
    def sizes(connection: sa.Connection) -> tuple[Any, Any, Any]:
        def size() -> Any:
            if connection.dialect.name != "sqlite":
                return None
            return connection.exec_driver_sql("PRAGMA cache_size").scalar_one()

        before = size()
        try:
            with rows.roomy_cache(connection, kib=12_345):
                during = size()
                raise RuntimeError("the build failed")
        except RuntimeError:
            pass
        return before, during, size()

    before, during, after = store.transaction(sizes)
    if store.engine.dialect.name == "sqlite":
        assert during == -12_345
        assert after == before != during


def _compression(engine: sa.Engine) -> tuple[str, str | None]:
    """The documents column's method and the method a long document was stored with, on PostgreSQL."""
    with engine.begin() as connection:
        column = connection.exec_driver_sql(
            "SELECT attcompression FROM pg_attribute "
            "WHERE attrelid = 'store_records'::regclass AND attname = 'data'"
        ).scalar_one()
        document = {"id": "long", "notes": [f"note {n} of a long record" for n in range(400)]}
        rows.upsert_page(connection, "c", "candidates", [document], pass_number=1, now=datetime.now(UTC))
        stored = connection.exec_driver_sql(
            "SELECT pg_column_compression(data) FROM store_records WHERE record_id = 'long'"
        ).scalar_one()
        connection.exec_driver_sql("DELETE FROM store_records WHERE record_id = 'long'")
    return column, stored


def test_postgresql_compresses_documents_with_lz4_and_back_with_the_default(tmp_path: Path) -> None:
    url, cleanup = make_db("postgresql", tmp_path)
    engine = create_database_engine(url)
    try:
        ContextStore.on_engine(engine)
        assert _compression(engine) == ("l", "lz4")
        _to(engine, "store_0006", down=True)
        assert _compression(engine) == ("", "pglz")
    finally:
        engine.dispose()
        cleanup()
