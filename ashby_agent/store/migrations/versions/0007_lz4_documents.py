"""Stored documents compressed with lz4 on PostgreSQL.

Most records are longer than PostgreSQL's TOAST threshold (~2 KB), so every stored document is
compressed on write and decompressed on every read of it. The default method, pglz, costs the backends
about as much CPU as the rest of the insert; lz4 does the same work in roughly half the time and reads
back faster. A server built without lz4 keeps pglz; SQLite stores text as written and has nothing to
change. Values already stored keep the method they were written with until they are written again.

Revision ID: store_0007
Revises: store_0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "store_0007"
down_revision = "store_0006"
branch_labels = None
depends_on = None


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    methods = bind.exec_driver_sql(
        "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
    ).scalar()
    return "lz4" in (methods or [])  # no such setting before PostgreSQL 14; no lz4 if built without it


def upgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE store_records ALTER COLUMN data SET COMPRESSION lz4")


def downgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE store_records ALTER COLUMN data SET COMPRESSION default")
