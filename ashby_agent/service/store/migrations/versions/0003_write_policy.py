"""Writes: each connector's access level and redaction policy, and the records a write named.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("connectors") as table:
        table.add_column(sa.Column("access", sa.String(16), nullable=False, server_default="read"))
        table.add_column(sa.Column("redact", sa.Text(), nullable=True))
    with op.batch_alter_table("audit_log") as table:
        table.add_column(sa.Column("record_ids", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as table:
        table.drop_column("record_ids")
    with op.batch_alter_table("connectors") as table:
        table.drop_column("redact")
        table.drop_column("access")
