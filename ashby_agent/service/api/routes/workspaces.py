"""``/workspaces``: list (filters, cursor), get, update, delete with everything under them.

Workspaces are listed by name (unique within an organization), so the cursor is simply the last name
seen (versioned, base64-encoded); a page never skips or repeats a workspace however the list changes.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from ashby_agent.service.api.routing import Call, Endpoint, reply
from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.jobs.webhook_registration import unregister_webhooks
from ashby_agent.service.security.tenancy import find_workspace
from ashby_agent.service.store import connectors, workspaces
from ashby_agent.service.store.timestamps import aware
from ashby_agent.store import rows as store_rows
from ashby_agent.wire import WorkspaceList, WorkspaceOut, WorkspaceUpdate, control_character_free

__all__ = ["ENDPOINTS"]


class WorkspaceQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    name_contains: str | None = Field(default=None, max_length=200)
    status: Literal["active", "inactive"] | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=1000)


def workspace_out(row: Row[Any]) -> WorkspaceOut:
    return WorkspaceOut(
        id=row.id,
        name=row.name,
        organization_id=row.organization_id,
        status=row.status,
        cache_enabled=row.cache_enabled,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


_CURSOR_PREFIX = "ws1:"


def _encode_cursor(name: str) -> str:
    return base64.urlsafe_b64encode((_CURSOR_PREFIX + name).encode()).decode("ascii")


def _decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
        if not text.startswith(_CURSOR_PREFIX) or not control_character_free(text):
            raise ValueError(cursor)
        return text.removeprefix(_CURSOR_PREFIX)
    except (UnicodeError, ValueError, binascii.Error):
        raise ServiceError.bad_request(
            "The cursor is not one this API issued; restart the listing without cursor.",
            code="invalid_cursor",
            field="cursor",
        ) from None


async def list_workspaces(call: Call) -> Response:
    query = call.query(WorkspaceQuery)
    after = _decode_cursor(query.cursor) if query.cursor else None
    scope = call.principal.scope
    rows = await call.state.run(
        lambda connection: workspaces.list_page(
            connection,
            scope,
            limit=query.limit + 1,
            name_contains=query.name_contains,
            status=query.status,
            after=after,
        )
    )
    page = rows[: query.limit]
    next_url = None
    if len(rows) > query.limit:
        next_url = str(call.request.url.include_query_params(cursor=_encode_cursor(page[-1].name)))
    return reply(WorkspaceList(data=[workspace_out(row) for row in page], next=next_url))


async def get_workspace(call: Call) -> Response:
    workspace_id = call.path("workspace_id")
    row = await call.state.run(lambda connection: find_workspace(connection, call.principal, workspace_id))
    return reply(workspace_out(row))


async def update_workspace(call: Call) -> Response:
    workspace_id = call.path("workspace_id")
    body = await call.body(WorkspaceUpdate)
    changes = body.model_dump(exclude_none=True)

    def work(connection: Connection) -> Row[Any]:
        find_workspace(connection, call.principal, workspace_id)
        if changes:
            workspaces.update_fields(connection, workspace_id, changes)
        return find_workspace(connection, call.principal, workspace_id)

    try:
        row = await call.state.run(work)
    except IntegrityError:
        raise ServiceError(
            409,
            f"A workspace named '{body.name}' already exists in this organization; choose another name.",
            code="workspace_name_taken",
            field="name",
        ) from None
    call.state.standing.forget()  # a deactivated workspace stops executing at once
    return reply(workspace_out(row))


async def delete_workspace(call: Call) -> Response:
    workspace_id = call.path("workspace_id")

    def work(connection: Connection) -> list[Row[Any]]:
        find_workspace(connection, call.principal, workspace_id)
        rows = connectors.for_sync_in_workspace(connection, workspace_id)  # their webhook ids
        for connector_id in workspaces.delete_with_connectors(connection, workspace_id):
            store_rows.drop_connector(connection, connector_id)  # their context-store data, atomically
        return rows

    rows = await call.state.run(work)
    call.state.standing.forget()
    await call.state.pool.evict(*(row.id for row in rows))
    for row in rows:  # after the commit, as for one connector: Ashby's webhooks are best effort
        await unregister_webhooks(call.state, row)
    return Response(status_code=204)


ENDPOINTS = (
    Endpoint(
        "GET",
        "/workspaces",
        list_workspaces,
        "any",
        "List workspaces (by name), filtered by name_contains and status.",
        query=WorkspaceQuery,
        response=WorkspaceList,
        errors=(400, 401, 403, 422, 429),
    ),
    Endpoint(
        "GET",
        "/workspaces/{workspace_id}",
        get_workspace,
        "any",
        "One workspace.",
        response=WorkspaceOut,
        errors=(401, 403, 404, 429),
    ),
    Endpoint(
        "PUT",
        "/workspaces/{workspace_id}",
        update_workspace,
        "app",
        "Rename, (de)activate or toggle the cache of a workspace.",
        body=WorkspaceUpdate,
        response=WorkspaceOut,
        errors=(400, 401, 403, 404, 409, 413, 422, 429),
    ),
    Endpoint(
        "DELETE",
        "/workspaces/{workspace_id}",
        delete_workspace,
        "app",
        "Delete a workspace with its connectors, credentials, context store data and the webhooks the "
        "service registered in Ashby.",
        status=204,
        errors=(401, 403, 404, 429),
    ),
)
