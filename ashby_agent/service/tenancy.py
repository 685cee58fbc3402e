"""Who is calling and what they may see: authentication of bearer tokens and the tenant-scoped queries.

Every read of tenant data is built here from a :class:`Principal`, so isolation is decided in one place:
an application token sees its organization's workspaces; a scoped token sees one workspace. Anything
outside that scope is indistinguishable from a missing id (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, Select, select
from starlette.requests import Request

from ashby_agent.service import ratelimit
from ashby_agent.service.errors import ServiceError
from ashby_agent.service.schema import api_clients, client_organizations, connectors, workspaces
from ashby_agent.service.state import ServiceState
from ashby_agent.service.tokens import TokenError

__all__ = [
    "Access",
    "Principal",
    "authenticate",
    "connector_query",
    "organization_header",
    "visible_connectors",
    "visible_workspaces",
]

#: Which tokens an endpoint accepts.
Access = Literal["public", "app", "scoped", "any"]

ORG_HEADER = "x-organization-id"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one request, as its verified token says."""

    client_id: str
    organization_id: str
    #: Set for scoped tokens: the only workspace they may touch.
    workspace_id: str | None = None

    @property
    def scoped(self) -> bool:
        return self.workspace_id is not None


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ServiceError.unauthorized(
            "Missing bearer token: send 'Authorization: Bearer <token>' with a token from "
            "POST /api/v1/account/applications/token.",
            code="missing_token",
        )
    return token.strip()


def organization_header(request: Request) -> str | None:
    """``X-Organization-Id``, stripped; absent when missing or blank (as some clients send it)."""
    value = request.headers.get(ORG_HEADER, "").strip()
    return value or None


def check_client(connection: Connection, client_id: str, organization_id: str) -> bool:
    """The client exists, is not revoked and still belongs to the organization."""
    query = (
        select(api_clients.c.id)
        .join(client_organizations, client_organizations.c.client_id == api_clients.c.id)
        .where(
            api_clients.c.id == client_id,
            api_clients.c.revoked_at.is_(None),
            client_organizations.c.organization_id == organization_id,
        )
    )
    return connection.execute(query).first() is not None


async def authenticate(request: Request, state: ServiceState, access: Access) -> Principal:
    """Verify the token, the organization header, the token kind, the client and the rate limit."""
    try:
        claims = state.signer.verify(_bearer(request), now=state.clock())
    except TokenError as exc:
        code = "token_expired" if "expired" in str(exc) else "invalid_token"
        raise ServiceError.unauthorized(f"Invalid bearer token: {exc}.", code=code) from None
    org_header = organization_header(request)
    if org_header is not None and org_header != claims.organization_id:
        raise ServiceError.forbidden(
            "X-Organization-Id does not match the token's organization; request a token for that "
            "organization (send X-Organization-Id to POST /api/v1/account/applications/token).",
            code="organization_mismatch",
            field="X-Organization-Id",
        )
    if access == "app" and claims.kind != "app":
        raise ServiceError.forbidden(
            "This endpoint needs an application token; scoped tokens are limited to their workspace's "
            "connectors.",
            code="application_token_required",
        )
    if access == "scoped" and claims.kind != "scoped":
        raise ServiceError.forbidden(
            "This endpoint needs a scoped token (POST /api/v1/account/applications/scoped-token).",
            code="scoped_token_required",
        )
    settings = state.settings
    now = state.clock()

    def check(connection: Connection) -> tuple[bool, int | None]:
        if not check_client(connection, claims.client_id, claims.organization_id):
            return False, None
        wait = ratelimit.hit(
            connection,
            claims.client_id,
            now,
            settings.rate_limit_requests,
            settings.rate_limit_window_seconds,
        )
        return True, wait

    active, wait = await state.run(check)
    if not active:
        raise ServiceError.unauthorized(
            "The API client of this token was revoked or removed from the organization.",
            code="client_revoked",
        )
    if wait is not None:
        raise ServiceError(
            429,
            f"Rate limit of {settings.rate_limit_requests} requests per "
            f"{settings.rate_limit_window_seconds} s exceeded for this client; retry after {wait} s.",
            code="rate_limited",
            headers={"Retry-After": str(wait)},
        )
    return Principal(claims.client_id, claims.organization_id, claims.workspace_id)


# --------------------------------------------------------------------------- scoped queries


def visible_workspaces(principal: Principal) -> Select[tuple[object, ...]]:
    """The workspaces this principal may see (all columns)."""
    query = select(workspaces).where(workspaces.c.organization_id == principal.organization_id)
    if principal.workspace_id is not None:
        query = query.where(workspaces.c.id == principal.workspace_id)
    return query


#: Connector columns callers may see: never the credentials.
CONNECTOR_COLUMNS = (
    connectors.c.id,
    connectors.c.name,
    connectors.c.workspace_id,
    connectors.c.definition_id,
    connectors.c.credential_version,
    connectors.c.start_date,
    connectors.c.created_at,
    connectors.c.updated_at,
    workspaces.c.name.label("workspace_name"),
    workspaces.c.status.label("workspace_status"),
    workspaces.c.cache_enabled,
)


def visible_connectors(principal: Principal) -> Select[tuple[object, ...]]:
    """The connectors this principal may see, joined with their workspace; credentials excluded."""
    query = (
        select(*CONNECTOR_COLUMNS)
        .join(workspaces, workspaces.c.id == connectors.c.workspace_id)
        .where(workspaces.c.organization_id == principal.organization_id)
    )
    if principal.workspace_id is not None:
        query = query.where(workspaces.c.id == principal.workspace_id)
    return query


def connector_query(
    principal: Principal, connector_id: str, *, with_credentials: bool = False
) -> Select[tuple[object, ...]]:
    """One connector by id within the principal's scope (credentials only when asked for: execute)."""
    query = visible_connectors(principal).where(connectors.c.id == connector_id)
    if with_credentials:
        query = query.add_columns(connectors.c.credentials)
    return query
