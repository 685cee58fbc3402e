"""The sync job: one connector's records brought up to date in the context store.

The connector's transport is the pooled one execute uses (same credentials, retries and rate-limit
handling); its ``start_date`` bounds the first pass. A connector deleted while its sync ran leaves no
rows behind: the rows written meanwhile are dropped at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from ashby_agent.service.jobs.webhook_registration import register_webhooks
from ashby_agent.service.state import ServiceState
from ashby_agent.service.store import connectors
from ashby_agent.store import rows
from ashby_agent.store.replicator import SyncReport

__all__ = ["sync_connector"]

_LOG: Final = logging.getLogger("ashby_agent.service.jobs")


def _start_date(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


async def sync_connector(
    state: ServiceState, connector_id: str, entities: Sequence[str] | None = None, *, full: bool = False
) -> SyncReport | None:
    """Replicate ``connector_id`` (``None`` when it no longer exists or does not replicate)."""
    row = await state.run(lambda c: connectors.for_sync(c, connector_id))
    if row is None or row.start_date is None:
        return None
    connector = await state.pooled_connector(row)
    if state.settings.public_url is not None and row.webhook_status is None:
        await register_webhooks(state, row, connector.transport)
        if await state.run(lambda c: connectors.for_sync(c, connector_id)) is None:
            return None  # deleted while registering (its new webhooks deleted too): nothing to sync
    try:
        report = await state.store.replicate(
            connector.transport,
            connector_id,
            entities=list(entities) if entities else None,
            full=full,
            start_date=_start_date(row.start_date),
        )
    finally:
        if await state.run(lambda c: connectors.for_sync(c, connector_id)) is None:
            await state.store.run(lambda c: rows.drop_connector(c, connector_id))
    _LOG.info("synced connector %s: %s", connector_id, "ok" if report.ok else "with failures")
    return report


async def sync_quietly(
    state: ServiceState, connector_id: str, entities: Sequence[str] | None = None, *, full: bool = False
) -> None:
    """:func:`sync_connector` for runners: a failure is logged (by type: messages may hold request data)
    and recorded in the stream's status by the replicator; the next scheduled run retries."""
    try:
        await sync_connector(state, connector_id, entities, full=full)
    except Exception as exc:  # the runner must outlive any one sync
        _LOG.warning("sync of connector %s failed: %s", connector_id, type(exc).__name__)
