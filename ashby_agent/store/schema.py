"""The context store's tables. Every row belongs to one connector (the tenant): all keys start with it.

* ``store_records`` — one row per replicated record, in Ashby's wire form (``data``), with the columns a
  query filters and sorts on most (``created_at``, ``updated_at``, ``archived``, ``parent_id``) and the
  number of the pass that last saw it (``pass_number``), which is how a full re-read finds what is gone.
* ``store_streams`` — per (connector, entity): status, the committed ``syncToken``, and the checkpoint of
  the pass in progress (mode, cursor, last finished parent), written in the same transaction as each
  page's rows.
* ``store_aliases`` — merged candidates: the old id and the surviving one.
* ``store_webhook_events`` — ``webhookActionId``s already applied (deliveries are retried; apply once).
* ``store_words`` / ``store_vocabulary`` — the words of the text fields declared word-indexed, per record,
  and every word ever seen per field: ``fuzzy`` tests the (small) vocabulary, then finds the records by
  word, instead of testing every record's text.
* ``store_facets`` — per record and faceted path (``FACETED`` in :mod:`ashby_agent.store.query.indexes`),
  the value as text (null when missing), or ``overflow`` when the value is not text of at most
  :data:`MAX_FACET` characters; ``store_facet_paths`` names the paths every stored record has a row of
  (back-filled when a path is first declared). Aggregates on faceted paths read these narrow rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "MAX_FACET",
    "aliases",
    "facet_paths",
    "facets",
    "metadata",
    "records",
    "streams",
    "vocabulary",
    "webhook_events",
    "words",
]

metadata = sa.MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    }
)

#: JSONB on PostgreSQL (indexable, compact), JSON text on SQLite.
Document = sa.JSON().with_variant(JSONB(), "postgresql")
_ID = 200


def _binary(size: int) -> sa.types.TypeEngine[str]:
    """Text compared byte by byte on both backends (the "C" collation on PostgreSQL), so that ids and
    instants sort the same everywhere."""
    return sa.String(size).with_variant(sa.String(size, collation="C"), "postgresql")


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


records = sa.Table(
    "store_records",
    metadata,
    sa.Column("connector_id", sa.String(_ID), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("record_id", _binary(_ID), nullable=False),
    sa.Column("parent_id", _binary(_ID), nullable=True),
    sa.Column("data", Document, nullable=False),
    sa.Column("created_at", _binary(40), nullable=True),
    sa.Column("updated_at", _binary(40), nullable=True),
    sa.Column("archived", sa.Boolean(), nullable=False),
    sa.Column("pass_number", sa.Integer(), nullable=False),
    sa.Column("synced_at", _tz(), nullable=False),
    sa.PrimaryKeyConstraint("connector_id", "entity", "record_id"),
    sa.Index(None, "connector_id", "entity", "created_at"),
    sa.Index(None, "connector_id", "entity", "updated_at"),
    # Only the records of per-parent lists (most records have no parent: no entry to write).
    sa.Index(
        None,
        "connector_id",
        "entity",
        "parent_id",
        sqlite_where=sa.text("parent_id IS NOT NULL"),
        postgresql_where=sa.text("parent_id IS NOT NULL"),
    ),
)

streams = sa.Table(
    "store_streams",
    metadata,
    sa.Column("connector_id", sa.String(_ID), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("sync_token", sa.Text(), nullable=True),
    sa.Column("pass_number", sa.Integer(), nullable=False),
    sa.Column("pass_mode", sa.String(16), nullable=True),
    sa.Column("pass_token", sa.Text(), nullable=True),
    sa.Column("pass_cursor", sa.Text(), nullable=True),
    sa.Column("pass_parent", sa.String(_ID), nullable=True),
    sa.Column("pass_started_at", _tz(), nullable=True),
    sa.Column("record_count", sa.Integer(), nullable=False),
    sa.Column("last_error", sa.Text(), nullable=True),
    sa.Column("last_synced_at", _tz(), nullable=True),
    sa.Column("last_duration_ms", sa.Integer(), nullable=True),
    sa.Column("updated_at", _tz(), nullable=False),
    sa.PrimaryKeyConstraint("connector_id", "entity"),
)

aliases = sa.Table(
    "store_aliases",
    metadata,
    sa.Column("connector_id", sa.String(_ID), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("old_id", sa.String(_ID), nullable=False),
    sa.Column("new_id", sa.String(_ID), nullable=False),
    sa.Column("created_at", _tz(), nullable=False),
    sa.PrimaryKeyConstraint("connector_id", "entity", "old_id"),
)

#: Idempotency keys of local writes: a repeat of a key answers the first call's result (24 hours).
write_keys = sa.Table(
    "store_write_keys",
    metadata,
    sa.Column("connector_id", sa.String(_ID), nullable=False),
    sa.Column("idempotency_key", sa.String(255), nullable=False),
    sa.Column("operation", sa.String(200), nullable=False),
    sa.Column("params_hash", sa.String(64), nullable=False),
    sa.Column("answer", sa.Text(), nullable=True),  # null while the write runs
    sa.Column("created_at", _tz(), nullable=False),
    sa.PrimaryKeyConstraint("connector_id", "idempotency_key"),
)

webhook_events = sa.Table(
    "store_webhook_events",
    metadata,
    sa.Column("connector_id", sa.String(_ID), nullable=False),
    sa.Column("action_id", sa.String(_ID), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("received_at", _tz(), nullable=False),
    sa.PrimaryKeyConstraint("connector_id", "action_id"),
)

words = sa.Table(
    "store_words",
    metadata,
    sa.Column("connector_id", sa.String(_ID), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("field", sa.String(200), nullable=False),
    sa.Column("word", _binary(255), nullable=False),
    sa.Column("record_id", _binary(_ID), nullable=False),
    sa.PrimaryKeyConstraint("connector_id", "entity", "field", "word", "record_id"),
    sa.Index(None, "connector_id", "entity", "record_id"),
    # The key holds the whole row: two B-tree entries per word, not three (rowid, key, by record).
    sqlite_with_rowid=False,
)

vocabulary = sa.Table(
    "store_vocabulary",
    metadata,
    sa.Column("connector_id", sa.String(_ID), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("field", sa.String(200), nullable=False),
    sa.Column("word", _binary(255), nullable=False),
    sa.PrimaryKeyConstraint("connector_id", "entity", "field", "word"),
)

#: The longest facet value kept (characters): a PostgreSQL B-tree entry holds at most ~2.7 kB.
MAX_FACET = 500

facets = sa.Table(
    "store_facets",
    metadata,
    sa.Column("connector_id", sa.String(_ID), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("record_id", _binary(_ID), nullable=False),
    sa.Column("path", sa.String(200), nullable=False),
    sa.Column("value", sa.Text().with_variant(sa.Text(collation="C"), "postgresql"), nullable=True),
    sa.Column("overflow", sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint("connector_id", "entity", "record_id", "path"),
    sa.Index(None, "connector_id", "entity", "path", "value", "record_id"),
    sa.Index(
        "ix_store_facets_overflow",
        "connector_id",
        "entity",
        "path",
        sqlite_where=sa.text("overflow"),
        postgresql_where=sa.text("overflow"),
    ),
    sqlite_with_rowid=False,
)

facet_paths = sa.Table(
    "store_facet_paths",
    metadata,
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("path", sa.String(200), nullable=False),
    sa.PrimaryKeyConstraint("entity", "path"),
)
