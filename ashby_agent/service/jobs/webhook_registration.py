"""Registering a connector's webhooks with Ashby (``webhook.create``), when the service knows its public
URL: one webhook per event type the store applies, signed with the connector's secret.

It runs once per connector, before its first sync; the outcome (``registered`` or ``failed``) and the
created webhook ids are kept on the connector, and ``inspect`` shows them. Without a public URL, or
after a failure, the webhooks are configured by hand (``inspect`` says how). A deletion or a secret
rotation that ran while the webhooks were being created found no ids yet: recording the outcome
catches up with it (deletes the new webhooks, or gives them the new secret).
"""

from __future__ import annotations

import logging
from typing import Any, Final

import orjson
from sqlalchemy import Connection, Row

from ashby_agent.errors import AshbyAgentError, NotFoundError
from ashby_agent.service.state import ServiceState
from ashby_agent.service.store import connectors
from ashby_agent.store.webhooks import REFRESHES
from ashby_agent.transports.ashby import AshbyTransport
from ashby_agent.transports.base import Transport

__all__ = ["EVENT_TYPES", "receiver_path", "register_webhooks", "unregister_webhooks", "update_secret"]

_LOG: Final = logging.getLogger("ashby_agent.service.jobs")

#: Every event the store acts on: the ones that refresh entities, and the deletions lists never report.
EVENT_TYPES: Final = tuple(sorted({*REFRESHES, "candidateDelete", "candidateMerge", "offerDelete"}))


def receiver_path(connector_id: str) -> str:
    """The webhook receiver's path, under the service's base URL."""
    return f"/api/v1/webhooks/ashby/{connector_id}"


async def register_webhooks(state: ServiceState, row: Row[Any], transport: Transport) -> None:
    """Create the connector's webhooks in Ashby and record the outcome (never raises for Ashby errors)."""
    if state.settings.public_url is None or row.webhook_secret is None:
        return
    if not isinstance(transport, AshbyTransport):
        return
    secret = state.keyring.decrypt_text(row.webhook_secret)
    url = state.settings.public_url + receiver_path(row.id)
    created: list[str] = []
    status = "registered"
    try:
        for event_type in EVENT_TYPES:
            envelope = await transport.post(
                "webhook.create",
                {"webhookType": event_type, "requestUrl": url, "secretToken": secret},
                idempotent=False,
            )
            results = envelope.get("results")
            if isinstance(results, dict) and isinstance(results.get("id"), str):
                created.append(results["id"])
    except AshbyAgentError as exc:
        status = "failed"
        _LOG.warning("registering the webhooks of connector %s failed: %s", row.id, type(exc).__name__)
    ids = orjson.dumps(created).decode()

    def record(connection: Connection) -> Row[Any] | None:
        if not connectors.set_webhooks(connection, row.id, status, ids):
            return None
        return connectors.for_sync(connection, row.id)

    current = await state.run(record)
    # A deletion or a secret rotation that ran meanwhile saw no webhook ids: finish its work here.
    if current is None:
        await _delete_webhooks(transport, row.id, created)
    elif created and current.webhook_secret != row.webhook_secret:
        await update_secret(state, current, state.keyring.decrypt_text(current.webhook_secret))


async def update_secret(state: ServiceState, row: Row[Any], secret: str) -> None:
    """Give the connector's registered webhooks (if any) its new secret (``webhook.update``)."""
    ids = orjson.loads(row.webhook_ids) if row.webhook_ids else []
    if not ids:
        return
    transport = (await state.pooled_connector(row)).transport
    if not isinstance(transport, AshbyTransport):
        return
    try:
        for webhook_id in ids:
            await transport.post(
                "webhook.update", {"webhookId": webhook_id, "secretToken": secret}, idempotent=False
            )
    except AshbyAgentError as exc:
        _LOG.warning("updating the webhooks of connector %s failed: %s", row.id, type(exc).__name__)
        await state.run(lambda c: connectors.set_webhooks(c, row.id, "failed", row.webhook_ids))


async def unregister_webhooks(state: ServiceState, row: Row[Any]) -> None:
    """Delete the webhooks the service created for a connector being deleted (best effort: a failure
    leaves deliveries that the receiver refuses with 401, since the connector is gone)."""
    ids = orjson.loads(row.webhook_ids) if row.webhook_ids else []
    if not ids:
        return
    connector = state.pool.build(state.keyring.decrypt_credentials(row.credentials))
    try:
        await _delete_webhooks(connector.transport, row.id, ids)
    finally:
        await connector.aclose()


async def _delete_webhooks(transport: Transport, connector_id: str, ids: list[str]) -> None:
    """``webhook.delete`` each of ``ids``; one already deleted in Ashby is skipped, any other failure is
    logged and stops there (the connector is gone: nothing can retry)."""
    if not isinstance(transport, AshbyTransport):
        return
    try:
        for webhook_id in ids:
            try:
                await transport.post("webhook.delete", {"webhookId": webhook_id}, idempotent=False)
            except NotFoundError:
                continue  # removed by hand in Ashby: the others still go
    except AshbyAgentError as exc:
        _LOG.warning("deleting the webhooks of connector %s failed: %s", connector_id, type(exc).__name__)
