"""Replication extensions on ``/integrations/connectors/{id}``: ``POST .../sync`` (202; asking again
while a sync waits to start changes nothing, and one running is followed by at most one more) and
``POST .../webhook-secret`` (a new webhook signing secret, shown once; the service keeps it encrypted).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Connection, Row
from starlette.responses import Response

from ashby_agent.service.api.routing import Call, Endpoint, reply
from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.jobs.webhook_registration import receiver_path, update_secret
from ashby_agent.service.security.tenancy import find_connector
from ashby_agent.service.store import connectors
from ashby_agent.store.plan import select_streams
from ashby_agent.wire import SyncAccepted, SyncRequest, WebhookSecretOut

__all__ = ["ENDPOINTS"]


def _replicating(row: Row[Any]) -> None:
    if row.start_date is None:
        raise ServiceError(
            409,
            "This connector does not replicate: set replication_config.start_date (PUT the connector) first.",
            code="replication_not_configured",
            field="replication_config",
        )


async def sync_connector(call: Call) -> Response:
    connector_id = call.path("connector_id")
    raw = await call.request.body()
    body = await call.body(SyncRequest) if raw.strip() else SyncRequest()
    if body.entities is not None:
        select_streams(body.entities)  # unknown names: the 422 naming the replicable ones
    row = await call.state.run(lambda c: find_connector(c, call.principal, connector_id))
    _replicating(row)
    await call.state.syncs.request(connector_id, body.entities, full=body.full)
    return reply(SyncAccepted(connector_id=connector_id), 202)


async def rotate_webhook_secret(call: Call) -> Response:
    connector_id = call.path("connector_id")
    secret = secrets.token_urlsafe(32)
    encrypted = call.state.keyring.encrypt_text(secret)

    def work(connection: Connection) -> Row[Any]:
        find_connector(connection, call.principal, connector_id)
        connectors.set_webhook_secret(connection, connector_id, encrypted)
        row = connectors.for_sync(connection, connector_id)
        assert row is not None
        return row

    row = await call.state.run(work)
    await update_secret(call.state, row, secret)
    return reply(
        WebhookSecretOut(connector_id=connector_id, url_path=receiver_path(connector_id), secret=secret)
    )


ENDPOINTS = (
    Endpoint(
        "POST",
        "/integrations/connectors/{connector_id}/sync",
        sync_connector,
        "any",
        "Extension: sync the connector's context store now (202; a no-op while a sync waits to start). "
        'Optional body: {"entities": [...], "full": false}.',
        response=SyncAccepted,
        status=202,
        errors=(400, 401, 403, 404, 409, 413, 422, 429),
    ),
    Endpoint(
        "POST",
        "/integrations/connectors/{connector_id}/webhook-secret",
        rotate_webhook_secret,
        "any",
        "Extension: a new secret for signing Ashby webhooks to this connector, shown once.",
        response=WebhookSecretOut,
        errors=(401, 403, 404, 429),
    ),
)
