"""``/integrations/connectors``: create (workspace created if missing), check, list, get, update
(credential rotation), delete and inspect. Credentials are encrypted before they reach the database and
never leave it except into a pooled connector's transport.

A connector with ``replication_config`` replicates into the context store: its first sync is scheduled
at creation, then every ``refresh_minutes``; ``inspect`` reports the store's real state per entity, and
deleting the connector deletes its store rows in the same transaction.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import datetime
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from sqlalchemy import Connection, Row
from starlette.responses import Response

from ashby_agent.connectors.ashby.connector import AshbyConnector
from ashby_agent.errors import AshbyAgentError, AuthenticationError
from ashby_agent.service.api.errors import rejected_key_message
from ashby_agent.service.api.routing import Call, Endpoint, reply
from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.jobs.webhook_registration import receiver_path, unregister_webhooks
from ashby_agent.service.security.authentication import Principal
from ashby_agent.service.security.tenancy import find_connector
from ashby_agent.service.store import connectors, workspaces
from ashby_agent.service.store.timestamps import aware
from ashby_agent.store import rows as store_rows
from ashby_agent.wire import (
    ASHBY_DEFINITION_ID,
    CacheEntityReadiness,
    ConnectorCheckOut,
    ConnectorCreate,
    ConnectorList,
    ConnectorOut,
    ConnectorUpdate,
    ContextStoreReadiness,
    InspectOut,
    ReplicationConfigOut,
    WebhookSetupOut,
)

__all__ = ["ENDPOINTS"]

_AUTH_KEYS: Final = ("api_key",)


def _is_ashby(value: str) -> bool:
    return value.strip().lower() in ("ashby", ASHBY_DEFINITION_ID)


def check_connector_type(connector_type: str | None, definition_id: str | None) -> None:
    """Ashby only: ``connector_type`` 'Ashby' (any case) or the definition id, in either field."""
    given = [
        (name, value)
        for name, value in (("connector_type", connector_type), ("definition_id", definition_id))
        if value
    ]
    if not given:
        raise ServiceError(
            422,
            f"Give connector_type 'Ashby' (or definition_id '{ASHBY_DEFINITION_ID}').",
            code="missing",
            field="connector_type",
        )
    for name, value in given:
        if not _is_ashby(value):
            raise ServiceError(
                422,
                f"Unknown {name} '{value}'; this service hosts Ashby connectors only: use connector_type "
                f"'Ashby' or definition_id '{ASHBY_DEFINITION_ID}'.",
                code="unknown_connector_type",
                field=name,
            )


def api_key_of(credentials: dict[str, SecretStr]) -> SecretStr:
    """The Ashby API key, or the contract's 400 naming the keys given (never their values)."""
    if sorted(credentials) != list(_AUTH_KEYS):
        raise ServiceError.bad_request(
            f"Credentials do not match any auth scheme. Provided keys: {sorted(credentials)}. "
            f"Ashby expects: {list(_AUTH_KEYS)}.",
            code="invalid_credentials",
            field="credentials",
        )
    key = credentials["api_key"].get_secret_value().strip()
    if not key:
        raise ServiceError(422, "credentials.api_key is empty.", code="empty", field="credentials.api_key")
    return SecretStr(key)


def connector_out(row: Row[Any]) -> ConnectorOut:
    return ConnectorOut(
        id=row.id,
        name=row.name,
        workspace_id=row.workspace_id,
        workspace_name=row.workspace_name,
        definition_id=row.definition_id,
        replication_config=(
            ReplicationConfigOut(start_date=row.start_date, refresh_minutes=row.refresh_minutes)
            if row.start_date
            else None
        ),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def _scoped_workspace_name(connection: Connection, principal: Principal) -> str | None:
    if principal.workspace_id is None:
        return None
    name = workspaces.name_of(connection, principal.workspace_id)
    return name if name is not None else ""


async def create_connector(call: Call) -> Response:
    body = await call.body(ConnectorCreate)
    check_connector_type(body.connector_type, body.definition_id)
    encrypted = call.state.keyring.encrypt_credentials(api_key_of(body.credentials))
    webhook_secret = call.state.keyring.encrypt_text(secrets.token_urlsafe(32))
    principal = call.principal
    connector_id = str(uuid.uuid4())
    replication = body.replication_config

    def work(connection: Connection) -> Row[Any]:
        scoped_to = _scoped_workspace_name(connection, principal)
        if scoped_to is not None and scoped_to != body.workspace_name:
            raise ServiceError.forbidden(
                f"This scoped token is limited to workspace '{scoped_to}'.",
                code="workspace_not_allowed",
                field="workspace_name",
            )
        workspace = workspaces.ensure(connection, principal.organization_id, body.workspace_name)
        connectors.create(
            connection,
            connector_id=connector_id,
            workspace_id=workspace.id,
            name=body.name or "Ashby",
            definition_id=ASHBY_DEFINITION_ID,
            credentials=encrypted,
            start_date=replication.start_date if replication else None,
            refresh_minutes=replication.refresh_minutes if replication else None,
            webhook_secret=webhook_secret,
        )
        return find_connector(connection, principal, connector_id)

    row = await call.state.run(work)
    if replication is not None:
        await call.state.syncs.schedule_due()  # the first sync starts now, not at the next tick
    return reply(connector_out(row), 201)


async def _check(connector: AshbyConnector, connector_id: str | None = None) -> ConnectorCheckOut:
    """Ask Ashby about the key. A rejected key's message says how to replace it through the service
    (a stored key: rotate it; a key only being tried: send another), never local mode's variable."""
    try:
        await connector.check()
    except AuthenticationError as exc:
        if connector_id is not None:
            message = rejected_key_message(exc, connector_id)
        else:
            code = f", {exc.code}" if exc.code else ""
            message = f"Ashby rejected this API key (HTTP {exc.status}{code}); check the key you sent."
        return ConnectorCheckOut(status="failed", error_message=message)
    except AshbyAgentError as exc:
        return ConnectorCheckOut(status="failed", error_message=exc.message)
    return ConnectorCheckOut(status="succeeded")


async def check_credentials(call: Call) -> Response:
    body = await call.body(ConnectorCreate)
    check_connector_type(body.connector_type, body.definition_id)
    connector = call.state.pool.build(api_key_of(body.credentials))
    try:
        result = await _check(connector)
    finally:
        await connector.aclose()
    return reply(result)


async def check_connector(call: Call) -> Response:
    connector_id = call.path("connector_id")
    row = await call.state.run(
        lambda c: find_connector(c, call.principal, connector_id, with_credentials=True)
    )
    return reply(await _check(await call.state.pooled_connector(row), row.id))


class ConnectorQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    workspace_name: str | None = Field(default=None, max_length=200)
    workspace_id: str | None = Field(default=None, max_length=36)
    definition_id: str | None = Field(default=None, max_length=36)
    connector_type: str | None = Field(default=None, max_length=36)


async def list_connectors(call: Call) -> Response:
    query = call.query(ConnectorQuery)
    for given in (query.definition_id, query.connector_type):
        if given is not None and not _is_ashby(given):
            return reply(ConnectorList(data=[]))
    scope = call.principal.scope
    rows = await call.state.run(
        lambda connection: connectors.list_visible(
            connection, scope, workspace_name=query.workspace_name, workspace_id=query.workspace_id
        )
    )
    return reply(ConnectorList(data=[connector_out(row) for row in rows]))


async def get_connector(call: Call) -> Response:
    connector_id = call.path("connector_id")
    row = await call.state.run(lambda connection: find_connector(connection, call.principal, connector_id))
    return reply(connector_out(row))


async def update_connector(call: Call) -> Response:
    connector_id = call.path("connector_id")
    body = await call.body(ConnectorUpdate)
    replication = body.replication_config
    start_date = replication.start_date if replication is not None else None
    encrypted = (
        call.state.keyring.encrypt_credentials(api_key_of(body.credentials))
        if body.credentials is not None
        else None
    )

    def work(connection: Connection) -> Row[Any]:
        find_connector(connection, call.principal, connector_id)
        connectors.update_fields(
            connection,
            connector_id,
            name=body.name,
            start_date=start_date,
            refresh_minutes=replication.refresh_minutes if replication is not None else None,
            credentials=encrypted,
        )
        return find_connector(connection, call.principal, connector_id)

    row = await call.state.run(work)
    call.state.standing.forget()  # the next execute reads the new name, credentials or schedule
    if body.credentials is not None:
        await call.state.pool.evict(connector_id)
    if start_date is not None:
        await call.state.syncs.schedule_due()
    return reply(connector_out(row))


async def delete_connector(call: Call) -> Response:
    connector_id = call.path("connector_id")

    def work(connection: Connection) -> Row[Any] | None:
        find_connector(connection, call.principal, connector_id)
        row = connectors.for_sync(connection, connector_id)
        connectors.delete_one(connection, connector_id)
        store_rows.drop_connector(connection, connector_id)  # its context-store data, atomically
        return row

    row = await call.state.run(work)
    call.state.standing.forget()
    await call.state.pool.evict(connector_id)
    if row is not None:
        await unregister_webhooks(call.state, row)
    return Response(status_code=204)


async def inspect_connector(call: Call) -> Response:
    connector_id = call.path("connector_id")
    row = await call.state.run(lambda connection: find_connector(connection, call.principal, connector_id))
    readiness = await asyncio.to_thread(call.state.store.readiness, connector_id)
    entities = [CacheEntityReadiness.model_validate(_utc(item)) for item in readiness]
    return reply(
        InspectOut(
            connector_id=row.id,
            workspace_id=row.workspace_id,
            cache_enabled=row.cache_enabled,
            context_store_readiness=ContextStoreReadiness(configured_cache_entities=entities),
            webhooks=_webhook_setup(call, row) if row.start_date else None,
        )
    )


def _utc(item: dict[str, Any]) -> dict[str, Any]:
    """The store's timestamps as UTC (SQLite gives them back naive)."""
    return {key: aware(value) if isinstance(value, datetime) else value for key, value in item.items()}


def _webhook_setup(call: Call, row: Row[Any]) -> WebhookSetupOut:
    path = receiver_path(row.id)
    public_url = call.state.settings.public_url
    if row.webhook_status == "registered":
        return WebhookSetupOut(
            url_path=path,
            status="registered",
            instructions=f"Registered with Ashby: deliveries go to {public_url}{path}.",
        )
    by_hand = (
        f"In Ashby (Admin > Integrations > Webhooks) add a webhook per event type with request URL "
        f"<this service's public URL>{path} and a secret from POST /api/v1/integrations/connectors/"
        f"{row.id}/webhook-secret (shown once; rotating it replaces the old one)."
    )
    if row.webhook_status == "failed":
        return WebhookSetupOut(
            url_path=path,
            status="failed",
            instructions="Registering the webhooks with Ashby failed (check the API key's webhook "
            f"permission); until it is fixed, configure them by hand. {by_hand}",
        )
    hint = (
        " Set ASHBY_AGENT_PUBLIC_URL and the service registers them itself."
        if public_url is None
        else " The service registers them with its first sync."
    )
    return WebhookSetupOut(url_path=path, status="manual", instructions=by_hand + hint)


ENDPOINTS = (
    Endpoint(
        "POST",
        "/integrations/connectors",
        create_connector,
        "any",
        "Create an Ashby connector (and its workspace if missing); credentials are stored encrypted.",
        body=ConnectorCreate,
        response=ConnectorOut,
        status=201,
        errors=(400, 401, 403, 413, 422, 429),
    ),
    Endpoint(
        "POST",
        "/integrations/connectors/check",
        check_credentials,
        "any",
        "Verify credentials against Ashby without storing anything.",
        body=ConnectorCreate,
        response=ConnectorCheckOut,
        errors=(400, 401, 403, 413, 422, 429),
    ),
    Endpoint(
        "GET",
        "/integrations/connectors",
        list_connectors,
        "any",
        "List connectors by workspace_name / workspace_id / definition_id.",
        query=ConnectorQuery,
        response=ConnectorList,
        errors=(401, 403, 422, 429),
    ),
    Endpoint(
        "GET",
        "/integrations/connectors/{connector_id}",
        get_connector,
        "any",
        "One connector (never its credentials).",
        response=ConnectorOut,
        errors=(401, 403, 404, 429),
    ),
    Endpoint(
        "PUT",
        "/integrations/connectors/{connector_id}",
        update_connector,
        "any",
        "Rename, change replication_config, or rotate credentials.",
        body=ConnectorUpdate,
        response=ConnectorOut,
        errors=(400, 401, 403, 404, 413, 422, 429),
    ),
    Endpoint(
        "DELETE",
        "/integrations/connectors/{connector_id}",
        delete_connector,
        "any",
        "Delete a connector and its credentials.",
        status=204,
        errors=(401, 403, 404, 429),
    ),
    Endpoint(
        "POST",
        "/integrations/connectors/{connector_id}/check",
        check_connector,
        "any",
        "Verify a stored connector's credentials against Ashby.",
        response=ConnectorCheckOut,
        errors=(401, 403, 404, 429),
    ),
    Endpoint(
        "GET",
        "/integrations/connectors/{connector_id}/inspect",
        inspect_connector,
        "any",
        "Readiness of the connector's context store per entity.",
        response=InspectOut,
        errors=(401, 403, 404, 429),
    ),
)
