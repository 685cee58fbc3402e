"""Facets: the values of the faceted paths per record, so aggregates on them skip the JSON documents.

The rows of stores created before this revision are back-filled when the store opens
(:func:`ashby_agent.store.facets.reconcile`), by the same code that writes them during a sync.

Revision ID: store_0005
Revises: store_0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "store_0005"
down_revision = "store_0004"
branch_labels = None
depends_on = None


def _binary(size: int) -> sa.types.TypeEngine[str]:
    return sa.String(size).with_variant(sa.String(size, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "store_facets",
        sa.Column("connector_id", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("record_id", _binary(200), nullable=False),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("value", sa.Text().with_variant(sa.Text(collation="C"), "postgresql"), nullable=True),
        sa.Column("overflow", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("connector_id", "entity", "record_id", "path", name="pk_store_facets"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_store_facets_connector_id_entity_path_value_record_id",
        "store_facets",
        ["connector_id", "entity", "path", "value", "record_id"],
    )
    op.create_index(
        "ix_store_facets_overflow",
        "store_facets",
        ["connector_id", "entity", "path"],
        sqlite_where=sa.text("overflow"),
        postgresql_where=sa.text("overflow"),
    )
    op.create_table(
        "store_facet_paths",
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("path", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("entity", "path", name="pk_store_facet_paths"),
    )


def downgrade() -> None:
    op.drop_table("store_facet_paths")
    op.drop_index("ix_store_facets_overflow", "store_facets")
    op.drop_index("ix_store_facets_connector_id_entity_path_value_record_id", "store_facets")
    op.drop_table("store_facets")
