"""Fewer B-tree entries per record for the sync to write.

* ``store_words`` becomes a ``WITHOUT ROWID`` table on SQLite: its primary key holds the whole row, so a
  word is two B-tree entries (the key and the by-record index) instead of three (a rowid table, its
  primary key index and the by-record index). PostgreSQL has no rowid tables; nothing changes there.
* The ``parent_id`` index holds only the records of per-parent lists (``WHERE parent_id IS NOT NULL``):
  a top-level record, most of a store, no longer writes a null entry into it.

Revision ID: store_0006
Revises: store_0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "store_0006"
down_revision = "store_0005"
branch_labels = None
depends_on = None

_PARENT_INDEX = "ix_store_records_connector_id_entity_parent_id"
_WORDS_INDEX = "ix_store_words_connector_id_entity_record_id"
_WORD_COLUMNS = "connector_id, entity, field, word, record_id"


def _binary(size: int) -> sa.types.TypeEngine[str]:
    return sa.String(size).with_variant(sa.String(size, collation="C"), "postgresql")


def _words_table(name: str, *, rowid: bool) -> None:
    op.create_table(
        name,
        sa.Column("connector_id", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("word", _binary(255), nullable=False),
        sa.Column("record_id", _binary(200), nullable=False),
        sa.PrimaryKeyConstraint(
            "connector_id", "entity", "field", "word", "record_id", name="pk_store_words"
        ),
        sqlite_with_rowid=rowid,
    )


def _rebuild_words(*, rowid: bool) -> None:
    """SQLite cannot turn a table's rowid off or on in place: copy the rows into a new table."""
    _words_table("store_words_rebuilt", rowid=rowid)
    op.execute(
        f"INSERT INTO store_words_rebuilt ({_WORD_COLUMNS}) SELECT {_WORD_COLUMNS} FROM store_words "
        "ORDER BY connector_id, entity, field, word, record_id"
    )
    op.drop_index(_WORDS_INDEX, "store_words")
    op.drop_table("store_words")
    op.rename_table("store_words_rebuilt", "store_words")
    op.create_index(_WORDS_INDEX, "store_words", ["connector_id", "entity", "record_id"])


def _parent_index(where: str | None) -> None:
    op.drop_index(_PARENT_INDEX, "store_records")
    clause = None if where is None else sa.text(where)
    op.create_index(
        _PARENT_INDEX,
        "store_records",
        ["connector_id", "entity", "parent_id"],
        sqlite_where=clause,
        postgresql_where=clause,
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_words(rowid=False)
    _parent_index("parent_id IS NOT NULL")


def downgrade() -> None:
    _parent_index(None)
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_words(rowid=True)
