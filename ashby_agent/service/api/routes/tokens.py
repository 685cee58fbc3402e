"""``/account/applications/*``: application tokens, scoped tokens and the scoped token's info.

Failed client-secret attempts are limited per client id and per source address before the secret is
checked (:mod:`ashby_agent.service.security.secret_attempts`).
"""

from __future__ import annotations

import anyio.to_thread
from sqlalchemy import Connection
from starlette.responses import Response

from ashby_agent.service.api.routing import Call, Endpoint, reply
from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.security.authentication import organization_header
from ashby_agent.service.security.crypto import verify_secret
from ashby_agent.service.security.secret_attempts import SECRET_ATTEMPTS
from ashby_agent.service.security.tenancy import find_workspace
from ashby_agent.service.store import clients, ratelimit, workspaces
from ashby_agent.wire import (
    ScopedTokenInfo,
    ScopedTokenOut,
    ScopedTokenRequest,
    TokenOut,
    TokenRequest,
)

__all__ = ["ENDPOINTS"]


def _choose_organization(header: str | None, organizations: list[str]) -> str:
    if header is not None:
        if header not in organizations:
            raise ServiceError.forbidden(
                f"This client does not belong to organization '{header}'; "
                f"use one of: {', '.join(organizations)}.",
                code="organization_not_allowed",
                field="X-Organization-Id",
            )
        return header
    if len(organizations) == 1:
        return organizations[0]
    if not organizations:
        raise ServiceError.forbidden(
            "This client belongs to no organization; add it to one (ashby-agent admin create-client --org).",
            code="no_organization",
        )
    raise ServiceError.bad_request(
        "This client belongs to several organizations: specify target organization with the "
        f"X-Organization-Id header (one of: {', '.join(organizations)}).",
        code="organization_required",
        field="X-Organization-Id",
    )


async def create_token(call: Call) -> Response:
    body = await call.body(TokenRequest)
    state = call.state
    address = call.request.client.host if call.request.client else ""
    attempted = state.clock()

    def lookup(connection: Connection) -> tuple[str | None, list[str]]:
        SECRET_ATTEMPTS.refuse_if_exhausted(connection, body.client_id, address, attempted)
        return clients.credentials_of(connection, body.client_id)

    secret_hash, organizations = await state.run(lookup)
    # scrypt outside the transaction: ~50 ms of CPU must not hold a database lock.
    if not await anyio.to_thread.run_sync(verify_secret, body.client_secret, secret_hash):
        await state.run(
            lambda connection: SECRET_ATTEMPTS.record_failure(connection, body.client_id, address, attempted)
        )
        raise ServiceError.unauthorized(
            "Invalid client credentials: check client_id and client_secret (or create a client with "
            "ashby-agent admin create-client).",
            code="invalid_client",
        )
    organization_id = _choose_organization(organization_header(call.request), organizations)
    settings = state.settings
    now = state.clock()
    wait = await state.run(
        lambda connection: ratelimit.hit(
            connection, body.client_id, now, settings.rate_limit_requests, settings.rate_limit_window_seconds
        )
    )
    if wait is not None:
        raise ServiceError(
            429,
            f"Rate limit exceeded; retry after {wait} s.",
            code="rate_limited",
            headers={"Retry-After": str(wait)},
        )
    ttl = settings.token_ttl_seconds
    token = state.signer.issue("app", body.client_id, organization_id, ttl, now=now)
    return reply(TokenOut(access_token=token, expires_in=ttl, organization_id=organization_id))


async def create_scoped_token(call: Call) -> Response:
    body = await call.body(ScopedTokenRequest)
    principal = call.principal
    workspace = await call.state.run(
        lambda connection: workspaces.ensure(connection, principal.organization_id, body.workspace_name)
    )
    ttl = call.state.settings.scoped_token_ttl_seconds
    token = call.state.signer.issue(
        "scoped",
        principal.client_id,
        principal.organization_id,
        ttl,
        workspace_id=workspace.id,
        now=call.state.clock(),
    )
    return reply(ScopedTokenOut(token=token, expires_in=ttl))


async def scoped_token_info(call: Call) -> Response:
    principal = call.principal
    workspace_id = principal.workspace_id or ""
    row = await call.state.run(lambda connection: find_workspace(connection, principal, workspace_id))
    return reply(
        ScopedTokenInfo(organization_id=row.organization_id, workspace_id=row.id, workspace_name=row.name)
    )


ENDPOINTS = (
    Endpoint(
        "POST",
        "/account/applications/token",
        create_token,
        "public",
        "Exchange client credentials for an application token (X-Organization-Id picks the organization "
        "of a multi-organization client).",
        body=TokenRequest,
        response=TokenOut,
        errors=(400, 401, 403, 413, 422, 429),
    ),
    Endpoint(
        "POST",
        "/account/applications/scoped-token",
        create_scoped_token,
        "app",
        "A token limited to one workspace (created if missing).",
        body=ScopedTokenRequest,
        response=ScopedTokenOut,
        errors=(400, 401, 403, 413, 422, 429),
    ),
    Endpoint(
        "GET",
        "/account/applications/scoped-token/info",
        scoped_token_info,
        "scoped",
        "The organization and workspace of a scoped token.",
        response=ScopedTokenInfo,
        errors=(401, 403, 404, 429),
    ),
)
