"""Query support on PostgreSQL: binary ("C") collation on the key and time columns, so ids and
instants sort as they do in SQLite, and the edit distance fuzzy search uses.

``fuzzystrmatch`` is one per database, in whichever schema it was first created (``public`` here), which
need not be on a store's ``search_path``; ``ashby_levenshtein`` is created beside the store's tables
and calls it by its schema, so queries find it wherever the store lives.

Revision ID: store_0002
Revises: store_0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "store_0002"
down_revision = "store_0001"
branch_labels = None
depends_on = None

_COLUMNS = {"record_id": 200, "parent_id": 200, "created_at": 40, "updated_at": 40}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA public")
    schema = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT n.nspname FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'fuzzystrmatch'"
            )
        )
        .scalar_one()
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION ashby_levenshtein(a text, b text, k integer) RETURNS integer "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f'AS $$ SELECT "{schema}".levenshtein_less_equal(a, b, k) $$'
    )
    for column, size in _COLUMNS.items():
        op.execute(f'ALTER TABLE store_records ALTER COLUMN {column} TYPE varchar({size}) COLLATE "C"')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS ashby_levenshtein(text, text, integer)")
    for column, size in _COLUMNS.items():
        op.execute(f"ALTER TABLE store_records ALTER COLUMN {column} TYPE varchar({size})")
