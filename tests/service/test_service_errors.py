"""Bad input on every endpoint gets the error envelope, and the service keeps serving."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tenants import Tenant, assert_error

from ashby_agent.service.app import ENDPOINTS
from ashby_agent.service.routing import API_PREFIX

ZERO = "00000000-0000-0000-0000-000000000000"
BODY_ENDPOINTS = [(e.method, e.path) for e in ENDPOINTS if e.body is not None]


def _path(tenant: Tenant, template: str, connector: dict[str, Any]) -> str:
    return template.format(connector_id=connector["id"], workspace_id=connector["workspace_id"])


@pytest.fixture
def connector(tenant: Tenant) -> dict[str, Any]:
    return tenant.create_connector("errors", "k")


@pytest.mark.parametrize(("method", "template"), BODY_ENDPOINTS)
def test_malformed_bodies(tenant: Tenant, connector: dict[str, Any], method: str, template: str) -> None:
    path = _path(tenant, template, connector)
    send = lambda content: tenant.request(  # noqa: E731
        method, path, content=content, headers={"Content-Type": "application/json"}
    )
    assert_error(send(b"{not json"), 400, "malformed_json")
    assert_error(send(b""), 400, "empty_body")
    assert_error(send(b"[1, 2]"), 422, "object_expected")
    assert_error(send(b'"text"'), 422, "object_expected")
    assert_error(send(b'{"unknown_field_x": 1}'), 422, "extra_forbidden")
    assert_error(send(b"\xff\xfe"), 400, "malformed_json")
    assert tenant.get("/workspaces").status_code == 200


def test_wrong_types_name_the_field(tenant: Tenant, connector: dict[str, Any]) -> None:
    path = f"/integrations/connectors/{connector['id']}/execute"
    body = assert_error(
        tenant.post(path, json={"entity": "jobs", "action": "list", "skip_truncation": "yes"}), 422
    )
    assert body["errors"][0]["field"] == "skip_truncation"
    body = assert_error(
        tenant.post(path, json={"entity": "jobs", "action": "list", "select_fields": "id"}), 422
    )
    assert body["errors"][0]["field"] == "select_fields"
    body = assert_error(tenant.post(path, json={"action": "list"}), 422, "missing")
    assert body["errors"][0]["field"] == "entity"


def test_oversized_bodies_are_413(tenant: Tenant, connector: dict[str, Any]) -> None:
    path = f"/integrations/connectors/{connector['id']}/execute"
    big = b'{"entity": "' + b"x" * (2 * 1024 * 1024) + b'", "action": "list"}'
    assert_error(tenant.post(path, content=big), 413, "payload_too_large")

    def chunks() -> Any:  # no Content-Length: the limit applies while streaming
        for _ in range(40):
            yield b" " * 65536

    assert_error(tenant.post(path, content=chunks()), 413, "payload_too_large")
    assert tenant.post(path, json={"entity": "jobs", "action": "lst"}).status_code == 422


def test_unknown_routes_and_methods(tenant: Tenant) -> None:
    assert_error(tenant.get("/nothing-here"), 404, "route_not_found")
    assert_error(
        tenant.http.get("http://" + tenant.http.base_url.host + ":" + str(tenant.http.base_url.port)), 404
    )
    assert_error(tenant.request("PATCH", "/workspaces"), 405, "method_not_allowed")
    assert_error(tenant.get(f"/integrations/connectors/{ZERO}/execute"), 405, "method_not_allowed")


def test_openapi_matches_the_routes(tenant: Tenant) -> None:
    document = httpx.get(tenant.service.url + "/openapi.json").json()
    assert document["openapi"].startswith("3.")
    declared = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert declared == {(e.method, API_PREFIX + e.path) for e in ENDPOINTS}
    execute = document["paths"][API_PREFIX + "/integrations/connectors/{connector_id}/execute"]["post"]
    assert set(execute["responses"]) >= {"200", "401", "404", "413", "422", "429", "502"}
    schema_name = execute["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(document["components"]["schemas"][schema_name]["properties"]) == {
        "entity",
        "action",
        "params",
        "select_fields",
        "exclude_fields",
        "skip_truncation",
        "intent",
    }
    token = document["paths"][API_PREFIX + "/account/applications/token"]["post"]
    assert token["security"] == []
