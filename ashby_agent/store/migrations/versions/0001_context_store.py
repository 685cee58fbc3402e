"""The context store: records, streams (sync state and checkpoints), aliases, applied webhook events.

Revision ID: store_0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "store_0001"
down_revision = None
branch_labels = None
depends_on = None


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "store_records",
        sa.Column("connector_id", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("parent_id", sa.String(200), nullable=True),
        sa.Column("data", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=True),
        sa.Column("updated_at", sa.String(40), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("pass_number", sa.Integer(), nullable=False),
        sa.Column("synced_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("connector_id", "entity", "record_id", name="pk_store_records"),
    )
    for column in ("created_at", "updated_at", "parent_id"):
        op.create_index(
            f"ix_store_records_connector_id_entity_{column}",
            "store_records",
            ["connector_id", "entity", column],
        )
    op.create_table(
        "store_streams",
        sa.Column("connector_id", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sync_token", sa.Text(), nullable=True),
        sa.Column("pass_number", sa.Integer(), nullable=False),
        sa.Column("pass_mode", sa.String(16), nullable=True),
        sa.Column("pass_token", sa.Text(), nullable=True),
        sa.Column("pass_cursor", sa.Text(), nullable=True),
        sa.Column("pass_parent", sa.String(200), nullable=True),
        sa.Column("pass_started_at", _tz(), nullable=True),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_synced_at", _tz(), nullable=True),
        sa.Column("last_duration_ms", sa.Integer(), nullable=True),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("connector_id", "entity", name="pk_store_streams"),
    )
    op.create_table(
        "store_aliases",
        sa.Column("connector_id", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("old_id", sa.String(200), nullable=False),
        sa.Column("new_id", sa.String(200), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("connector_id", "entity", "old_id", name="pk_store_aliases"),
    )
    op.create_table(
        "store_webhook_events",
        sa.Column("connector_id", sa.String(200), nullable=False),
        sa.Column("action_id", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("received_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("connector_id", "action_id", name="pk_store_webhook_events"),
    )


def downgrade() -> None:
    for table in ("store_webhook_events", "store_aliases", "store_streams", "store_records"):
        op.drop_table(table)
