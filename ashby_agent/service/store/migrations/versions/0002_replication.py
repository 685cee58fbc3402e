"""Replication: each connector's sync schedule and its encrypted webhook signing secret.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("connectors") as table:
        table.add_column(sa.Column("refresh_minutes", sa.Integer(), nullable=True))
        table.add_column(sa.Column("next_sync_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("webhook_secret", sa.Text(), nullable=True))
        table.add_column(sa.Column("webhook_status", sa.String(20), nullable=True))
        table.add_column(sa.Column("webhook_ids", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("connectors") as table:
        for name in ("webhook_ids", "webhook_status", "webhook_secret", "next_sync_at", "refresh_minutes"):
            table.drop_column(name)
