"""Alembic environment of the context store: run programmatically (see ``ashby_agent.database.migrate``)."""

from __future__ import annotations

from alembic import context

from ashby_agent.store.schema import metadata

config = context.config
context.configure(
    connection=config.attributes["connection"],
    target_metadata=metadata,
    version_table=config.attributes.get("version_table", "store_alembic_version"),
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
