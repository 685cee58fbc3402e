"""Tenant isolation, table-driven over every endpoint: a foreign organization's token, a scoped token
of another workspace, an expired and a tampered token. Foreign ids answer exactly like missing ids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ashby_agent.service.api.app import ENDPOINTS
from ashby_agent.service.security.crypto import Keyring
from ashby_agent.service.security.tokens import TokenSigner
from ashby_agent.service.server import ServiceHandle
from tests.service.tenants import Tenant, assert_error, new_tenant

MISSING = "00000000-0000-0000-0000-000000000000"
EXECUTE = {"entity": "departments", "action": "list"}
CREATE = {"workspace_name": "victim-ws", "connector_type": "Ashby", "credentials": {"api_key": "k"}}

# (method, path template, body) for every endpoint that takes an id
BY_ID: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/workspaces/{workspace_id}", None),
    ("PUT", "/workspaces/{workspace_id}", {"name": "stolen"}),
    ("DELETE", "/workspaces/{workspace_id}", None),
    ("GET", "/integrations/connectors/{connector_id}", None),
    ("PUT", "/integrations/connectors/{connector_id}", {"name": "stolen"}),
    ("DELETE", "/integrations/connectors/{connector_id}", None),
    ("POST", "/integrations/connectors/{connector_id}/check", None),
    ("POST", "/integrations/connectors/{connector_id}/sync", None),
    ("POST", "/integrations/connectors/{connector_id}/webhook-secret", None),
    ("GET", "/integrations/connectors/{connector_id}/inspect", None),
    ("POST", "/integrations/connectors/{connector_id}/execute", EXECUTE),
]
# every authenticated endpoint, with a valid body, for the token checks
AUTHENTICATED: list[tuple[str, str, dict[str, Any] | None]] = [
    *BY_ID,
    ("GET", "/workspaces", None),
    ("GET", "/integrations/connectors", None),
    ("POST", "/integrations/connectors", CREATE),
    ("POST", "/integrations/connectors/check", CREATE),
    ("POST", "/account/applications/scoped-token", {"workspace_name": "x"}),
    ("GET", "/account/applications/scoped-token/info", None),
]


def test_the_tables_cover_every_endpoint() -> None:
    covered = {(method, path) for method, path, _ in AUTHENTICATED}
    expected = {(e.method, e.path) for e in ENDPOINTS if e.access != "public"}
    assert covered == expected


@pytest.fixture
def victim(tenant: Tenant) -> dict[str, str]:
    connector = tenant.create_connector("victim-ws", "victim-key")
    return {"connector_id": connector["id"], "workspace_id": connector["workspace_id"]}


def _normalise(body: dict[str, Any], ident: str) -> str:
    return str(body).replace(ident, "<id>")


@pytest.mark.parametrize(("method", "template", "body"), BY_ID)
def test_foreign_organization_sees_404_like_a_missing_id(
    tenant: Tenant, other_tenant: Tenant, victim: dict[str, str], method: str, template: str, body: Any
) -> None:
    path = template.format(**victim)
    ident = victim["workspace_id"] if "workspace_id" in template else victim["connector_id"]
    foreign = other_tenant.request(method, path, json=body)
    missing = other_tenant.request(
        method, template.format(workspace_id=MISSING, connector_id=MISSING), json=body
    )
    assert_error(foreign, 404)
    assert foreign.status_code == missing.status_code
    assert _normalise(foreign.json(), ident) == _normalise(missing.json(), MISSING)
    assert (
        tenant.get(f"/integrations/connectors/{victim['connector_id']}").json()["name"] == "Ashby"
    )  # untouched


@pytest.mark.parametrize(("method", "template", "body"), BY_ID)
def test_scoped_token_of_another_workspace_cannot_reach(
    tenant: Tenant, victim: dict[str, str], method: str, template: str, body: Any
) -> None:
    scoped = tenant.post("/account/applications/scoped-token", json={"workspace_name": "elsewhere"}).json()[
        "token"
    ]
    answer = tenant.request(method, template.format(**victim), json=body, token=scoped)
    if template.startswith("/workspaces/") and method != "GET":
        assert_error(answer, 403, "application_token_required")
    else:
        assert_error(answer, 404)
    assert tenant.get(f"/integrations/connectors/{victim['connector_id']}").status_code == 200


def test_lists_never_show_foreign_data(tenant: Tenant, other_tenant: Tenant, victim: dict[str, str]) -> None:
    assert other_tenant.get("/workspaces").json()["data"] == []
    assert other_tenant.get("/integrations/connectors").json()["data"] == []
    query = f"/integrations/connectors?workspace_id={victim['workspace_id']}"
    assert other_tenant.get(query).json()["data"] == []
    assert other_tenant.get("/integrations/connectors?workspace_name=victim-ws").json()["data"] == []
    # the same workspace name in another organization is another workspace
    mine = other_tenant.create_connector("victim-ws", "k")
    assert mine["workspace_id"] != victim["workspace_id"]
    assert [c["id"] for c in tenant.get("/integrations/connectors").json()["data"]] == [
        victim["connector_id"]
    ]


def _signer(tenant: Tenant) -> TokenSigner:
    assert tenant.service.settings.secret_key is not None
    return TokenSigner(Keyring(tenant.service.settings.secret_key).signing_keys)


@pytest.fixture(scope="module")
def module_tenant(service: ServiceHandle) -> Iterator[tuple[Tenant, dict[str, str]]]:
    """One tenant and connector for the 200-odd token checks below (they change nothing)."""
    with httpx.Client(base_url=service.api_url, timeout=30) as http:
        tenant = new_tenant(service, http)
        connector = tenant.create_connector("victim-ws", "victim-key")
        yield tenant, {"connector_id": connector["id"], "workspace_id": connector["workspace_id"]}


@pytest.mark.parametrize(("method", "template", "body"), AUTHENTICATED)
@pytest.mark.parametrize("kind", ["expired", "tampered", "foreign-key", "missing"])
def test_bad_tokens_are_401_everywhere(
    module_tenant: tuple[Tenant, dict[str, str]], method: str, template: str, body: Any, kind: str
) -> None:
    tenant, victim = module_tenant
    if kind == "expired":
        token = _signer(tenant).issue("app", tenant.client_id, tenant.organization_id, 900, now=1_700_000_000)
    elif kind == "tampered":  # same signature, organization swapped in the payload
        real = tenant.token()
        forged = _signer(tenant).issue("app", tenant.client_id, "another-org", 900)
        token = ".".join([*forged.split(".")[:2], real.split(".")[2]])
    elif kind == "foreign-key":
        token = TokenSigner((b"k" * 32,)).issue("app", tenant.client_id, tenant.organization_id, 900)
    else:
        token = ""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = tenant.http.request(method, template.format(**victim), json=body, headers=headers)
    assert_error(answer, 401)
    assert tenant.get(f"/integrations/connectors/{victim['connector_id']}").status_code == 200
