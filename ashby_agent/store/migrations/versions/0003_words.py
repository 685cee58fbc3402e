"""Words of the word-indexed text fields, and each field's vocabulary (fast ``fuzzy`` and ``keyword``).

Revision ID: store_0003
Revises: store_0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "store_0003"
down_revision = "store_0002"
branch_labels = None
depends_on = None


def _binary(size: int) -> sa.types.TypeEngine[str]:
    return sa.String(size).with_variant(sa.String(size, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "store_words",
        sa.Column("connector_id", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("word", _binary(255), nullable=False),
        sa.Column("record_id", _binary(200), nullable=False),
        sa.PrimaryKeyConstraint(
            "connector_id", "entity", "field", "word", "record_id", name="pk_store_words"
        ),
    )
    op.create_index(
        "ix_store_words_connector_id_entity_record_id", "store_words", ["connector_id", "entity", "record_id"]
    )
    op.create_table(
        "store_vocabulary",
        sa.Column("connector_id", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("word", _binary(255), nullable=False),
        sa.PrimaryKeyConstraint("connector_id", "entity", "field", "word", name="pk_store_vocabulary"),
    )


def downgrade() -> None:
    op.drop_table("store_vocabulary")
    op.drop_index("ix_store_words_connector_id_entity_record_id", "store_words")
    op.drop_table("store_words")
