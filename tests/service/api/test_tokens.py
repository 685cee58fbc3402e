"""Application tokens, organizations, scoped tokens, revocation and expiry."""

from __future__ import annotations

import uuid

import httpx

from ashby_agent.service import operator
from ashby_agent.service.security.crypto import Keyring
from ashby_agent.service.security.tokens import TokenSigner
from ashby_agent.service.server import ServiceHandle
from tests.service.tenants import Tenant, assert_error, eventually


def _token_request(http: httpx.Client, client_id: str, secret: str, org: str | None = None) -> httpx.Response:
    headers = {"X-Organization-Id": org} if org is not None else {}
    return http.post(
        "/account/applications/token", json={"client_id": client_id, "client_secret": secret}, headers=headers
    )


def signer(service: ServiceHandle) -> TokenSigner:
    assert service.settings.secret_key is not None
    return TokenSigner(Keyring(service.settings.secret_key).signing_keys)


def test_token_is_signed_expiring_and_names_the_organization(tenant: Tenant) -> None:
    answer = _token_request(tenant.http, tenant.client_id, tenant.client_secret.get_secret_value())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "organization_id"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["organization_id"] == tenant.organization_id
    claims = signer(tenant.service).verify(body["access_token"])
    assert claims.expires_at - claims.issued_at == 900
    assert tenant.get("/workspaces", token=body["access_token"]).status_code == 200


def test_wrong_secret_and_unknown_client_are_401(tenant: Tenant) -> None:
    assert_error(_token_request(tenant.http, tenant.client_id, "nope"), 401, "invalid_client")
    assert_error(_token_request(tenant.http, "no-such-client", "nope"), 401, "invalid_client")


def test_multi_organization_client_must_name_the_organization(
    service: ServiceHandle, http: httpx.Client
) -> None:
    suffix = uuid.uuid4().hex[:8]
    first = operator.create_org(f"multi-a-{suffix}", settings=service.settings)
    second = operator.create_org(f"multi-b-{suffix}", settings=service.settings)
    client = operator.create_client([first.name, second.id], settings=service.settings)
    secret = client.client_secret.get_secret_value()

    body = assert_error(_token_request(http, client.client_id, secret), 400, "organization_required")
    assert "specify target organization" in body["message"]
    assert body["errors"][0]["field"] == "X-Organization-Id"

    for org in (first, second):
        answer = _token_request(http, client.client_id, secret, org=org.id)
        assert answer.status_code == 200, answer.text
        assert answer.json()["organization_id"] == org.id
    assert_error(
        _token_request(http, client.client_id, secret, org="other-org"), 403, "organization_not_allowed"
    )
    # a blank header (clients that always send it) counts as no header: still the 400 naming the fix
    blank = assert_error(_token_request(http, client.client_id, secret, org=""), 400, "organization_required")
    assert "specify target organization" in blank["message"]


def test_blank_organization_header_is_no_header(tenant: Tenant) -> None:
    answer = _token_request(tenant.http, tenant.client_id, tenant.client_secret.get_secret_value(), org="")
    assert answer.status_code == 200, answer.text
    assert answer.json()["organization_id"] == tenant.organization_id
    assert tenant.get("/workspaces", headers={"X-Organization-Id": ""}).status_code == 200


def test_organization_header_must_match_the_token(tenant: Tenant, other_tenant: Tenant) -> None:
    same = tenant.get("/workspaces", headers={"X-Organization-Id": tenant.organization_id})
    assert same.status_code == 200
    other = tenant.get("/workspaces", headers={"X-Organization-Id": other_tenant.organization_id})
    assert_error(other, 403, "organization_mismatch")


def test_scoped_token_is_limited_to_its_workspace(tenant: Tenant) -> None:
    tenant.create_connector("other-ws", "key-1")
    answer = tenant.post("/account/applications/scoped-token", json={"workspace_name": "customer-1"})
    assert answer.status_code == 200, answer.text
    scoped = answer.json()["token"]
    claims = signer(tenant.service).verify(scoped)
    assert claims.expires_at - claims.issued_at == 1200

    info = tenant.get("/account/applications/scoped-token/info", token=scoped)
    assert info.status_code == 200, info.text
    assert info.json()["workspace_name"] == "customer-1"
    assert info.json()["organization_id"] == tenant.organization_id

    listed = tenant.get("/workspaces", token=scoped).json()["data"]
    assert [workspace["name"] for workspace in listed] == ["customer-1"]
    assert tenant.get("/integrations/connectors", token=scoped).json()["data"] == []
    # app-level endpoints refuse scoped tokens, and vice versa
    assert_error(
        tenant.post("/account/applications/scoped-token", json={"workspace_name": "x"}, token=scoped),
        403,
        "application_token_required",
    )
    assert_error(tenant.get("/account/applications/scoped-token/info"), 403, "scoped_token_required")
    workspace_id = info.json()["workspace_id"]
    assert_error(
        tenant.delete(f"/workspaces/{workspace_id}", token=scoped), 403, "application_token_required"
    )


def test_scoped_token_creates_connectors_only_in_its_workspace(tenant: Tenant) -> None:
    scoped = tenant.post("/account/applications/scoped-token", json={"workspace_name": "mine"}).json()[
        "token"
    ]
    body = {"workspace_name": "mine", "connector_type": "Ashby", "credentials": {"api_key": "k"}}
    created = tenant.post("/integrations/connectors", json=body, token=scoped)
    assert created.status_code == 201, created.text
    foreign = tenant.post("/integrations/connectors", json={**body, "workspace_name": "theirs"}, token=scoped)
    assert_error(foreign, 403, "workspace_not_allowed")
    listed = tenant.get("/integrations/connectors", token=scoped).json()["data"]
    assert [item["id"] for item in listed] == [created.json()["id"]]


def test_expired_and_tampered_tokens_are_401(tenant: Tenant) -> None:
    expired = signer(tenant.service).issue(
        "app", tenant.client_id, tenant.organization_id, 900, now=1_000_000
    )
    assert_error(tenant.get("/workspaces", token=expired), 401, "token_expired")
    token = tenant.token()
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload[:-2]}AA.{signature}"
    assert_error(tenant.get("/workspaces", token=tampered), 401, "invalid_token")
    assert_error(tenant.get("/workspaces", token="not-a-token"), 401, "invalid_token")
    missing = tenant.http.get("/workspaces")
    assert_error(missing, 401, "missing_token")
    assert missing.headers["www-authenticate"] == "Bearer"


def test_revoking_a_client_stops_its_tokens_within_the_staleness_bound(tenant: Tenant) -> None:
    token = tenant.token()
    assert tenant.get("/workspaces", token=token).status_code == 200
    operator.revoke_client(tenant.client_id, settings=tenant.service.settings)  # as `ashby-agent admin` does
    assert_error(eventually(lambda: tenant.get("/workspaces", token=token), 401), 401, "client_revoked")
    secret = tenant.client_secret.get_secret_value()
    assert_error(_token_request(tenant.http, tenant.client_id, secret), 401, "invalid_client")
