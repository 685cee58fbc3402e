"""Who is calling: bearer tokens verified into a :class:`Principal`, checked against the endpoint's
:data:`Access`, the client's standing and the per-client rate limit.

The token is checked without I/O. The standing comes from
:class:`~ashby_agent.service.security.standing.Standing` (at most a second old; a busy client's entry is
renewed in the background before it expires) and the rate limit from
:class:`~ashby_agent.service.security.admission.Admission`; so a request of a client in good standing and
far from its limit makes no database round trip here. When either must be read, both are settled in one
transaction.

The principal's :attr:`Principal.scope` is what every tenant query is built from
(:mod:`ashby_agent.service.store.scope`), so isolation follows from the token alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection
from starlette.requests import Request

from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.security.tokens import TokenError
from ashby_agent.service.store import clients, ratelimit
from ashby_agent.service.store.scope import Scope
from ashby_agent.wire import control_character_free

if TYPE_CHECKING:
    from ashby_agent.service.state import ServiceState

__all__ = ["Access", "Principal", "authenticate", "organization_header"]

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

    @property
    def scope(self) -> Scope:
        """The rows this caller may see."""
        return Scope(self.organization_id, self.workspace_id)


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
    if not control_character_free(value):
        raise ServiceError.bad_request(
            "The X-Organization-Id header contains control characters; send the organization's id.",
            code="control_characters",
            field="X-Organization-Id",
        )
    return value or None


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
    client_id, organization_id = claims.client_id, claims.organization_id
    standing, admission = state.standing, state.admission
    # A busy client's entry is renewed in the background before it expires, so its requests do not all
    # miss at once; a miss counts in the database first (the window's total is learnt on this process).
    active = standing.client_renewing(
        client_id,
        organization_id,
        lambda: state.read(lambda connection: clients.is_member(connection, client_id, organization_id)),
    )
    if active is True:
        window_start = admission.admit_at_once(client_id, now) if admission.enabled else None
        if window_start is not None:
            state.journal.count(client_id, window_start)
        if window_start is not None or not admission.enabled:
            return Principal(client_id, organization_id, claims.workspace_id)
    wait: int | None = None
    if active is not False:
        read_at = standing.now()

        def check(connection: Connection) -> tuple[bool, int | None]:
            if not clients.is_member(connection, client_id, organization_id):
                return False, None
            if not admission.enabled:
                return True, None
            window = settings.rate_limit_window_seconds
            return True, ratelimit.increment(connection, client_id, now, window)

        member, total = await state.run(check)
        standing.remember_client(client_id, organization_id, member, read_at)
        active = member
        if member and total is not None:
            wait = admission.checked(client_id, now, total)
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
    return Principal(client_id, organization_id, claims.workspace_id)
