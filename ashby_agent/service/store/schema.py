"""The service's tables (SQLAlchemy Core). Migrations in ``migrations/versions`` create exactly these;
``tests/service/store/test_migrations.py`` compares the two on SQLite and PostgreSQL.

Ids are UUID strings (portable across SQLite and PostgreSQL). Audit rows keep ids as plain strings
without foreign keys, so deleting a workspace keeps its history.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "api_clients",
    "audit_log",
    "client_organizations",
    "connectors",
    "metadata",
    "organizations",
    "rate_limits",
    "service_meta",
    "workspaces",
]

metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    }
)


def _timestamps() -> tuple[Column[object], Column[object]]:
    return (
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )


organizations = Table(
    "organizations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_clients = Table(
    "api_clients",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    #: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``; the secret itself is shown once and never stored.
    Column("secret_hash", String(300), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

client_organizations = Table(
    "client_organizations",
    metadata,
    Column("client_id", String(36), ForeignKey("api_clients.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organization_id", String(36), ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    ),
)

workspaces = Table(
    "workspaces",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "organization_id",
        String(36),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("name", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("cache_enabled", Boolean, nullable=False),
    *_timestamps(),
    UniqueConstraint("organization_id", "name", name="uq_workspaces_organization_id_name"),
)

connectors = Table(
    "connectors",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "workspace_id",
        String(36),
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("name", String(200), nullable=False),
    Column("definition_id", String(36), nullable=False),
    #: Fernet token of ``{"api_key": ...}`` (see crypto.py); never selected by list/get queries.
    Column("credentials", Text, nullable=False),
    #: Bumped on every credential change: keys the pooled connector cache.
    Column("credential_version", Integer, nullable=False),
    #: ``YYYY-MM-DDTHH:MM:SSZ`` or NULL.
    Column("start_date", String(20), nullable=True),
    *_timestamps(),
    #: Minutes between scheduled syncs; NULL: the service's default.
    Column("refresh_minutes", Integer, nullable=True),
    #: When the next scheduled sync is due; NULL: never (no replication_config).
    Column("next_sync_at", DateTime(timezone=True), nullable=True),
    #: Fernet token of the webhook signing secret (see crypto.py); never selected by list/get queries.
    Column("webhook_secret", Text, nullable=True),
    #: The writes the connector may make (``read``, ``comment``, ``write``); only an operator raises it.
    Column("access", String(16), nullable=False, server_default="read"),
    #: The personal data replaced in its answers (``emails,phones,custom:Salary``); NULL: none.
    Column("redact", Text, nullable=True),
    #: ``registered`` / ``failed`` when the service registered its webhooks with Ashby, else NULL.
    Column("webhook_status", String(20), nullable=True),
    #: JSON list of the Ashby webhook ids the service created (deleted with the connector).
    Column("webhook_ids", Text, nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("client_id", String(36), nullable=False),
    Column("organization_id", String(36), nullable=False),
    Column("workspace_id", String(36), nullable=False),
    Column("connector_id", String(36), nullable=False),
    Column("entity", String(100), nullable=False),
    Column("action", String(50), nullable=False),
    Column("intent", String(500), nullable=True),
    #: A write's target record ids (the ids among its params), comma-separated; NULL for reads.
    Column("record_ids", Text, nullable=True),
    #: ``success`` or the error code returned.
    Column("status", String(100), nullable=False),
    Column("http_status", Integer, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Index("ix_audit_log_organization_id_at", "organization_id", "at"),
)

rate_limits = Table(
    "rate_limits",
    metadata,
    Column("client_id", String(36), primary_key=True),
    #: Start of the fixed window, seconds since the epoch.
    Column("window_start", BigInteger, primary_key=True),
    Column("count", Integer, nullable=False),
)

service_meta = Table(
    "service_meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)
